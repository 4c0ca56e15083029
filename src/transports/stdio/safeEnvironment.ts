/**
 * The variables a spawned MCP server inherits from this process when the caller does not ask
 * for the whole environment: enough to find programs and a home directory, nothing that
 * usually carries secrets (tokens, cloud credentials, proxy passwords).
 *
 * - POSIX: `HOME`, `LOGNAME`, `PATH`, `SHELL`, `TERM`, `USER` (what `sudo` keeps by default).
 * - Windows: `APPDATA`, `HOMEDRIVE`, `HOMEPATH`, `LOCALAPPDATA`, `PATH`,
 *   `PROCESSOR_ARCHITECTURE`, `PROGRAMFILES`, `SYSTEMDRIVE`, `SYSTEMROOT`, `TEMP`,
 *   `USERNAME`, `USERPROFILE` (without `SYSTEMROOT` many programs cannot even start).
 */
export const DEFAULT_INHERITED_ENV_VARS: readonly string[] =
  process.platform === 'win32'
    ? [
        'APPDATA',
        'HOMEDRIVE',
        'HOMEPATH',
        'LOCALAPPDATA',
        'PATH',
        'PROCESSOR_ARCHITECTURE',
        'PROGRAMFILES',
        'SYSTEMDRIVE',
        'SYSTEMROOT',
        'TEMP',
        'USERNAME',
        'USERPROFILE',
      ]
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

/**
 * Picks the {@link DEFAULT_INHERITED_ENV_VARS} out of an environment (this process's by
 * default). A value that starts with `()` is left out: that is how bash exports a function,
 * and passing one on is the Shellshock attack surface.
 *
 * ```text
 * source:  { PATH: '/usr/bin', HOME: '/home/a', AWS_SECRET_ACCESS_KEY: '…' }
 * result:  { PATH: '/usr/bin', HOME: '/home/a' }
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { safeEnvironment } from 'rxmcp/node';
 *
 * const env = { ...safeEnvironment(), MY_SERVER_TOKEN: token };
 * ```
 */
export function safeEnvironment(
  source: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of DEFAULT_INHERITED_ENV_VARS) {
    const value = source[name];
    if (value === undefined || value.startsWith('()')) continue;
    env[name] = value;
  }
  return env;
}
