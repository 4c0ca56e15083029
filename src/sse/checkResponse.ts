import { Err, Ok } from 'ts-results-es';
import type { Result } from 'ts-results-es';
import type { RxMcpError } from '../errors.js';
import { parseRetryAfter } from './parseRetryAfter.js';
import { contentTypeError, httpStatusError } from './sseErrors.js';
import type { SseResponse } from './types.js';

/**
 * What a response means for an event stream:
 * - `'stream'`: a 2xx `text/event-stream`, read its body;
 * - `'done'`: 204 No Content, the server has nothing more and does not want a reconnect.
 */
export type ResponseVerdict = 'stream' | 'done';

/**
 * Validates the response to an SSE request before a byte of its body is read.
 *
 * - 204 is `Ok('done')`: [WHATWG SSE] "HTTP 204 No Content [...] must prevent the user agent
 *   from reconnecting".
 * - any other 2xx must be `text/event-stream` (parameters such as `charset` are allowed),
 *   otherwise `Err(protocol)`, not retryable;
 * - anything else is `Err(http)` with `status`, `retryable` for 408, 429 and 5xx, and
 *   `retryAfterMs` from a `Retry-After` header (seconds or HTTP-date, relative to `nowMs`).
 *
 * ```text
 * 200 text/event-stream  -> Ok('stream')
 * 204                    -> Ok('done')
 * 200 application/json   -> Err(protocol, retryable: false)
 * 503 Retry-After: 2     -> Err(http, status 503, retryable, retryAfterMs 2000)
 * 401                    -> Err(http, status 401, retryable: false)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { checkResponse } from 'rxmcp';
 *
 * const response = await fetch('https://example.com/events', {
 *   headers: { Accept: 'text/event-stream' },
 * });
 * const verdict = checkResponse(response, response.url, asyncScheduler.now());
 * if (verdict.isErr()) console.log(verdict.error.message);
 * ```
 */
export function checkResponse(
  response: SseResponse,
  url: string,
  nowMs: number,
): Result<ResponseVerdict, RxMcpError> {
  const { status } = response;
  if (status === 204) return Ok('done');
  if (status < 200 || status > 299) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
    return Err(httpStatusError(response, url, retryAfterMs));
  }
  const contentType = response.headers.get('content-type');
  if (!isEventStream(contentType)) return Err(contentTypeError(contentType, url));
  return Ok('stream');
}

// Compares the MIME type essence only: "text/event-stream; charset=utf-8" is fine.
function isEventStream(contentType: string | null): boolean {
  if (contentType === null) return false;
  const semicolon = contentType.indexOf(';');
  const essence = semicolon === -1 ? contentType : contentType.slice(0, semicolon);
  return essence.trim().toLowerCase() === 'text/event-stream';
}
