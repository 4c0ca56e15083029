/** Log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'text' | 'json';
export type LogFields = Readonly<Record<string, unknown>>;

/** A logger of the `rxmcp` command: one line per entry, on stderr. */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Entries less severe than this are skipped. @default 'info' */
  readonly level?: LogLevel;
  /** `text`: `time level message key=value`; `json`: one JSON object per line. @default 'text' */
  readonly format?: LogFormat;
  /** Where lines go. Never stdout: in `connect` mode stdout is the JSON-RPC channel. @default stderr */
  readonly write?: (line: string) => void;
  /** The clock, for tests. @default () => new Date() */
  readonly now?: () => Date;
}

/** Creates a {@link Logger}. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const log =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (LOG_LEVELS.indexOf(level) > threshold) return;
      const time = now().toISOString();
      if (format === 'json') {
        write(`${JSON.stringify({ time, level, msg: message, ...fields })}\n`);
        return;
      }
      const extra = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(
          ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
        )
        .join(' ');
      write(`${time} ${level.padEnd(5)} ${message}${extra === '' ? '' : ` ${extra}`}\n`);
    };
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}
