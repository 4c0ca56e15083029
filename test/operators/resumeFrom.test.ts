import { defer, retry } from 'rxjs';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { resumeFrom } from '../../operators/resumeFrom';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

interface Event {
  readonly id?: string | number;
  readonly data: string;
}

/** A fake server: the n-th connection gets the n-th cold source; records each cursor it got. */
function server<T>(connections: Observable<T>[]) {
  const cursors: unknown[] = [];
  const connect = (cursor: unknown): Observable<T> => {
    cursors.push(cursor);
    const connection = connections[cursors.length - 1];
    if (connection === undefined) throw new Error('test connected more often than expected');
    return connection;
  };
  return { connect, cursors };
}

describe('resumeFrom', () => {
  it('hands the last cursor to connect on each of three reconnects', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const v: Record<string, Event> = {
        a: { id: 'a', data: '1' },
        b: { id: 'b', data: '2' },
        c: { id: 'c', data: '3' },
        d: { id: 'd', data: '4' },
        e: { id: 'e', data: '5' },
      };
      const connections = [cold('-a-b-#', v), cold('-c-#', v), cold('-d--#', v), cold('-e-|', v)];
      const { connect, cursors } = server(connections);
      const events$ = resumeFrom(connect).pipe(retry(3));
      expectObservable(events$).toBe('-a-b--c--d---e-|', v);
      expectSubscriptions(connections[0]!.subscriptions).toBe('^----!');
      expectSubscriptions(connections[1]!.subscriptions).toBe('-----^--!');
      expectSubscriptions(connections[2]!.subscriptions).toBe('--------^---!');
      expectSubscriptions(connections[3]!.subscriptions).toBe('------------^--!');
      flush();
      expect(cursors).toEqual([undefined, 'b', 'c', 'd']);
    });
  });

  it('resumes from the same cursor after a connection that sent nothing', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const v = { a: { id: 'a' }, b: { id: 'b' } };
      const { connect, cursors } = server([cold('-a-#', v), cold('--#', v), cold('-b|', v)]);
      expectObservable(resumeFrom(connect).pipe(retry(2))).toBe('-a----b|', v);
      flush();
      expect(cursors).toEqual([undefined, 'a', 'a']);
    });
  });

  it('starts from initialCursor', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const v = { a: { id: 'a', data: '1' } };
      const { connect, cursors } = server([cold('-a-#', v), cold('-|')]);
      const events$ = resumeFrom(connect, { initialCursor: 'seed' }).pipe(retry(1));
      expectObservable(events$).toBe('-a--|', v);
      flush();
      expect(cursors).toEqual(['seed', 'a']);
    });
  });

  it('keeps the cursor when cursorOf says undefined and clears it when it says null', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const v: Record<string, Event> = {
        a: { id: 'a', data: 'moves' },
        k: { data: 'keep' },
        x: { id: 'x', data: 'clear' },
      };
      const cursorOf = (event: Event) =>
        event.data === 'clear' ? null : typeof event.id === 'string' ? event.id : undefined;
      const { connect, cursors } = server([cold('-a-k-#', v), cold('-x-#', v), cold<Event>('-|')]);
      const events$ = resumeFrom(connect, { cursorOf }).pipe(retry(2));
      expectObservable(events$).toBe('-a-k--x--|', v);
      flush();
      expect(cursors).toEqual([undefined, 'a', undefined]);
    });
  });

  it('by default follows string ids, keeps on other ids, and clears on an empty id', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const v = {
        a: { id: 'a' },
        n: { id: 7 },
        p: 'a primitive',
        e: { id: '' },
      };
      const { connect, cursors } = server([cold('-a-n-p-#', v), cold('-e-#', v), cold('|')]);
      const events$ = resumeFrom<unknown>(connect).pipe(retry(2));
      expectObservable(events$).toBe('-a-n-p--e-|', v);
      flush();
      expect(cursors).toEqual([undefined, 'a', undefined]);
    });
  });

  it('calls onCursor when the cursor changes, with undefined when it is cleared', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const v = { a: { id: 'a' }, b: { id: 'b' }, k: { data: 'keep' }, e: { id: '' } };
      const seen: unknown[] = [];
      const { connect } = server([cold('-a-a-k-b-e-e-|', v)]);
      const events$ = resumeFrom<object>(connect, { onCursor: (cursor) => seen.push(cursor) });
      expectObservable(events$).toBe('-a-a-k-b-e-e-|', v);
      flush();
      expect(seen).toEqual(['a', 'b', undefined]);
    });
  });

  it('moves the cursor before the item is passed on', () => {
    newScheduler().run(({ cold, flush }) => {
      const v = { a: { id: 'a' }, b: { id: 'b' } };
      const events$ = resumeFrom<{ id: string }>(server([cold('-a-b-|', v)]).connect);
      const cursorWhenDelivered: unknown[] = [];
      events$.subscribe(() => cursorWhenDelivered.push(events$.cursor));
      flush();
      expect(cursorWhenDelivered).toEqual(['a', 'b']);
    });
  });

  it('shows the current cursor on the handle', () => {
    newScheduler().run(({ cold, flush }) => {
      const events$ = resumeFrom(server([cold('-a-|', { a: { id: 'a' } })]).connect, {
        initialCursor: 'start',
      });
      expect(events$.cursor).toBe('start');
      events$.subscribe();
      flush();
      expect(events$.cursor).toBe('a');
    });
  });

  it('supports non-string cursors through cursorOf', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const v = { a: { seq: 1 }, b: { seq: 2 }, c: { seq: 3 } };
      const { connect, cursors } = server([cold('-a-b-#', v), cold('-c-|', v)]);
      const events$ = resumeFrom<{ seq: number }, number>(connect, {
        initialCursor: 0,
        cursorOf: (event) => event.seq,
      }).pipe(retry(1));
      expectObservable(events$).toBe('-a-b--c-|', v);
      flush();
      expect(cursors).toEqual([0, 2]);
    });
  });

  it('shares the cursor between subscriptions of one handle, and not across defer', () => {
    newScheduler().run(({ cold, flush }) => {
      const v = { a: { id: 'a' } };
      const shared = server([cold('-a|', v), cold('-|')]);
      const handle = resumeFrom(shared.connect);
      handle.subscribe();
      flush();
      handle.subscribe();
      flush();
      expect(shared.cursors).toEqual([undefined, 'a']);

      const fresh = server([cold('-a|', v), cold('-|')]);
      const perSubscriber = defer(() => resumeFrom(fresh.connect));
      perSubscriber.subscribe();
      flush();
      perSubscriber.subscribe();
      flush();
      expect(fresh.cursors).toEqual([undefined, undefined]);
    });
  });

  it('connects lazily, and a connect that throws fails that subscription', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const boom = new Error('cannot connect');
      let calls = 0;
      const connect = (): Observable<string> => {
        calls += 1;
        if (calls <= 2) throw boom;
        return cold('-a|');
      };
      const events$ = resumeFrom(connect);
      expect(calls).toBe(0);
      expectObservable(events$).toBe('#', undefined, boom);
      // The second subscription throws too; retry's resubscription connects.
      expectObservable(events$.pipe(retry(1)), '--^').toBe('---a|');
    });
  });

  it('closes the connection on unsubscribe', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const connection = cold('-a-a-a-a-', { a: { id: 'a' } });
      const events$ = resumeFrom(() => connection);
      expectObservable(events$, '^--!').toBe('-a-', { a: { id: 'a' } });
      expectSubscriptions(connection.subscriptions).toBe('^--!');
    });
  });

  it('accepts promises and arrays from connect', async () => {
    const events$ = resumeFrom((cursor) => Promise.resolve({ id: `after-${String(cursor)}` }));
    await new Promise<void>((resolve) => events$.subscribe({ complete: resolve }));
    expect(events$.cursor).toBe('after-undefined');
    const fromArray = resumeFrom((cursor: string | undefined) => [{ id: `${cursor ?? ''}+` }]);
    fromArray.subscribe();
    fromArray.subscribe();
    expect(fromArray.cursor).toBe('++');
  });
});
