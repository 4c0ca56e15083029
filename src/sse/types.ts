/**
 * The shapes that flow through rxmcp's SSE layer: what a request looks like, what `fetch`
 * must return, and the events that come out.
 */

/**
 * One event of a `text/event-stream`, as the WHATWG parsing rules dispatch it.
 *
 * Fields are present only when the server sent them in this event's block:
 * - `id` is `undefined` when the block had no (valid) `id:` field, and `''` when it had an
 *   empty one. The empty string is meaningful: per the SSE spec it resets the last event id,
 *   so the next reconnect sends no `Last-Event-ID` ({@link eventStream} clears its resume
 *   cursor on it). An `id:` containing U+0000 NULL is ignored, as the spec requires.
 * - `event` is `undefined` when the block had no `event:` field (a browser `EventSource`
 *   would call it `'message'`).
 * - `retry` is the reconnection time, in milliseconds, set by a `retry:` field received
 *   since the previous event was emitted (including a `retry:` in a block without data).
 */
export interface SseEvent {
  /** The event id, `''` when the server reset it, `undefined` when the block had none. */
  readonly id?: string | undefined;
  /** The event type, `undefined` for the default (`message`). */
  readonly event?: string | undefined;
  /** The data lines of the event joined with `\n`; `''` for an empty `data:` field. */
  readonly data: string;
  /** A new reconnection time in milliseconds, when the server sent one with this event. */
  readonly retry?: number | undefined;
}

/** Request headers, or a function producing them for each connection attempt. */
export type SseHeaders = HeadersInit | (() => HeadersInit | PromiseLike<HeadersInit>);

/**
 * A request body that can be sent again on every reconnect. Streams are not accepted
 * because a stream can be read only once.
 */
export type SseRequestBody = Exclude<BodyInit, ReadableStream>;

/** What to fetch to open one event stream. */
export interface SseRequest {
  /** The absolute URL of the stream. */
  readonly url: string | URL;
  /**
   * The HTTP method. `POST` with a JSON body is as supported as `GET`: the SSE response is
   * read the same way (this is how MCP and LLM token streams work).
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Request headers. A function is called again for every connection attempt, so a retry
   * can pick up a refreshed auth token; if it throws or rejects, the attempt fails with that
   * error through `RxMcpError.from` (throw a retryable `RxMcpError` to have it retried).
   * `Accept: text/event-stream` is added when no `Accept` header is given; `Last-Event-ID`
   * is set by the stream and wins over yours.
   * @default none
   */
  readonly headers?: SseHeaders;
  /**
   * The request body, sent unchanged on every attempt (use `JSON.stringify` and a
   * `Content-Type: application/json` header for JSON).
   * @default none
   */
  readonly body?: SseRequestBody;
  /**
   * Other `fetch` options passed through unchanged (`credentials`, `mode`, `referrer`, ...).
   * `method`, `headers`, `body` and `signal` are owned by the stream.
   * @default none
   */
  readonly init?: Omit<RequestInit, 'method' | 'headers' | 'body' | 'signal'>;
}

/**
 * The part of a `fetch` response the SSE layer reads. The global `Response` fits, and so
 * does cross-fetch's Node response, whose `body` is a Node stream (an async iterable of
 * byte chunks) rather than a web `ReadableStream`.
 */
export interface SseResponse {
  /** The HTTP status code. */
  readonly status: number;
  /** The HTTP reason phrase, used in error messages. */
  readonly statusText: string;
  /** The response headers. */
  readonly headers: { get(name: string): string | null };
  /** The body: a web stream, an async iterable of bytes, or `null` for no body. */
  readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null;
}

/** A `fetch` implementation: the global one, cross-fetch, or your own wrapper. */
export type FetchLike = (url: string, init: RequestInit) => Promise<SseResponse>;
