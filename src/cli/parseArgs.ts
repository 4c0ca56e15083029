import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { Err, Ok } from 'ts-results-es';
import type { Result } from 'ts-results-es';
import { LOG_LEVELS } from './logger.js';
import type { LogFormat, LogLevel } from './logger.js';

/** What every command shares. */
export interface CommonConfig {
  readonly help: boolean;
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
}

/** `rxmcp proxy`, parsed. */
export interface ProxyConfig extends CommonConfig {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** The remote server, or `undefined` for a stdio server (`command`). */
  readonly upstream?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly command?: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly inheritEnv: boolean;
  readonly cwd?: string;
  readonly bearerToken?: string;
  readonly allowedHosts?: readonly string[] | 'any';
  readonly allowedOrigins?: readonly string[] | 'any';
  /** Origins whose pages may call the proxy cross-origin (CORS), or `'*'` for any. */
  readonly corsOrigins?: readonly string[] | '*';
  /** How requests are answered (see the server's `responseMode`); `undefined`: the proxy's. */
  readonly responseMode?: ResponseMode;
  readonly sessionTimeoutMs: number;
  readonly maxSessions: number;
  /** Serve the demo page at `/`. */
  readonly page: boolean;
}

/** `rxmcp connect`, parsed. */
export interface ConnectConfig extends CommonConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fallback: boolean;
}

const RESPONSE_MODES = ['auto', 'sse', 'json'] as const;
type ResponseMode = (typeof RESPONSE_MODES)[number];

type Env = Readonly<Record<string, string | undefined>>;

const common = {
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `rxmcp proxy ...` (without `proxy`); environment variables fill what flags omit. */
export function parseProxyArgs(argv: readonly string[], env: Env): Result<ProxyConfig, string> {
  // Everything after `--` is the child's command line, passed as it is.
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const child = split === -1 ? [] : argv.slice(split + 1);
  const parsed = tryParse(own, {
    ...common,
    host: { type: 'string' },
    port: { type: 'string' },
    path: { type: 'string' },
    upstream: { type: 'string' },
    header: { type: 'string', multiple: true },
    'bearer-token': { type: 'string' },
    'allowed-hosts': { type: 'string' },
    'allowed-origins': { type: 'string' },
    'cors-origin': { type: 'string', multiple: true },
    'response-mode': { type: 'string' },
    'session-timeout': { type: 'string' },
    'max-sessions': { type: 'string' },
    env: { type: 'string', multiple: true },
    'inherit-env': { type: 'boolean' },
    cwd: { type: 'string' },
    page: { type: 'boolean' },
  });
  if (parsed.isErr()) return parsed;
  const { values, positionals } = parsed.value;
  const base = commonConfig(values, env);
  if (base.isErr()) return base;
  if (base.value.help) return Ok(defaults(base.value));
  if (positionals.length > 0) {
    return Err(`unexpected argument '${positionals[0]}': put the server command after '--'.`);
  }
  const upstream = str(values.upstream) ?? env.RXMCP_UPSTREAM;
  const [command, ...args] = child;
  if (upstream === undefined && command === undefined) {
    return Err("nothing to serve: give '--upstream <url>' or '-- <command> [args...]'.");
  }
  if (upstream !== undefined && command !== undefined) {
    return Err("give either '--upstream <url>' or '-- <command>', not both.");
  }
  if (upstream !== undefined && !isHttpUrl(upstream)) {
    return Err(`--upstream must be an http(s) URL, got '${upstream}'.`);
  }
  const port = integer('--port', str(values.port) ?? env.RXMCP_PORT ?? '8787', 0, 65535);
  const timeout = integer(
    '--session-timeout',
    str(values['session-timeout']) ?? env.RXMCP_SESSION_TIMEOUT ?? '1800',
    1,
    86_400 * 365,
  );
  const maxSessions = integer(
    '--max-sessions',
    str(values['max-sessions']) ?? env.RXMCP_MAX_SESSIONS ?? '100',
    1,
    100_000,
  );
  const headers = parseHeaders(strings(values.header));
  const childEnv = parseEnv(strings(values.env));
  for (const checked of [port, timeout, maxSessions]) if (checked.isErr()) return checked;
  if (headers.isErr()) return headers;
  if (childEnv.isErr()) return childEnv;
  const path = str(values.path) ?? env.RXMCP_PATH ?? '/mcp';
  if (!path.startsWith('/')) return Err(`--path must start with '/', got '${path}'.`);
  const bearerToken = str(values['bearer-token']) ?? env.RXMCP_BEARER_TOKEN;
  const allowedHosts = list(str(values['allowed-hosts']) ?? env.RXMCP_ALLOWED_HOSTS);
  const allowedOrigins = list(str(values['allowed-origins']) ?? env.RXMCP_ALLOWED_ORIGINS);
  const corsOrigins = parseCorsOrigins(strings(values['cors-origin']), env.RXMCP_CORS_ORIGINS);
  if (corsOrigins.isErr()) return corsOrigins;
  const responseMode = str(values['response-mode']) ?? env.RXMCP_RESPONSE_MODE;
  if (responseMode !== undefined && !isResponseMode(responseMode)) {
    return Err(
      `--response-mode must be one of ${RESPONSE_MODES.join(', ')}, got '${responseMode}'.`,
    );
  }
  const cwd = str(values.cwd);
  return Ok({
    ...base.value,
    host: str(values.host) ?? env.RXMCP_HOST ?? '127.0.0.1',
    port: port.unwrap(),
    path,
    ...(upstream === undefined ? {} : { upstream }),
    headers: headers.value,
    ...(command === undefined ? {} : { command }),
    args,
    env: childEnv.value,
    inheritEnv: values['inherit-env'] === true,
    page: values.page === true,
    ...(cwd === undefined ? {} : { cwd }),
    ...(bearerToken === undefined ? {} : { bearerToken }),
    ...(allowedHosts === undefined ? {} : { allowedHosts }),
    ...(allowedOrigins === undefined ? {} : { allowedOrigins }),
    ...(corsOrigins.value === undefined ? {} : { corsOrigins: corsOrigins.value }),
    ...(responseMode === undefined ? {} : { responseMode }),
    sessionTimeoutMs: timeout.unwrap() * 1000,
    maxSessions: maxSessions.unwrap(),
  });
}

/** Parses `rxmcp connect ...` (without `connect`). */
export function parseConnectArgs(argv: readonly string[], env: Env): Result<ConnectConfig, string> {
  const parsed = tryParse(argv, {
    ...common,
    header: { type: 'string', multiple: true },
    'no-fallback': { type: 'boolean' },
  });
  if (parsed.isErr()) return parsed;
  const { values, positionals } = parsed.value;
  const base = commonConfig(values, env);
  if (base.isErr()) return base;
  if (base.value.help) return Ok({ ...base.value, url: '', headers: {}, fallback: true });
  if (positionals.length > 1) return Err(`expected one URL, got ${positionals.length} arguments.`);
  const url = positionals[0] ?? env.RXMCP_URL;
  if (url === undefined) return Err('missing <url> (or RXMCP_URL).');
  if (!isHttpUrl(url)) return Err(`<url> must be an http(s) URL, got '${url}'.`);
  const fromEnv = (env.RXMCP_HEADERS ?? '').split('\n').filter((line) => line.trim() !== '');
  const headers = parseHeaders([...fromEnv, ...strings(values.header)]);
  if (headers.isErr()) return headers;
  return Ok({
    ...base.value,
    url,
    headers: headers.value,
    fallback: values['no-fallback'] !== true,
  });
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function tryParse(
  argv: readonly string[],
  options: ParseArgsConfig['options'],
): Result<{ values: Values; positionals: string[] }, string> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return Ok({ values: values as Values, positionals });
  } catch (error) {
    return Err(error instanceof Error ? error.message : String(error));
  }
}

