import { BehaviorSubject, defer, share, tap, throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import { dedupeById } from '../../operators/dedupeById.js';
import { resumeFrom } from '../../operators/resumeFrom.js';
import { retryWithJitter } from '../../operators/retryWithJitter.js';
import type { RetryWithJitterConfig } from '../../operators/retryWithJitter.js';
import { RxMcpError } from '../errors.js';
import { createFanOut } from './fanOut.js';
import { fromSSE } from './fromSSE.js';
import type { FromSseOptions } from './fromSSE.js';
import type { ConnectionState } from './state.js';
import type { SseEvent, SseRequest } from './types.js';

/**
 * The request of an {@link eventStream}: fixed, or built for each connection from the last
 * event id (MCP resumes a stream opened by a POST with a GET carrying `Last-Event-ID`).
 */
export type SseRequestSource = SseRequest | ((lastEventId: string | undefined) => SseRequest);

/** Options of {@link eventStream}: those of {@link fromSSE}, plus the resilience settings. */
export interface EventStreamOptions extends Omit<
  FromSseOptions,
  'lastEventId' | 'reconnectionTimeMs'
> {
  /**
   * The last event id to resume from on the first connection, for example one stored before
   * a page reload. `''` means none.
   * @default undefined
   */
  readonly lastEventId?: string;
  /**
   * How long a connection may stay silent before it is treated as dropped and reconnected.
   * Keep-alive comments count as activity.
   * @default 60000
   */
  readonly idleTimeoutMs?: number;
  /**
   * Reconnect when the server ends the response cleanly, after the `retry:` interval (the
   * MCP polling pattern, SEP-1699), instead of completing. A 204 always completes.
   * @default false
   */
  readonly reconnectOnEnd?: boolean;
  /**
   * The backoff between reconnects (see `retryWithJitter`): `maxRetries` 10, `initialDelayMs`
   * 1000, `maxDelayMs` 30000, `factor` 2, `jitter` 0.25, the count reset by every event. A
   * server's `retry:` field (after a stream was open) and `Retry-After` header win over the
   * computed delay. The scheduler is the top-level `scheduler`.
   * @default {}
   */
  readonly retry?: Omit<RetryWithJitterConfig, 'scheduler'>;
  /**
   * How many recent event ids are remembered to drop events a server replays after a
   * reconnect. Events without an id, or with an empty one, always pass.
   * @default 1000
   */
  readonly dedupeCapacity?: number;
}

/** What {@link eventStream} returns: the events, and the connection state as values. */
export interface EventStream {
  /**
   * The events, each exactly once and in order across reconnects. Shared: one connection
   * serves every subscriber; it opens with the first subscription and closes (aborting the
   * request) when the last one leaves. Fails only for good: an error that is not retryable
   * (401, 404, wrong content type, an event over `maxBufferSize`) or the retries spent.
   */
  readonly events$: Observable<SseEvent>;
  /**
   * The connection state: `idle` until the first subscription to `events$`, then
   * `connecting`, `open`, `reconnecting` (with attempt, delay and reason), `closed` (with the
   * error that ended it, if any). Replays the current state, never fails, never completes:
   * safe for Angular's `toSignal` or a `useSyncExternalStore` hook.
   */
  readonly state$: Observable<ConnectionState>;
  /** The id the next connection will resume from (what to store before a page unload). */
  readonly lastEventId: string | undefined;
}

/**
 * A server-sent event stream that survives drops: it reconnects with backoff, resumes from
 * the last event id, and never delivers an event twice. Not a state machine, a pipeline:
 *
 * `resumeFrom(connect) → retryWithJitter → dedupeById`, where `connect(lastEventId)` is
 * {@link fromSSE} with `Last-Event-ID` and an idle timeout.
 *
 * The resume position (last event id) and the reconnection time (last `retry:`) belong to
 * the returned object, like an `EventSource`'s: unsubscribing and subscribing again resumes
 * where the stream stopped. Call `eventStream` again for a fresh start.
 *
 * ```text
 * connect(undefined):  --e1--e2--X                   (dropped, server said retry: 500)
 * connect('e2'):                  ·500ms· --e2--e3--| (server replays e2)
 * events$:             --e1--e2-----------------e3--|
 * state$:              c--o-------r(1,500)-c(1)-o----closed
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { eventStream } from 'rxmcp';
 *
 * const stream = eventStream(
 *   { url: 'https://example.com/notifications', headers: () => ({ Authorization: `Bearer ${getToken()}` }) },
 *   { lastEventId: localStorage.getItem('lastEventId') ?? undefined, reconnectOnEnd: true },
 * );
 * stream.state$.subscribe((state) => console.log('connection', state.type));
 * stream.events$.subscribe((event) => console.log(event.event ?? 'message', event.data));
 * addEventListener('pagehide', () => localStorage.setItem('lastEventId', stream.lastEventId ?? ''));
 * ```
 */
export function eventStream(
  request: SseRequestSource,
  options: EventStreamOptions = {},
): EventStream {
  const { lastEventId, retry = {}, dedupeCapacity = 1000, ...connection } = options;
  const { idleTimeoutMs = 60_000, scheduler } = connection;
  const state = new BehaviorSubject<ConnectionState>({ type: 'idle' });
  // [WHATWG SSE] the "reconnection time" outlives a connection, like the last event id.
  let reconnectionTime: number | undefined;
  // The retry the next `connecting` belongs to, as numbered by retryWithJitter.
  let attempt = 0;

  const connect = (cursor: string | undefined): Observable<SseEvent> => {
    state.next({ type: 'connecting', attempt });
    let target: SseRequest;
    try {
      target = typeof request === 'function' ? request(cursor) : request;
    } catch (error) {
      return throwError(() => RxMcpError.from(error));
    }
    // fromSSE fails with RxMcpErrors only, which the retry decision and state$ rely on.
    return fromSSE(target, {
      ...connection,
      idleTimeoutMs,
      lastEventId: cursor,
      reconnectionTimeMs: reconnectionTime,
      onOpen: (response) => {
        state.next({ type: 'open' });
        connection.onOpen?.(response);
      },
      onRetry: (ms) => {
        // [spec 2025-11-25 transports] "The client MUST respect the retry field, waiting the
        // given number of milliseconds before attempting to reconnect."
        reconnectionTime = ms;
        connection.onRetry?.(ms);
      },
    });
  };

  // Built once: the cursor it keeps is the stream's resume position.
  const resumable = resumeFrom<SseEvent, string>(connect, {
    ...(lastEventId ? { initialCursor: lastEventId } : {}),
  });

  const events$ = defer(() => {
    attempt = 0;
    return resumable.pipe(
      retryWithJitter<SseEvent>({
        // Every error is an RxMcpError by now, and its own verdict is the one to follow.
        shouldRetry: (error) => RxMcpError.from(error).retryable,
        ...retry,
        ...(scheduler === undefined ? {} : { scheduler }),
        onRetry: (retryState) => {
          attempt = retryState.attempt;
          state.next({
            type: 'reconnecting',
            attempt: retryState.attempt,
            delayMs: retryState.delayMs,
            reason: RxMcpError.from(retryState.error),
          });
          retry.onRetry?.(retryState);
        },
      }),
      // An empty id resets the cursor but identifies nothing, so it must not be deduplicated.
      dedupeById<SseEvent, string>({
        capacity: dedupeCapacity,
        idOf: (event) => event.id || undefined,
      }),
    );
  }).pipe(
    tap({
      complete: () => state.next({ type: 'closed' }),
      error: (error: unknown) => state.next({ type: 'closed', reason: RxMcpError.from(error) }),
      unsubscribe: () => state.next({ type: 'closed' }),
    }),
    // A Subject's multicast, minus its per-event allocations (see createFanOut).
    share({ connector: createFanOut<SseEvent> }),
  );

  return {
    events$,
    state$: state.asObservable(),
    get lastEventId() {
      return resumable.cursor;
    },
  };
}
