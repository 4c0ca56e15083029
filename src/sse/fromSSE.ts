import {
  EMPTY,
  asyncScheduler,
  catchError,
  concat,
  defer,
  switchMap,
  throwError,
  using,
} from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import type { Valve } from '../../operators/valve.js';
import { RxMcpError } from '../errors.js';
import { checkResponse } from './checkResponse.js';
import { assertIdleMs, idleTimeout } from './idleTimeout.js';
import {
  DEFAULT_MAX_BUFFER_SIZE,
  assertMaxBufferSize,
  parseEventStream,
} from './parseEventStream.js';
import { readBody } from './readBody.js';
import { sendRequest } from './sendRequest.js';
import { droppedError, endedError, idleError } from './sseErrors.js';
import type { FetchLike, SseEvent, SseRequest, SseResponse } from './types.js';

/** Options of {@link fromSSE}. Every option is optional. */
export interface FromSseOptions {
  /**
   * The `fetch` to use, for example one that adds tracing, or cross-fetch explicitly.
   * @default the global `fetch` when there is one, otherwise cross-fetch (loaded on demand)
   */
  readonly fetch?: FetchLike;
  /**
   * Sent as the `Last-Event-ID` header, so that the server resumes after that event.
   * `undefined` and `''` send no header.
   * @default undefined
   */
  readonly lastEventId?: string;
  /**
   * The most characters one line or one event may take before it ends. A longer one fails
   * the stream with a non-retryable `limit` error and aborts the request.
   * @default 10485760 (10 MiB)
   */
  readonly maxBufferSize?: number;
  /**
   * How long the connection may stay silent, in milliseconds, from the request until the
   * response headers and then between two reads of the body (comments count: any byte is a
   * sign of life). A silent connection fails with a retryable `timeout` error. The clock
   * stops while `valve` is paused.
   * @default Infinity (no idle check; {@link eventStream} sets 60 s)
   */
  readonly idleTimeoutMs?: number;
  /**
   * What a clean end of the response body means. `false`: the stream is over, so the
   * Observable completes. `true`: the server only closed this connection (the MCP polling
   * pattern), so the Observable fails with a retryable `network` error carrying the
   * reconnection time as `retryAfterMs`, for an outer retry to reconnect. A 204 completes in
   * both cases.
   * @default false
   */
  readonly reconnectOnEnd?: boolean;
  /**
   * The reconnection time already known from an earlier connection (a `retry:` field it
   * received). Errors that end an established stream (dropped, idle, ended with
   * `reconnectOnEnd`) carry the latest reconnection time as `retryAfterMs`.
   * @default undefined: such errors carry no hint until the server sends `retry:`
   */
  readonly reconnectionTimeMs?: number;
  /**
   * Flow control: while paused the body is not read, so TCP pushes back on the server. Pass
   * the valve of a `boundedBuffer({ overflow: 'pause' })` downstream.
   * @default none
   */
  readonly valve?: Valve;
  /**
   * Called once the response is validated (2xx, `text/event-stream`), before any event; for
   * reading response headers such as a session id.
   * @default none
   */
  readonly onOpen?: (response: SseResponse) => void;
  /**
   * Called with each comment line (keep-alives). Comments are never emitted as events.
   * @default none
   */
  readonly onComment?: (comment: string) => void;
  /**
   * Called with each new reconnection time sent in a `retry:` field.
   * @default none
   */
  readonly onRetry?: (retryMs: number) => void;
  /**
   * Where the idle clock runs and where `now()` is read to turn a `Retry-After` date into a
   * delay.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

/**
 * One server-sent event stream over `fetch`, as a cold Observable: subscribing sends the
 * request, each event of the response is a value, the end of the response completes, and
 * unsubscribing aborts the request and releases the socket. No reconnects: see
 * {@link eventStream} for the resilient stream.
 *
 * Any method, headers and body are allowed (a POST with a JSON body is how MCP and LLM token
 * streams work). The response must be 2xx `text/event-stream`; otherwise the stream fails
 * with an `RxMcpError`:
 * - `http` for any other status, with `status`, `retryable` (408, 429, 5xx) and
 *   `retryAfterMs` from `Retry-After` (seconds or HTTP-date);
 * - `protocol` (not retryable) for a 2xx of another content type;
 * - `network` (retryable) when the connection fails or the body breaks off, with the
 *   reconnection time of the last `retry:` field as `retryAfterMs`;
 * - `limit` (not retryable) for an event over `maxBufferSize`;
 * - `timeout` (retryable) when the connection is silent for `idleTimeoutMs`.
 * A 204 No Content completes at once: the server has nothing, and wants no reconnect.
 *
 * ```text
 * server:  200 --"data: a\n\n"--": ping\n"--"id: 2\ndata: b\n\n"--end
 * result:      --{data:'a'}-------------------{id:'2',data:'b'}-----|
 *
 * server:  200 --"data: a\n\n"--X (connection reset)
 * result:      --{data:'a'}-----#  RxMcpError network, retryable
 *
 * server:  503 Retry-After: 2
 * result:  #  RxMcpError http, status 503, retryable, retryAfterMs 2000
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { fromSSE } from 'rxmcp';
 *
 * const token = 'my-api-key';
 * // An LLM token stream: POST a JSON body, read the answer as events.
 * fromSSE({
 *   url: 'https://api.example.com/v1/chat/completions',
 *   method: 'POST',
 *   headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
 *   body: JSON.stringify({ model: 'some-model', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
 * }).subscribe({
 *   next: (event) => event.data !== '[DONE]' && console.log(JSON.parse(event.data)),
 *   error: (error) => console.error(error.kind, error.message),
 * });
 * ```
 */
export function fromSSE(request: SseRequest, options: FromSseOptions = {}): Observable<SseEvent> {
  const { fetch, lastEventId, valve, onOpen, onComment, onRetry } = options;
  const { maxBufferSize = DEFAULT_MAX_BUFFER_SIZE, idleTimeoutMs = Infinity } = options;
  const { reconnectOnEnd = false, scheduler = asyncScheduler } = options;
  // Checked here, at call time: a bad option is a bug to throw, not an error to retry.
  assertMaxBufferSize(maxBufferSize);
  assertIdleMs(idleTimeoutMs);
  const url = String(request.url);

  return defer(() => {
    const controller = new AbortController();
    // [WHATWG SSE] the event source's "reconnection time", set by `retry:` fields.
    let reconnectionTime = options.reconnectionTimeMs;

    const readEvents = (response: SseResponse): Observable<Uint8Array> => {
      const verdict = checkResponse(response, url, scheduler.now());
      if (verdict.isErr()) return throwError(() => verdict.error);
      if (verdict.value === 'done') return EMPTY;
      onOpen?.(response);
      const chunks = readBody(response.body, valve).pipe(
        catchError((error: unknown) =>
          throwError(() => droppedError(error, url, reconnectionTime)),
        ),
      );
      // The error is built when the body has ended, so it carries the latest `retry:`.
      return reconnectOnEnd
        ? concat(
            chunks,
            throwError(() => endedError(url, reconnectionTime)),
          )
        : chunks;
    };

    return using(
      // The controller lives as long as the subscription: its end aborts whatever stage is
      // running, the request in flight or the body being read.
      () => ({ unsubscribe: () => controller.abort() }),
      () =>
        defer(() => sendRequest(request, { fetch, lastEventId, signal: controller.signal })).pipe(
          switchMap(readEvents),
          idleTimeout({
            idleMs: idleTimeoutMs,
            error: () => idleError(url, idleTimeoutMs, reconnectionTime),
            valve,
            scheduler,
          }),
          parseEventStream({
            maxBufferSize,
            valve,
            onComment,
            onRetry: (ms) => {
              reconnectionTime = ms;
              onRetry?.(ms);
            },
            source: url,
          }),
          // One exit: a failed fetch, a throwing callback, anything leaves as an RxMcpError.
          catchError((error: unknown) => throwError(() => RxMcpError.from(error))),
        ),
    );
  });
}