function commonConfig(values: Values, env: Env): Result<CommonConfig, string> {
  const logFormat = str(values['log-format']) ?? env.RXMCP_LOG_FORMAT ?? 'text';
  const logLevel = str(values['log-level']) ?? env.RXMCP_LOG_LEVEL ?? 'info';
  if (logFormat !== 'text' && logFormat !== 'json') {
    return Err(`--log-format must be text or json, got '${logFormat}'.`);
  }
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    return Err(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'.`);
  }
  return Ok({ help: values.help === true, logFormat, logLevel: logLevel as LogLevel });
}

function defaults(base: CommonConfig): ProxyConfig {
  return {
    ...base,
    host: '127.0.0.1',
    port: 8787,
    path: '/mcp',
    headers: {},
    args: [],
    env: {},
    inheritEnv: false,
    page: false,
    sessionTimeoutMs: 1_800_000,
    maxSessions: 100,
  };
}

function str(value: Values[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: Values[string]): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function list(value: string | undefined): readonly string[] | 'any' | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === 'any') return 'any';
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `--cors-origin` (repeatable) or else `RXMCP_CORS_ORIGINS` (comma-separated): full http(s)
 * origins, or `*` alone.
 */
function parseCorsOrigins(
  flags: readonly string[],
  fromEnv: string | undefined,
): Result<readonly string[] | '*' | undefined, string> {
  const given =
    flags.length > 0
      ? flags
      : (fromEnv ?? '')
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
  if (given.length === 0) return Ok(undefined);
  if (given.includes('*')) {
    return given.length === 1 ? Ok('*') : Err("--cors-origin '*' cannot be combined with others.");
  }
  for (const origin of given) {
    if (!isOrigin(origin)) {
      return Err(
        `--cors-origin must be an origin like https://app.example (scheme, host, port), or '*'; got '${origin}'.`,
      );
    }
  }
  return Ok(given);
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.href === `${url.origin}/`;
  } catch {
    return false;
  }
}

function integer(name: string, text: string, min: number, max: number): Result<number, string> {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= min && value <= max
    ? Ok(value)
    : Err(`${name} must be a whole number from ${min} to ${max}, got '${text}'.`);
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function parseHeaders(lines: readonly string[]): Result<Record<string, string>, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon <= 0 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return Err(`--header must look like 'Name: value', got '${line}'.`);
    }
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  return Ok(headers);
}

function parseEnv(pairs: readonly string[]): Result<Record<string, string>, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) return Err(`--env must look like NAME=value, got '${pair}'.`);
    env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return Ok(env);
}

function isResponseMode(value: string): value is ResponseMode {
  return (RESPONSE_MODES as readonly string[]).includes(value);
}
