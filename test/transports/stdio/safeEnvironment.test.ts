import {
  DEFAULT_INHERITED_ENV_VARS,
  safeEnvironment,
} from '../../../src/transports/stdio/safeEnvironment.js';

describe('safeEnvironment', () => {
  it('keeps only the POSIX safe list', () => {
    expect(DEFAULT_INHERITED_ENV_VARS).toEqual([
      'HOME',
      'LOGNAME',
      'PATH',
      'SHELL',
      'TERM',
      'USER',
    ]);
    expect(
      safeEnvironment({
        PATH: '/usr/bin',
        HOME: '/home/a',
        USER: undefined,
        AWS_SECRET_ACCESS_KEY: 'secret',
        GITHUB_TOKEN: 'token',
      }),
    ).toEqual({ PATH: '/usr/bin', HOME: '/home/a' });
  });

  it('leaves out exported bash functions', () => {
    expect(safeEnvironment({ SHELL: '() { :; }; echo pwned', TERM: 'xterm' })).toEqual({
      TERM: 'xterm',
    });
  });

  it('reads this process’s environment by default', () => {
    expect(safeEnvironment().PATH).toBe(process.env.PATH);
  });
});
