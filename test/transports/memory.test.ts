import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RxMcpError } from '../../src/errors';
import type { JsonRpcMessage } from '../../src/jsonrpc/types';
import type { ConnectionState } from '../../src/sse/state';
import { createInMemoryTransportPair } from '../../src/transports/memory';

const ping = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'ping' });

function recordStates(state$: Observable<ConnectionState>): string[] {
  const seen: string[] = [];
  state$.subscribe((state) => seen.push(state.type));
  return seen;
}

describe('createInMemoryTransportPair', () => {
  it('delivers what one side sends to the other, in order, both ways', async () => {
    const [a, b] = createInMemoryTransportPair();
    const atA: JsonRpcMessage[] = [];
    const atB = lastValueFrom(b.messages$.pipe(toArray()));
    a.messages$.subscribe((message) => atA.push(message));
    await Promise.all([1, 2, 3].map((id) => lastValueFrom(a.send(ping(id)), { defaultValue: 0 })));
    await lastValueFrom(b.send({ jsonrpc: '2.0', id: 1, result: {} }), { defaultValue: 0 });
    await lastValueFrom(a.close(), { defaultValue: 0 });
    expect(await atB).toEqual([ping(1), ping(2), ping(3)]);
    expect(atA).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('hands the receiver its own copy, as a wire would', async () => {
    const [a, b] = createInMemoryTransportPair();
    const sent = { jsonrpc: '2.0' as const, id: 1, method: 'x', params: { list: [1] } };
    const got = firstValueFrom(b.messages$);
    a.messages$.subscribe();
    await lastValueFrom(a.send(sent), { defaultValue: 0 });
    const message = await got;
    expect(message).toEqual(sent);
    expect(message).not.toBe(sent);
    a.close().subscribe();
  });

  it('fails a send with closed while its own side is not open', async () => {
    const [a, b] = createInMemoryTransportPair();
    b.messages$.subscribe();
    const error = await lastValueFrom(a.send(ping(1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RxMcpError);
    expect((error as RxMcpError).kind).toBe('closed');
    expect((error as RxMcpError).message).toMatch(/subscribe to its messages\$/);
  });

  it('fails a message that is not valid JSON-RPC, or not JSON at all, with protocol', async () => {
    const [a, b] = createInMemoryTransportPair();
    a.messages$.subscribe();
    b.messages$.subscribe();
    const invalid = { jsonrpc: '1.0', id: 1, method: 'x' } as unknown as JsonRpcMessage;
    const cyclic = { jsonrpc: '2.0', id: 1, method: 'x', params: {} } as {
      params: { self?: unknown };
    };
    cyclic.params.self = cyclic;
    const nothing = undefined as unknown as JsonRpcMessage;
    for (const message of [invalid, cyclic as unknown as JsonRpcMessage, nothing]) {
      const error = await lastValueFrom(a.send(message)).catch((e: unknown) => e);
      expect((error as RxMcpError).kind).toBe('protocol');
    }
    a.close().subscribe();
  });

  it('holds messages for a peer that has not opened yet, up to capacity', async () => {
    const [a, b] = createInMemoryTransportPair({ capacity: 2 });
    a.messages$.subscribe();
    await lastValueFrom(a.send(ping(1)), { defaultValue: 0 });
    await lastValueFrom(a.send(ping(2)), { defaultValue: 0 });
    const overflow = await lastValueFrom(a.send(ping(3))).catch((e: unknown) => e);
    expect((overflow as RxMcpError).kind).toBe('limit');
    expect(await firstValueFrom(b.messages$.pipe(take(2), toArray()))).toEqual([ping(1), ping(2)]);
    a.close().subscribe();
  });

  it('publishes idle, connecting, open, closed; replays closed and completes', async () => {
    const [a, b] = createInMemoryTransportPair();
    const states = recordStates(a.state$);
    const subscription = a.messages$.subscribe();
    b.messages$.subscribe();
    expect(states).toEqual(['idle', 'connecting', 'open']);
    subscription.unsubscribe();
    expect(states).toEqual(['idle', 'connecting', 'open', 'closed']);
    expect(await lastValueFrom(a.state$.pipe(toArray()))).toEqual([{ type: 'closed' }]);
  });

  it('shares one connection between subscribers; the last unsubscribe closes both sides', () => {
    const [a, b] = createInMemoryTransportPair();
    let bEnded = false;
    b.messages$.subscribe({ complete: () => (bEnded = true) });
    const first = a.messages$.subscribe();
    const second = a.messages$.subscribe();
    first.unsubscribe();
    expect(bEnded).toBe(false);
    second.unsubscribe();
    expect(bEnded).toBe(true);
  });

  it('close() completes both streams, is idempotent, and the pair never opens again', async () => {
    const [a, b] = createInMemoryTransportPair();
    const aDone = lastValueFrom(a.messages$.pipe(toArray()));
    const bDone = lastValueFrom(b.messages$.pipe(toArray()));
    await lastValueFrom(a.close(), { defaultValue: 0 });
    await lastValueFrom(a.close(), { defaultValue: 0 });
    expect(await aDone).toEqual([]);
    expect(await bDone).toEqual([]);
    expect(await lastValueFrom(b.messages$.pipe(toArray()))).toEqual([]);
    const error = await lastValueFrom(b.send(ping(1))).catch((e: unknown) => e);
    expect((error as RxMcpError).kind).toBe('closed');
  });

  it('does not deliver a send unsubscribed before its turn, nor one overtaken by a close', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ flush }) => {
      const [a, b] = createInMemoryTransportPair();
      const got: JsonRpcMessage[] = [];
      b.messages$.subscribe((message) => got.push(message));
      a.messages$.subscribe();
      a.send(ping(1)).subscribe().unsubscribe();
      let error: unknown;
      a.send(ping(2)).subscribe({ error: (e: unknown) => (error = e) });
      b.close().subscribe();
      flush();
      expect(got).toEqual([]);
      expect((error as RxMcpError).kind).toBe('closed');
    });
  });

  it('refuses a negative capacity', () => {
    expect(() => createInMemoryTransportPair({ capacity: -1 })).toThrow(RangeError);
  });
});
