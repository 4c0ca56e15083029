import {
  EMPTY,
  catchError,
  concat,
  defer,
  from,
  mergeMap,
  of,
  reduce,
  takeWhile,
  tap,
  throwError,
} from 'rxjs';
import type { Observable } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import { isRequest, isResponse } from '../../jsonrpc/typeGuards.js';
import type { JsonRpcId, JsonRpcMessage } from '../../jsonrpc/types.js';
import { eventStream } from '../../sse/eventStream.js';
import { readBody } from '../../sse/readBody.js';
import type { FetchLike, SseRequest, SseResponse } from '../../sse/types.js';
import { discardBody } from './discardBody.js';
import { errorResponseFor } from './errorResponseFor.js';
import { sessionHeaders, sessionStreamOptions } from './httpContext.js';
import type { HttpContext } from './httpContext.js';
import { streamLostError, unexpectedContentTypeError } from './httpTransportErrors.js';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import { decodedMessages, sseMessages } from './sseMessages.js';

/**
 * The messages a POST's response carries, as an Observable that never errors.
 *
 * - 202 (or no body): none.
 *   [spec 2025-11-25 transports] If the server accepts the input, the server MUST return
 *   HTTP status code 202 Accepted with no body.
 * - `application/json`: the one response (or a 2025-03-26 batch).
 * - `text/event-stream`: requests and notifications, then the response; the stream is read
 *   through {@link eventStream}, so when it drops or the server closes it early (SEP-1699
 *   polling) it is resumed with GET + `Last-Event-ID` after the server's `retry:` interval,
 *   and replays are dropped. It completes with the response to `message`.
 *
 * When the response cannot arrive any more (the stream ended without an event id to resume
 * from, the retries are spent, the body is not JSON-RPC), a made-up error response for the
 * request is emitted instead ({@link errorResponseFor}), so that the request fails at once.
 *
 * ```text
 * 200 SSE  --{id:e1,''}--progress--X  GET Last-Event-ID: e1 --progress(replay)--result|
 * result   ----------------progress-------------------------------------------result|
 * 200 SSE  --progress--|   (no event id: not resumable)
 * result   --progress--error(id, -32000, kind network)|
 * ```
 */
export function replyMessages(
  context: HttpContext,
  message: JsonRpcMessage,
  response: SseResponse,
): Observable<JsonRpcMessage> {
  const requestId = isRequest(message) ? message.id : undefined;
  return defer(() => {
    const type = essence(response.headers.get('content-type'));
    if (response.status === 202 || response.body === null) {
      discardBody(response);
      return EMPTY;
    }
    if (type === 'application/json') return jsonBody(response, context.maxBufferSize);
    if (type === 'text/event-stream') return sseBody(context, response, requestId);
    discardBody(response);
    // A notification or response answered 200 with something else: nothing to deliver.
    if (requestId === undefined) return EMPTY;
    return throwError(() => unexpectedContentTypeError(context.url, type || null));
  }).pipe(
    catchError((error: unknown) =>
      requestId === undefined
        ? EMPTY
        : of(errorResponseFor(requestId, lostError(context.url, requestId, error))),
    ),
  );
}

function lostError(url: string, requestId: JsonRpcId, error: unknown): RxMcpError {
  const cause = RxMcpError.from(error);
  return cause.kind === 'network' || cause.kind === 'timeout'
    ? streamLostError(url, requestId, cause)
    : cause;
}

function jsonBody(response: SseResponse, maxBytes: number): Observable<JsonRpcMessage> {
  return readBody(response.body).pipe(
    reduce(
      (body: { chunks: Uint8Array[]; size: number }, chunk) => {
        body.chunks.push(chunk);
        body.size += chunk.byteLength;
        if (body.size > maxBytes) {
          throw new RxMcpError(
            'limit',
            `A JSON response grew past ${maxBytes} bytes (maxBufferSize) and was dropped.`,
            { retryable: false },
          );
        }
        return body;
      },
      { chunks: [], size: 0 },
    ),
    mergeMap(({ chunks }) => {
      const text = new TextDecoder().decode(concatBytes(chunks));
      // A bad JSON body fails its own request, so the decode error goes with that failure
      // instead of to invalid$.
      let invalid: JsonRpcDecodeError | undefined;
      const messages = decodedMessages(text, (error) => (invalid = error));
      if (messages.length === 0) {
        throw new RxMcpError(
          'parse',
          `The JSON response is not a JSON-RPC message: ${invalid?.message ?? 'empty batch'}`,
          { retryable: false, cause: invalid },
        );
      }
      return from(messages);
    }),
  );
}

function sseBody(
  context: HttpContext,
  response: SseResponse,
  requestId: JsonRpcId | undefined,
): Observable<JsonRpcMessage> {
  // The POST has been answered already: the first "connection" of the event stream is that
  // answer, every later one is a GET that resumes it.
  let prefetched: SseResponse | undefined = response;
  const fetchOnce: FetchLike = (url, init) => {
    const first = prefetched;
    prefetched = undefined;
    return first === undefined ? context.fetch(url, init) : Promise.resolve(first);
  };
  // The stream belongs to the session it was opened in, whose event ids mean nothing in
  // another: if the transport has renewed the session meanwhile, the resume still names the
  // old one, and the server's 404 fails the request instead of resuming a stream of the new
  // session that happens to have the same id.
  const streamSessionId = context.session.sessionId;
  const resumeHeaders = async (): Promise<Record<string, string>> => {
    const headers = await sessionHeaders(context, 'text/event-stream');
    if (streamSessionId !== undefined) headers['mcp-session-id'] = streamSessionId;
    return headers;
  };
  const request = (cursor: string | undefined): SseRequest =>
    cursor === undefined
      ? { url: context.url, method: 'POST' }
      : {
          // [spec 2025-11-25 transports] Resumption is always via HTTP GET with Last-Event-ID.
          url: context.url,
          method: 'GET',
          headers: resumeHeaders,
          init: context.init,
        };
  const stream = eventStream(request, {
    fetch: fetchOnce,
    // [spec 2025-11-25 transports] After the server has sent an SSE event with an event ID
    // to the client, the server MAY close the connection (without terminating the SSE
    // stream) at any time [...] The client SHOULD then "poll" the SSE stream by attempting
    // to reconnect. Without an event id there is nothing to resume: a GET would open a different stream,
    // so the request is failed at once instead of reconnecting.
    ...sessionStreamOptions(context, () => stream.lastEventId !== undefined),
  });
  let answered = requestId === undefined;
  return concat(
    stream.events$.pipe(
      sseMessages(context.onInvalid),
      // [spec 2025-11-25 transports] After the JSON-RPC response has been sent, the server
      // SHOULD terminate the SSE stream. Done here too, whatever the server does.
      takeWhile((each) => !isResponseTo(each, requestId), true),
      tap((each) => (answered ||= isResponseTo(each, requestId))),
    ),
    // The stream ended cleanly (a 204 on resume) without the response: it is not coming.
    defer(() =>
      answered
        ? EMPTY
        : throwError(
            () => new RxMcpError('network', 'The event stream ended without the response.'),
          ),
    ),
  );
}

function isResponseTo(message: JsonRpcMessage, id: JsonRpcId | undefined): boolean {
  return id !== undefined && isResponse(message) && message.id === id;
}

function essence(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
