import type { ServerResponse } from 'node:http';
import {
  EMPTY,
  Subject,
  concat,
  concatMap,
  defer,
  filter,
  finalize,
  from,
  fromEvent,
  ignoreElements,
  merge,
  mergeMap,
  of,
  startWith,
  switchMap,
  takeUntil,
  tap,
  timer,
} from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { boundedBuffer } from '../../operators/boundedBuffer.js';
import type { StoredEvent } from './EventStore.js';
import { sseMessage, writeSse } from './writeSse.js';

/** Options of {@link pipeEvents}. */
export interface PipeEventsOptions {
  /** The open SSE response (head already sent). */
  readonly res: ServerResponse;
  /** Live events of the stream; completes when the stream is done. */
  readonly live$: Observable<StoredEvent>;
  /** The stored events to send first (those after the client's cursor). */
  readonly replay: () => readonly StoredEvent[] | Promise<readonly StoredEvent[]>;
  /** Events with `seq` up to this were delivered already and are skipped. */
  readonly afterSeq: number;
  /** Written first: the priming event (`id:` + `retry:` + empty data), when the client takes it. */
  readonly preamble?: string;
  /** See `StreamableHttpServerOptions.keepAliveMs`. */
  readonly keepAliveMs: number;
  /** See `StreamableHttpServerOptions.streamQueueCapacity`. */
  readonly queueCapacity: number;
  readonly scheduler: SchedulerLike;
  /** Told the seq of each event written, so that a fresh GET knows where to go on from. */
  readonly onWritten: (seq: number) => void;
}

const REPLAY = Symbol('replay');

/**
 * Feeds one SSE connection: the stored events after the cursor, then the live ones, through
 * a bounded queue, with keep-alive comments while quiet. Completes when the stream is done
 * and written (the caller then ends the response) or when the client goes away; errors with
 * a `limit` error when the client reads too slowly for the queue (the caller ends the
 * connection; the events are in the store for a resume).
 *
 * ```text
 * live$      ---e3------e4----|
 * replay     (e1 e2)                   cursor: e0
 * written    P-e1-e2-e3-:-----e4-|     P priming, : keep-alive after keepAliveMs of quiet
 * ```
 *
 * The replay is the first item of the queue, so live events that arrive while it is written
 * wait behind it (order is kept), and a seq filter drops the ones the replay already
 * contained (no duplicates).
 */
export function pipeEvents(options: PipeEventsOptions): Observable<void> {
  const { res, keepAliveMs, scheduler, onWritten } = options;
  return defer(() => {
    let lastSeq = options.afterSeq;
    const wrote = new Subject<void>();
    const write = (event: StoredEvent): Observable<void> => {
      if (event.seq <= lastSeq) return EMPTY;
      lastSeq = event.seq;
      return writeSse(res, sseMessage(event.eventId, event.message)).pipe(
        tap({
          complete: () => {
            onWritten(event.seq);
            wrote.next();
          },
        }),
      );
    };
    const events$ = merge(of<typeof REPLAY>(REPLAY), options.live$).pipe(
      boundedBuffer({
        capacity: options.queueCapacity,
        overflow: 'error',
        consume: (item: StoredEvent | typeof REPLAY) =>
          item === REPLAY
            ? defer(() => from(Promise.resolve(options.replay()))).pipe(
                mergeMap((events) => events),
                concatMap(write),
              )
            : write(item),
      }),
    );
    const preamble$ = options.preamble === undefined ? EMPTY : writeSse(res, options.preamble);
    // Quiet means nothing written for keepAliveMs: each write restarts the countdown. A
    // comment is skipped while the socket is backed up: bytes are waiting, the line is not
    // idle.
    const keepAlive$ =
      keepAliveMs === 0
        ? EMPTY
        : wrote.pipe(
            startWith(undefined),
            switchMap(() => timer(keepAliveMs, keepAliveMs, scheduler)),
            filter(() => !res.writableNeedDrain && !res.writableEnded),
            tap(() => res.write(': keep-alive\n\n')),
            ignoreElements(),
          );
    // The keep-alive lives as long as the events: it stops when they are done.
    const eventsDone = new Subject<void>();
    return merge(
      concat(preamble$, events$).pipe(finalize(() => eventsDone.next())),
      keepAlive$.pipe(takeUntil(eventsDone)),
    ).pipe(
      ignoreElements(),
      // A client that disconnects ends this connection, not the stream: what it misses is
      // in the store for its resume.
      takeUntil(fromEvent(res, 'close')),
    );
  });
}
