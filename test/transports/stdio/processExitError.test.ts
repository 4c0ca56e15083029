import { RxMcpError } from '../../../src/errors.js';
import { processExitError } from '../../../src/transports/stdio/processExitError.js';

describe('processExitError', () => {
  it('names the exit code and quotes the last stderr lines', () => {
    const error = processExitError('node server.js', { pid: 42, code: 1, signal: null }, ['boom']);
    expect(error).toBeInstanceOf(RxMcpError);
    expect(error).toMatchObject({
      kind: 'closed',
      retryable: false,
      data: { pid: 42, exitCode: 1, signal: null, stderr: ['boom'] },
    });
    expect(error.message).toBe(
      'The MCP server process `node server.js` (pid 42) exited with code 1 before the transport ' +
        'was closed; requests still waiting for an answer will not get one. Check that the ' +
        'command runs on its own and what its log says. Last stderr lines:\n  boom',
    );
  });

  it('names the signal, and says when stderr was empty', () => {
    const error = processExitError('srv', { pid: 7, code: null, signal: 'SIGSEGV' }, []);
    expect(error.message).toMatch(/\(pid 7\) was ended by SIGSEGV before/);
    expect(error.message).toMatch(/It wrote nothing to stderr\.$/);
    expect(error.data).toEqual({ pid: 7, exitCode: null, signal: 'SIGSEGV', stderr: [] });
  });
});
