import { RxMcpError } from '../errors.js';
import type { SseResponse } from './types.js';

/**
 * The errors an SSE connection ends with, one factory per situation, so that every message
 * says what happened, what was expected and what to do, and every `kind`, `retryable` and
 * `retryAfterMs` is decided in one place.
 *
 * `reconnectionTimeMs` is the SSE reconnection time (the last `retry:` field received). It
 * goes into `retryAfterMs` of the errors that end an *established* stream, which is how
 * `retryWithJitter` learns to wait exactly that long instead of its computed backoff.
 */

/** A response with a status outside 2xx. Retryable for 408, 429 and 5xx. */
export function httpStatusError(
  response: SseResponse,
  url: string,
  retryAfterMs: number | undefined,
): RxMcpError {
  const { status } = response;
  const reason = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new RxMcpError(
    'http',
    `${url} answered ${reason}; an event stream needs a 2xx answer. ${advice(status)}`,
    {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

function advice(status: number): string {
  if (status === 401 || status === 403) {
    return 'Check the credentials; a `headers` function is called again on every attempt, so it can refresh a token.';
  }
  if (status === 404 || status === 405) return 'Check the URL and the method.';
  if (status === 408 || status === 429 || status >= 500) return 'The server may recover; retrying.';
  return 'Check the request.';
}

/** A 2xx response that is not `text/event-stream`. Not retryable: it would answer the same. */
export function contentTypeError(contentType: string | null, url: string): RxMcpError {
  return new RxMcpError(
    'protocol',
    `${url} answered with Content-Type ${contentType === null ? '(none)' : `"${contentType}"`}, ` +
      'expected "text/event-stream". Check that the URL is an SSE endpoint and that the ' +
      'request accepts text/event-stream.',
    { retryable: false },
  );
}

/** The body broke off (socket reset, proxy cut, server crash) before the server ended it. */
export function droppedError(
  cause: unknown,
  url: string,
  reconnectionTimeMs: number | undefined,
): RxMcpError {
  return new RxMcpError(
    'network',
    `The event stream from ${url} broke off (${describe(cause)}). It is resumed from the last ` +
      'event id when retried.',
    { retryable: true, cause, ...hint(reconnectionTimeMs) },
  );
}

/**
 * The server ended the body cleanly but the caller asked for a long-lived stream
 * (`reconnectOnEnd`): a retryable error so that the retry operator reconnects.
 */
export function endedError(url: string, reconnectionTimeMs: number | undefined): RxMcpError {
  return new RxMcpError(
    'network',
    `The server closed the event stream from ${url}; reconnecting (reconnectOnEnd is on). ` +
      'Turn reconnectOnEnd off to treat the end of the response as the end of the stream.',
    { retryable: true, ...hint(reconnectionTimeMs) },
  );
}

/** Nothing arrived for `idleTimeoutMs`: the connection is treated as dropped. */
export function idleError(
  url: string,
  idleTimeoutMs: number,
  reconnectionTimeMs: number | undefined,
): RxMcpError {
  return new RxMcpError(
    'timeout',
    `No data from ${url} for ${idleTimeoutMs} ms; the connection is treated as dropped. ` +
      'If the server is quiet on purpose, have it send keep-alive comments or raise idleTimeoutMs.',
    { retryable: true, ...hint(reconnectionTimeMs) },
  );
}

/** A line or event grew past `maxBufferSize` before it ended. */
export function bufferLimitError(url: string, maxBufferSize: number, cause: unknown): RxMcpError {
  return new RxMcpError(
    'limit',
    `An event from ${url} grew past maxBufferSize (${maxBufferSize} characters) before it ` +
      'ended, so the stream was stopped to keep memory bounded. Raise maxBufferSize if events ' +
      'this large are expected.',
    { retryable: false, cause },
  );
}

function hint(reconnectionTimeMs: number | undefined): { retryAfterMs?: number } {
  return reconnectionTimeMs === undefined ? {} : { retryAfterMs: reconnectionTimeMs };
}

// undici reports a cut body as `TypeError: terminated` with the socket error as its cause;
// both halves are worth showing ("terminated: other side closed").
function describe(cause: unknown): string {
  const outer = messageOf(cause) ?? String(cause);
  const inner = messageOf((cause as { cause?: unknown } | null | undefined)?.cause);
  return inner === undefined ? outer : `${outer}: ${inner}`;
}

function messageOf(value: unknown): string | undefined {
  const message = (value as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}
