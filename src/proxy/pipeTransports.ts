import { EMPTY, catchError, concat, defer, finalize, ignoreElements, merge, of, take } from 'rxjs';
import type { Observable, ObservableInput } from 'rxjs';
import { boundedBuffer } from '../../operators/boundedBuffer.js';
import type { Valve } from '../../operators/valve.js';
import { RxMcpError } from '../errors.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/types.js';
import { errorResponseFor } from '../transports/http/errorResponseFor.js';
import type { Transport } from '../transports/transport.js';
import { createIdMapper } from './createIdMapper.js';
import type { IdMapper } from './createIdMapper.js';
import { translateMessage } from './translateMessage.js';

/**
 * Messages one pipe read can hold beyond the pause: 64 KiB (a pipe read) over the smallest
 * JSON-RPC line (`{"jsonrpc":"2.0","method":"x"}` and a newline, 31 bytes).
 */
const CHUNK_SLACK_MESSAGES = Math.ceil((64 * 1024) / 31);

/**
 * The receiver's request a message relates to when nothing in it says so: its only request in
 * flight. A stdio server does not say which client request its sampling or elicitation request
 * or its log notification belongs to; when exactly one client request is in flight it can only
 * be that one, and the server transport then sends it on that request's SSE stream, where a
 * client that opened no GET stream still receives it. Responses carry their own id.
 *
 * [spec 2025-11-25 basic_transports] The server MAY send JSON-RPC requests and notifications
 * before sending the JSON-RPC response. These messages SHOULD relate to the originating
 * client request.
 */
function soleRelated(message: JsonRpcMessage, receiverRequests: IdMapper): JsonRpcId | undefined {
  return 'method' in message ? receiverRequests.sole()?.originalId : undefined;
}

/** Which way a message was going. */
export type PipeDirection = 'downstream-to-upstream' | 'upstream-to-downstream';

/** Something worth logging that the pipe handled by itself. */
export type PipeEvent =
  | {
      /** A message could not be delivered; a request was answered with an error instead. */
      readonly type: 'send-failed';
      readonly direction: PipeDirection;
      readonly message: JsonRpcMessage;
      readonly error: RxMcpError;
    }
  | {
      /** A request was refused: `maxInFlight` requests of its sender were in flight. */
      readonly type: 'refused';
      readonly direction: PipeDirection;
      readonly message: JsonRpcMessage;
    };

/** Options of {@link pipeTransports}. Every option is optional. */
export interface PipeTransportsOptions {
  /**
   * The most requests in flight in each direction (the capacity of each id map). Over it, a
   * request is answered at once with a JSON-RPC error (`-32000`, `data.kind: 'limit'`).
   * @default 10_000
   */
  readonly maxInFlight?: number;
  /**
   * Messages that may wait in a direction whose source has no valve (a server session: its
   * client's requests are already bounded by `maxRequestsPerSession`). A source that
   * overruns it ends the pipe with a `BufferOverflowError`: bounded, never growing.
   * @default 1024
   */
  readonly bufferCapacity?: number;
  /**
   * In a direction whose source has a valve, the number of waiting messages at which the
   * valve is paused (it is resumed at half). The messages of the chunk the source read last
   * (at most 64 KiB of lines) are still taken after the pause.
   * @default 16
   */
  readonly pauseAt?: number;
  /** The valve the upstream transport reads through (`stdioTransport({ valve })`). @default none */
  readonly upstreamValve?: Valve;
  /** The valve the downstream transport reads through. @default none */
  readonly downstreamValve?: Valve;
  /**
   * Waited for after each message sent downstream, before the next one: lets a server-side
   * downstream whose `send` completes when the message is queued (not read) slow the
   * upstream down to the pace its client reads at.
   * @default none
   */
  readonly downstreamDrained?: () => ObservableInput<unknown>;
  /** Told what the pipe handled by itself (for logs and metrics). @default none */
  readonly onEvent?: (event: PipeEvent) => void;
}

/**
 * Connects two transports: the `downstream` one faces a client, the `upstream` one a
 * server. Subscribing opens both (upstream first, so that the client's first message has
 * somewhere to go) and moves messages both ways, one at a time per direction at the pace of
 * the receiving side (`send` completes when handed over). Request ids and progress tokens
 * are remapped per direction (see {@link createIdMapper}) so that no reuse of ids by the
 * client can cross responses; cancellations follow the mapping.
 *
 * When either side ends, the other is closed gracefully (`close()`: DELETE for HTTP, the
 * stdio shutdown sequence for a child) and the Observable completes. When either side fails,
 * it errors with that `RxMcpError`. Unsubscribing tears both down at once.
 *
 * A message that cannot be delivered does not end the pipe: a request is answered with a
 * JSON-RPC error response (`errorResponseFor`), anything else is dropped; both are reported
 * to `onEvent`.
 *
 * ```text
 * downstream.messages$  --req(id 1)------------cancel(1)--|
 * upstream.send              req(id "1")------cancel("1")    then upstream.close()
 * upstream.messages$    ---------progress("1")----------
 * downstream.send                 progress(token) related to 1
 * result                --------------------------------------|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { pipeTransports, stdioServerTransport, httpTransport } from 'rxmcp/node';
 *
 * pipeTransports(stdioServerTransport(), httpTransport({ url: 'https://example.com/mcp' }))
 *   .subscribe({ error: (error) => console.error(error.message) });
 * ```
 */
