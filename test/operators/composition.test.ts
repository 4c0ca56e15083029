import { defer, delay, of } from 'rxjs';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { boundedBuffer } from '../../operators/boundedBuffer';
import { dedupeById } from '../../operators/dedupeById';
import { resumeFrom } from '../../operators/resumeFrom';
import { retryWithJitter } from '../../operators/retryWithJitter';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

interface ServerEvent {
  readonly id: string;
  readonly data: string;
}

/** Marble values: the character is the event id. */
const events: Record<string, ServerEvent> = Object.fromEntries(
  ['1', '2', '3', '4', '5', '6'].map((id) => [id, { id, data: `event ${id}` }]),
);

const dropped = { kind: 'network', retryable: true, message: 'connection reset' };

/**
 * A flaky server: the n-th connection gets the n-th cold stream, which may replay events the
 * client already has. Records the Last-Event-ID each connection was opened with.
 */
function flakyServer(connections: Observable<ServerEvent>[]) {
  const lastEventIds: (string | undefined)[] = [];
  const connect = (lastEventId: string | undefined): Observable<ServerEvent> => {
    lastEventIds.push(lastEventId);
    const connection = connections[lastEventIds.length - 1];
    if (connection === undefined) throw new Error('test connected more often than expected');
    return connection;
  };
  return { connect, lastEventIds };
}

describe('the resilient pipeline: resumeFrom, retryWithJitter, dedupeById (+ boundedBuffer)', () => {
  it('delivers every event exactly once, in order, across reconnects that replay', () => {
    // The canonical composition from docs/operators.md, verbatim; random() = 0.5 makes the
    // jittered 500 ms exact.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
        const connections = [
          cold('-1-2-3-#', events, dropped),
          cold('-2-3-4-5-#', events, dropped),
          cold('-4-5-6-|', events),
        ];
        const { connect, lastEventIds } = flakyServer(connections);

        const events$ = defer(() =>
          resumeFrom((lastId) => connect(lastId)).pipe(
            retryWithJitter({ initialDelayMs: 500 }),
            dedupeById(),
          ),
        );

        expectObservable(events$).toBe('-1-2-3 506ms 4-5 506ms 6-|', events);
        expectSubscriptions(connections[0]!.subscriptions).toBe('^------!');
        expectSubscriptions(connections[1]!.subscriptions).toBe('507ms ^--------!');
        expectSubscriptions(connections[2]!.subscriptions).toBe('1016ms ^------!');
        flush();
        expect(lastEventIds).toEqual([undefined, '3', '5']);
      });
    } finally {
      random.mockRestore();
    }
  });

  it("waits the server's retry hint, and ends with a fatal error after delivering all once", () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const closedWithHint = { retryable: true, retryAfterMs: 3 };
      const gone = { retryable: false, status: 404 };
      const { connect, lastEventIds } = flakyServer([
        cold('-1-2-#', events, closedWithHint),
        cold('-1-2-3-#', events, gone),
      ]);
      const reconnecting: number[] = [];
      const events$ = defer(() =>
        resumeFrom(connect).pipe(
          retryWithJitter({ initialDelayMs: 500, onRetry: (s) => reconnecting.push(s.delayMs) }),
          dedupeById(),
        ),
      );
      expectObservable(events$).toBe('-1-2---------3-#', events, gone);
      flush();
      expect(lastEventIds).toEqual([undefined, '2']);
      expect(reconnecting).toEqual([3]);
    });
  });

  it('gives every subscriber of the deferred pipeline its own cursor and window', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const lastEventIds: (string | undefined)[] = [];
      const connect = (lastEventId: string | undefined) => {
        lastEventIds.push(lastEventId);
        return lastEventId === undefined ? cold('-1-2-#', events, dropped) : cold('-2-3-|', events);
      };
      const events$ = defer(() =>
        resumeFrom(connect).pipe(retryWithJitter({ initialDelayMs: 2, jitter: 0 }), dedupeById()),
      );
      expectObservable(events$).toBe('-1-2------3-|', events);
      expectObservable(events$, '----^').toBe('-----1-2------3-|', events);
      flush();
      expect(lastEventIds).toEqual([undefined, undefined, '2', '2']);
    });
  });

  it('lets replays through when dedupeById sits before the retry (why it goes after)', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const { connect } = flakyServer([cold('-1-2-#', events, dropped), cold('-2-3-|', events)]);
      const wrongOrder$ = defer(() =>
        resumeFrom(connect).pipe(dedupeById(), retryWithJitter({ initialDelayMs: 2, jitter: 0 })),
      );
      // Each resubscription gets a fresh window, so the replayed 2 is delivered twice.
      expectObservable(wrongOrder$).toBe('-1-2----2-3-|', events);
    });
  });

  it('feeds a slow consumer through boundedBuffer, each event once, in order', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const { connect, lastEventIds } = flakyServer([
        cold('-1-2-#', events, dropped),
        cold('-1-2-3|', events),
      ]);
      const consumed$ = defer(() =>
        resumeFrom(connect).pipe(
          retryWithJitter({ initialDelayMs: 2, jitter: 0 }),
          dedupeById(),
          // Each event takes 3 frames to consume; 2 waits in the queue while 1 is consumed.
          boundedBuffer({ consume: (event) => of(event.id).pipe(delay(3)), capacity: 4 }),
        ),
      );
      expectObservable(consumed$).toBe('----1--2-------(3|)');
      flush();
      expect(lastEventIds).toEqual([undefined, '2']);
    });
  });
});
