import type { ServerResponse } from 'node:http';
import { EMPTY, Observable, concat, concatMap, defer, from, mergeMap, tap, using } from 'rxjs';
import { boundedBuffer } from '../../operators/boundedBuffer.js';
import type { KeepAlive } from './createKeepAlive.js';
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
  /** The server's keep-alive tick, which watches the connection while it is piped. */
  readonly keepAlive: KeepAlive;
  /** See `StreamableHttpServerOptions.streamQueueCapacity`. */
  readonly queueCapacity: number;
  /** Told the seq of each event written, so that a fresh GET knows where to go on from. */
  readonly onWritten: (seq: number) => void;
}

/** The first item of every connection's queue: the preamble and the stored events. */
const REPLAY = Symbol('replay');

/**
 * Feeds one SSE connection: the stored events after the cursor, then the live ones, through
 * a bounded queue, with keep-alive comments while quiet (see `createKeepAlive`). Completes
 * when the stream is done and written (the caller then ends the response); errors with a
 * `limit` error when the client reads too slowly for the queue (the caller ends the
 * connection; the events are in the store for a resume) and with a `closed` error when the
 * response closes during a write. The caller watches `'close'` and unsubscribes.
 *
 * ```text
 * live$      ---e3------e4----|
 * replay     (e1 e2)                   cursor: e0
 * written    P-e1-e2-e3-:-----e4-|     P preamble, : keep-alive at a tick after a quiet period
 * ```
 *
 * The replay is the first item of the queue, so live events that arrive while it is written
 * wait behind it (order is kept), and a seq filter drops the ones the replay already
 * contained (no duplicates).
 *
 * Performance: an open SSE connection mostly waits, so what it holds while waiting is what
 * 10,000 of them cost. The pipeline is therefore short: the live Subject feeds the queue
 * through one subscriber (no `merge`/`startWith`, whose inner subscribers would stay), and
 * the keep-alive is a `Map` entry in the server's shared tick, not a timer per connection.
 */
export function pipeEvents(options: PipeEventsOptions): Observable<void> {
  const { res, keepAlive, onWritten } = options;
  return defer(() => {
    let lastSeq = options.afterSeq;
    const write = (event: StoredEvent): Observable<void> => {
      if (event.seq <= lastSeq) return EMPTY;
      lastSeq = event.seq;
      return writeSse(res, sseMessage(event.eventId, event.message)).pipe(
        tap({
          complete: () => {
            keepAlive.wrote(res);
            onWritten(event.seq);
          },
        }),
      );
    };
    // Built when the marker is consumed, not held for the connection's lifetime.
    const first = (): Observable<void> => {
      const replay$ = defer(() => from(Promise.resolve(options.replay()))).pipe(
        mergeMap((events) => events),
        concatMap(write),
      );
      return options.preamble === undefined
        ? replay$
        : concat(writeSse(res, options.preamble), replay$);
    };
    // The replay marker, then every live event, into the queue in that order.
    const items$ = new Observable<StoredEvent | typeof REPLAY>((subscriber) => {
      subscriber.next(REPLAY);
      return options.live$.subscribe(subscriber);
    });
    const events$ = items$.pipe(
      boundedBuffer({
        capacity: options.queueCapacity,
        overflow: 'error',
        consume: (item: StoredEvent | typeof REPLAY) => (item === REPLAY ? first() : write(item)),
      }),
    );
    return using(
      () => keepAlive.watch(res),
      () => events$,
    );
  });
}