export function pipeTransports(
  downstream: Transport,
  upstream: Transport,
  options: PipeTransportsOptions = {},
): Observable<never> {
  const capacity = options.bufferCapacity ?? 1024;
  const pauseAt = options.pauseAt ?? 16;
  return defer(() => {
    const fromDownstream = createIdMapper({ capacity: options.maxInFlight });
    const fromUpstream = createIdMapper({ capacity: options.maxInFlight, prefix: 'u' });

    const leg = (
      direction: PipeDirection,
      source: Transport,
      target: Transport,
      own: IdMapper,
      peer: IdMapper,
      valve: Valve | undefined,
      drained: (() => ObservableInput<unknown>) | undefined,
    ): Observable<never> => {
      const deliver = (message: JsonRpcMessage): Observable<unknown> =>
        defer(() => {
          const translation = translateMessage(message, own, peer);
          const { forward, reply } = translation;
          if (reply !== undefined) {
            options.onEvent?.({ type: 'refused', direction, message });
            return source.send(reply).pipe(catchError(() => EMPTY));
          }
          if (forward === undefined) return EMPTY;
          const relatedRequestId = translation.relatedRequestId ?? soleRelated(forward, peer);
          const sent$ = target.send(
            forward,
            relatedRequestId === undefined ? undefined : { relatedRequestId },
          );
          const delivered$ = sent$.pipe(
            catchError((error: unknown) => {
              const failure = RxMcpError.from(error);
              options.onEvent?.({ type: 'send-failed', direction, message, error: failure });
              if (!('method' in message) || !('id' in message) || message.id === undefined) {
                return EMPTY;
              }
              // The request will not be answered by the other side: answer it here.
              if ('id' in forward && forward.id !== undefined) own.settle(forward.id);
              return source
                .send(errorResponseFor(message.id, failure))
                .pipe(catchError(() => EMPTY));
            }),
          );
          // Delivered: now wait, if asked, until the receiver's client has taken it.
          return drained === undefined ? delivered$ : concat(delivered$, defer(drained));
        });
      if (valve === undefined) {
        return source.messages$.pipe(
          boundedBuffer({ capacity, overflow: 'error', consume: deliver }),
          ignoreElements(),
        );
      }
      // A valve may stop its source between reads, not between messages: the lines of the
      // chunk read last (at most one pipe read, 64 KiB) may still arrive after the pause. So
      // pause at `pauseAt` and keep room for one chunk of the smallest messages beyond it. (A
      // stdio transport stops between lines: see `holdLinesWhilePaused`.)
      const resumeAt = Math.floor(pauseAt / 2);
      return source.messages$.pipe(
        boundedBuffer({
          capacity: pauseAt + CHUNK_SLACK_MESSAGES,
          overflow: 'error',
          consume: deliver,
          onFill: (size) => {
            if (size >= pauseAt) valve.pause();
            else if (size <= resumeAt) valve.resume();
          },
        }),
        ignoreElements(),
        finalize(() => valve.resume()),
      );
    };

    // When one side ends, close the other gracefully; the first side to end ends the pipe.
    const endsWithClose = (leg$: Observable<never>, other: Transport): Observable<true> =>
      concat(
        leg$,
        defer(() => other.close()).pipe(
          ignoreElements(),
          catchError(() => EMPTY),
        ),
        of(true as const),
      );

    return merge(
      // Upstream first: the downstream's first message (initialize) may be waiting already.
      endsWithClose(
        leg(
          'upstream-to-downstream',
          upstream,
          downstream,
          fromUpstream,
          fromDownstream,
          options.upstreamValve,
          options.downstreamDrained,
        ),
        downstream,
      ),
      endsWithClose(
        leg(
          'downstream-to-upstream',
          downstream,
          upstream,
          fromDownstream,
          fromUpstream,
          options.downstreamValve,
          undefined,
        ),
        upstream,
      ),
    ).pipe(
      take(1),
      ignoreElements(),
      finalize(() => {
        fromDownstream.clear();
        fromUpstream.clear();
      }),
    );
  });
}
