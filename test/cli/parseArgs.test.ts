/** The argument parser and the logger of the `rxmcp` command, in process. */
import { createLogger } from '../../src/cli/logger';
import { parseConnectArgs, parseProxyArgs } from '../../src/cli/parseArgs';

describe('parseProxyArgs', () => {
  it('takes the child command after --, defaults and environment variables; flags win', () => {
    const parsed = parseProxyArgs(
      ['--port', '9000', '--env', 'A=1', '--', 'npx', '-y', 'server', '--port', '1'],
      { RXMCP_PORT: '7000', RXMCP_HOST: '0.0.0.0', RXMCP_ALLOWED_HOSTS: 'a.example, b.example' },
    ).unwrap();
    expect(parsed).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      path: '/mcp',
      command: 'npx',
      args: ['-y', 'server', '--port', '1'],
      env: { A: '1' },
      allowedHosts: ['a.example', 'b.example'],
      sessionTimeoutMs: 1_800_000,
      maxSessions: 100,
      logFormat: 'text',
      logLevel: 'info',
    });
  });

  it('takes --upstream with repeatable headers', () => {
    const parsed = parseProxyArgs(
      [
        '--upstream',
        'https://x.example/mcp',
        '--header',
        'Authorization: Bearer a:b',
        '--header',
        'X-A: 1',
      ],
      {},
    ).unwrap();
    expect(parsed).toMatchObject({
      upstream: 'https://x.example/mcp',
      headers: { authorization: 'Bearer a:b', 'x-a': '1' },
    });
    expect(parsed.command).toBeUndefined();
  });

  it.each([
    [[], 'nothing to serve'],
    [['--upstream', 'https://x/mcp', '--', 'node'], 'not both'],
    [['--upstream', 'file:///x'], 'http(s) URL'],
    [['--port', '70000', '--', 'node'], '--port must be'],
    [['--header', 'nocolon', '--upstream', 'http://x/'], '--header must look like'],
    [['--env', '=x', '--', 'node'], '--env must look like'],
    [['--path', 'mcp', '--', 'node'], "--path must start with '/'"],
    [['stray', '--', 'node'], "put the server command after '--'"],
    [['--log-format', 'xml', '--', 'node'], '--log-format must be'],
  ])('refuses %j', (argv, message) => {
    expect(parseProxyArgs(argv, {}).unwrapErr()).toContain(message);
  });
});

describe('parseProxyArgs: --cors-origin', () => {
  it('takes repeated --cors-origin flags; none means CORS off', () => {
    const parsed = parseProxyArgs(
      ['--cors-origin', 'https://app.example', '--cors-origin', 'http://localhost:5173', '--', 'x'],
      { RXMCP_CORS_ORIGINS: 'https://ignored.example' },
    ).unwrap();
    expect(parsed.corsOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    expect(parseProxyArgs(['--', 'x'], {}).unwrap().corsOrigins).toBeUndefined();
  });

  it('reads RXMCP_CORS_ORIGINS (comma-separated) when no flag is given, and * alone', () => {
    const fromEnv = parseProxyArgs(['--', 'x'], {
      RXMCP_CORS_ORIGINS: 'https://a.example, https://b.example:8443',
    }).unwrap();
    expect(fromEnv.corsOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(parseProxyArgs(['--cors-origin', '*', '--', 'x'], {}).unwrap().corsOrigins).toBe('*');
  });

  it.each([
    [['--cors-origin', 'app.example'], 'must be an origin'],
    [['--cors-origin', 'https://app.example/page'], 'must be an origin'],
    [['--cors-origin', 'file:///tmp'], 'must be an origin'],
    [['--cors-origin', '*', '--cors-origin', 'https://a.example'], 'cannot be combined'],
  ])('refuses %j', (argv, message) => {
    expect(parseProxyArgs([...argv, '--', 'x'], {}).unwrapErr()).toContain(message);
  });
});

describe('parseProxyArgs: --response-mode', () => {
  it('takes the flag over RXMCP_RESPONSE_MODE; neither leaves the proxy default', () => {
    const env = { RXMCP_RESPONSE_MODE: 'json' };
    expect(parseProxyArgs(['--response-mode', 'sse', '--', 'x'], env).unwrap().responseMode).toBe(
      'sse',
    );
    expect(parseProxyArgs(['--', 'x'], env).unwrap().responseMode).toBe('json');
    expect(parseProxyArgs(['--', 'x'], {}).unwrap().responseMode).toBeUndefined();
  });

  it('refuses a mode it does not know, naming the ones it does', () => {
    expect(parseProxyArgs(['--response-mode', 'stream', '--', 'x'], {}).unwrapErr()).toBe(
      "--response-mode must be one of auto, sse, json, got 'stream'.",
    );
  });
});

describe('parseConnectArgs', () => {
  it('takes the URL from the argument or RXMCP_URL, headers from flags and RXMCP_HEADERS', () => {
    expect(
      parseConnectArgs(['--header', 'X-B: 2', '--no-fallback'], {
        RXMCP_URL: 'http://127.0.0.1:1/mcp',
        RXMCP_HEADERS: 'X-A: 1\nX-B: 1\n',
      }).unwrap(),
    ).toMatchObject({
      url: 'http://127.0.0.1:1/mcp',
      headers: { 'x-a': '1', 'x-b': '2' },
      fallback: false,
    });
    expect(parseConnectArgs(['a', 'b'], {}).unwrapErr()).toContain('expected one URL');
  });
});

describe('createLogger', () => {
  const now = () => new Date('2026-01-01T00:00:00Z');
  it('writes text lines at or above its level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (line) => lines.push(line), now });
    log.info('hidden');
    log.warn('shown', { session: 'abc', n: 2, skipped: undefined });
    expect(lines).toEqual(['2026-01-01T00:00:00.000Z warn  shown session=abc n=2\n']);
  });

  it('writes JSON lines', () => {
    const lines: string[] = [];
    createLogger({ format: 'json', level: 'debug', write: (line) => lines.push(line), now }).debug(
      'x',
      { a: 1 },
    );
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'debug',
      msg: 'x',
      a: 1,
    });
  });
});
