/**
 * The one error family of rxmcp.
 *
 * Everything that ends a stream in rxmcp ends it with an {@link RxMcpError}. The `kind`
 * discriminant says what went wrong, `retryable` says whether trying again can help (this is
 * what `retryWithJitter` reads by default), and `retryAfterMs` carries a server's hint (an SSE
 * `retry:` field, a `Retry-After` header) that wins over computed backoff.
 *
 * Messages say what happened, what was expected, and what to do.
 */

/** What kind of failure an {@link RxMcpError} describes. */
export type RxMcpErrorKind =
  /** The peer answered with an HTTP status that is not a success. `status` is set. */
  | 'http'
  /** The connection could not be made or broke (DNS, refused, reset, dropped mid-body). */
  | 'network'
  /** Nothing arrived within the allowed time. */
  | 'timeout'
  /** Bytes arrived that could not be parsed (bad JSON, bad frame). */
  | 'parse'
  /** The peer broke the protocol (wrong content type, bad JSON-RPC, unexpected message). */
  | 'protocol'
  /** The transport, stream or process is closed; nothing more will arrive. */
  | 'closed'
  /** A configured limit was hit (message size, buffer capacity, sessions). */
  | 'limit'
  /** The caller aborted the operation. */
  | 'aborted'
  /** The peer answered a JSON-RPC request with an error object. `code` is set. */
  | 'rpc'
  /** Anything that does not fit above (usually a bug or a foreign error). */
  | 'unknown';

/** Options accepted by the {@link RxMcpError} constructor. */
export interface RxMcpErrorOptions {
  /**
   * Whether trying the same operation again may succeed.
   * @default derived from `kind` and `status` (see {@link isRetryableByDefault})
   */
  readonly retryable?: boolean;
  /** A server's hint of how long to wait before retrying, in milliseconds. */
  readonly retryAfterMs?: number;
  /** HTTP status code, for `kind: 'http'`. */
  readonly status?: number;
  /** JSON-RPC error code, for `kind: 'rpc'`. */
  readonly code?: number;
  /** Structured detail (for example a JSON-RPC error's `data`, or a child's last stderr lines). */
  readonly data?: unknown;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * Whether an error of this kind (and HTTP status) is worth retrying when nobody said otherwise:
 * network failures, timeouts, HTTP 408, 429 and 5xx retry; other 4xx, parse, protocol, limit,
 * closed, aborted and rpc errors do not.
 */
export function isRetryableByDefault(kind: RxMcpErrorKind, status?: number): boolean {
  switch (kind) {
    case 'network':
    case 'timeout':
      return true;
    case 'http':
      return status !== undefined && (status === 408 || status === 429 || status >= 500);
    default:
      return false;
  }
}

/** The base (and usually only) error class that rxmcp streams fail with. */
export class RxMcpError extends Error {
  override readonly name: string = 'RxMcpError';
  /** What kind of failure this is. */
  readonly kind: RxMcpErrorKind;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** A server's hint of how long to wait before retrying, in milliseconds. */
  declare readonly retryAfterMs?: number;
  /** HTTP status code, for `kind: 'http'`. */
  declare readonly status?: number;
  /** JSON-RPC error code, for `kind: 'rpc'`. */
  declare readonly code?: number;
  /** Structured detail. */
  declare readonly data?: unknown;

  constructor(kind: RxMcpErrorKind, message: string, options: RxMcpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? isRetryableByDefault(kind, options.status);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.status !== undefined) this.status = options.status;
    if (options.code !== undefined) this.code = options.code;
    if (options.data !== undefined) this.data = options.data;
  }

  /** True for any {@link RxMcpError}, including ones from another copy of this package. */
  static is(value: unknown): value is RxMcpError {
    return (
      value instanceof RxMcpError ||
      (isErrorLike(value) &&
        typeof (value as { kind?: unknown }).kind === 'string' &&
        typeof (value as { retryable?: unknown }).retryable === 'boolean')
    );
  }

  /**
   * Normalises anything thrown into an {@link RxMcpError}, keeping the original as `cause`.
   *
   * - an `RxMcpError` is returned as is;
   * - an abort (`AbortError`) becomes `aborted`, a `TimeoutError` (rxjs or DOM) `timeout`;
   * - a `TypeError` raised by `fetch` (connection refused, reset, DNS) becomes `network`;
   * - a `SyntaxError` becomes `parse`;
   * - an error with a string `kind` and a boolean `retryable` (for example the operators'
   *   `BufferOverflowError`) keeps them;
   * - anything else becomes `unknown` (not retryable) with its message.
   */
  static from(error: unknown): RxMcpError {
    if (error instanceof RxMcpError) return error;
    // Structural, not `instanceof Error`: errors from another realm (an iframe, a worker,
    // Node's fetch as seen from a test sandbox) fail `instanceof` but are errors all the same.
    if (isErrorLike(error)) {
      const { kind, retryable, retryAfterMs } = error as {
        kind?: unknown;
        retryable?: unknown;
        retryAfterMs?: unknown;
      };
      if (typeof kind === 'string' && typeof retryable === 'boolean') {
        return new RxMcpError(asKind(kind), error.message, {
          retryable,
          ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
          cause: error,
        });
      }
      if (error.name === 'AbortError') {
        return new RxMcpError('aborted', 'The operation was aborted.', { cause: error });
      }
      if (error.name === 'TimeoutError') {
        return new RxMcpError('timeout', `Timed out: ${error.message}`, { cause: error });
      }
      if (error.name === 'SyntaxError') {
        return new RxMcpError('parse', `Could not parse the input: ${error.message}`, {
          cause: error,
        });
      }
      if (error.name === 'TypeError' && isFetchFailure(error)) {
        return new RxMcpError(
          'network',
          `The request could not reach the server (${describeCause(error)}). ` +
            'Check the URL and that the server is running.',
          { cause: error },
        );
      }
      return new RxMcpError('unknown', error.message, { cause: error });
    }
    return new RxMcpError('unknown', `A non-Error value was thrown: ${safeString(error)}`, {
      cause: error,
    });
  }
}

const kinds: ReadonlySet<string> = new Set<RxMcpErrorKind>([
  'http',
  'network',
  'timeout',
  'parse',
  'protocol',
  'closed',
  'limit',
  'aborted',
  'rpc',
  'unknown',
]);

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { name?: unknown }).name === 'string' &&
      typeof (value as { message?: unknown }).message === 'string')
  );
}

function asKind(kind: string): RxMcpErrorKind {
  return kinds.has(kind) ? (kind as RxMcpErrorKind) : 'unknown';
}

// undici says "fetch failed", browsers "Failed to fetch" / "NetworkError when attempting to
// fetch resource" / "Load failed", cross-fetch (node-fetch) "request to ... failed".
function isFetchFailure(error: Error): boolean {
  return /fetch|network|load failed|request to .* failed|terminated|socket/i.test(error.message);
}

function describeCause(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (isErrorLike(cause)) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
