import type { FetchLike, SseRequest, SseResponse } from './types.js';

/** What {@link sendRequest} needs besides the request. */
export interface SendRequestOptions {
  /** The `fetch` to use; `undefined` picks the global `fetch`, else cross-fetch. */
  readonly fetch: FetchLike | undefined;
  /** Sent as `Last-Event-ID` unless `undefined` or empty. */
  readonly lastEventId: string | undefined;
  /** Aborts the request and, once it has answered, its body. */
  readonly signal: AbortSignal;
}

/**
 * Sends one SSE request: resolves the headers (calling a header function again, so a retry
 * gets a fresh token), adds `Accept: text/event-stream` unless an `Accept` is given, sets
 * `Last-Event-ID`, and calls `fetch`.
 *
 * Headers are handed to `fetch` as a plain object: every fetch implementation (undici,
 * browsers, node-fetch behind cross-fetch) reads one, whereas a `Headers` instance from one
 * implementation is not always understood by another.
 */
export async function sendRequest(
  request: SseRequest,
  options: SendRequestOptions,
): Promise<SseResponse> {
  const { lastEventId, signal } = options;
  const headers = new Headers(
    typeof request.headers === 'function' ? await request.headers() : request.headers,
  );
  // [WHATWG SSE] the request has "`Accept`/`text/event-stream`"; MCP POSTs list more types,
  // so a caller's Accept is kept as it is.
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  // [WHATWG SSE] "If the event source's last event ID string is not the empty string, set
  // `Last-Event-ID`". [spec 2025-11-25 transports] the client "SHOULD [...] include the
  // Last-Event-ID header to indicate the last event ID it received".
  if (lastEventId !== undefined && lastEventId !== '') headers.set('last-event-id', lastEventId);
  const fetchImpl = options.fetch ?? (await defaultFetch());
  return fetchImpl(String(request.url), {
    ...request.init,
    method: request.method ?? 'GET',
    headers: Object.fromEntries(headers),
    ...(request.body === undefined ? {} : { body: request.body }),
    signal,
  });
}

// Looked up at call time, not at import time, so that a fetch installed later (a polyfill,
// a test double) is used, and imported lazily so that environments with a global fetch
// never load cross-fetch (whose Node build pulls in node-fetch and Node built-ins).
async function defaultFetch(): Promise<FetchLike> {
  if (typeof globalThis.fetch === 'function') return globalThis.fetch.bind(globalThis);
  const crossFetch = await import('cross-fetch');
  return crossFetch.fetch as FetchLike;
}
