import { lastValueFrom, map, of, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { paginate } from '../../src/client/paginate';
import type { JsonRpcRequest } from '../../src/jsonrpc/types';
import { result } from './support/fakeServer';
import type { Responder } from './support/fakeServer';
import { newScheduler, openClient, outcome, setup } from './support/harness';

const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });

/** Pages keyed by the cursor that asks for them (`''` for the first page). */
function pages(key: string, book: { [cursor: string]: { items: string[]; next?: string } }) {
  return (request: JsonRpcRequest) => {
    const cursor = (request.params as { cursor?: string } | undefined)?.cursor ?? '';
    const page = book[cursor];
    if (page === undefined) throw new Error(`no page for ${cursor}`);
    return [
      result(request, {
        [key]: page.items.map((name) =>
          key === 'tools' ? tool(name) : { name, uri: `mem://${name}` },
        ),
        ...(page.next === undefined ? {} : { nextCursor: page.next }),
      }),
    ];
  };
}

const threePages = {
  '': { items: ['a', 'b'], next: 'c2' },
  c2: { items: ['c'], next: 'c3' },
  c3: { items: ['d', 'e'] },
};

async function listed(responders: { [method: string]: Responder }, list: string) {
  const { server, connect$ } = setup({ responders });
  const { client, disconnect } = await openClient(connect$);
  const names = (items: Observable<{ name: string }>) => items.pipe(map((item) => item.name));
  const lists: { [list: string]: () => Observable<string> } = {
    tools: () => names(client.listTools()),
    resources: () => names(client.listResources()),
    prompts: () => names(client.listPrompts()),
    templates: () => names(client.listResourceTemplates()),
  };
  const got = await outcome(lists[list]!());
  disconnect();
  return { ...got, server };
}

describe('list helpers and paginate', () => {
  it('follow nextCursor across 3 pages and emit every item in order', async () => {
    const { values, error, server } = await listed(
      { 'tools/list': pages('tools', threePages) },
      'tools',
    );
    expect(error).toBeUndefined();
    expect(values).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(
      server
        .requests('tools/list')
        .map((request) => (request.params as { cursor?: string }).cursor),
    ).toEqual([undefined, 'c2', 'c3']);
  });

  it.each([
    ['resources', 'resources/list', 'resources'],
    ['prompts', 'prompts/list', 'prompts'],
    ['templates', 'resources/templates/list', 'resourceTemplates'],
  ])('list %s the same way (%s)', async (list, method, key) => {
    const { values } = await listed({ [method]: pages(key, threePages) }, list);
    expect(values).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('fail with protocol when the server repeats a cursor, after the pages before it', async () => {
    const { values, error, server } = await listed(
      {
        'tools/list': pages('tools', {
          '': { items: ['a'], next: 'x' },
          x: { items: ['b'], next: 'y' },
          y: { items: ['c'], next: 'x' },
        }),
      },
      'tools',
    );
    expect(values).toEqual(['a', 'b', 'c']);
    expect(error?.kind).toBe('protocol');
    expect(error?.message).toMatch(/tools\/list.*cursor "x" a second time/);
    expect(server.requests('tools/list')).toHaveLength(3);
  });

  it('stop with a limit error after maxPages pages', async () => {
    const endless: Responder = (request) => {
      const n = Number((request.params as { cursor?: string } | undefined)?.cursor ?? 0);
      return [result(request, { tools: [tool(`t${n}`)], nextCursor: String(n + 1) })];
    };
    const { server, connect$ } = setup({ responders: { 'tools/list': endless } });
    const { client, disconnect } = await openClient(connect$);
    const { values, error } = await outcome(client.listTools({ maxPages: 4 }));
    expect(values.map((item) => item.name)).toEqual(['t0', 't1', 't2', 't3']);
    expect(error?.kind).toBe('limit');
    expect(error?.message).toMatch(/after 4 pages \(maxPages\)/);
    expect(server.requests('tools/list')).toHaveLength(4);
    disconnect();
  });

  it('are lazy: a consumer that stops early stops the listing', async () => {
    const { server, connect$ } = setup({
      responders: { 'tools/list': pages('tools', threePages) },
    });
    const { client, disconnect } = await openClient(connect$);
    const names = await lastValueFrom(client.listTools().pipe(take(2), toArray()));
    expect(names.map((item) => item.name)).toEqual(['a', 'b']);
    await lastValueFrom(client.ping());
    expect(server.requests('tools/list')).toHaveLength(1);
    expect(server.notifications('notifications/cancelled')).toEqual([]);
    disconnect();
  });

  it('start from a given cursor', async () => {
    const { server, connect$ } = setup({
      responders: { 'tools/list': pages('tools', threePages) },
    });
    const { client, disconnect } = await openClient(connect$);
    const names = await lastValueFrom(client.listTools({ cursor: 'c2' }).pipe(toArray()));
    expect(names.map((item) => item.name)).toEqual(['c', 'd', 'e']);
    expect(server.requests('tools/list')[0]?.params).toMatchObject({ cursor: 'c2' });
    disconnect();
  });

  it('treat an empty nextCursor as the end, and a page without items as empty', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const fetch = (cursor: string | undefined) =>
        cursor === undefined
          ? cold('--a|', { a: { nextCursor: 'n' } })
          : cold('--b|', { b: { items: [1], nextCursor: '' } });
      expectObservable(paginate(fetch)).toBe('--a-b|', {
        a: { nextCursor: 'n' },
        b: { items: [1], nextCursor: '' },
      });
    });
  });

  it('paginate subscribes to the next page once the previous one is emitted', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('--a|', { a: { nextCursor: 'n' } });
      const second = cold('---b|', { b: {} });
      const fetch = (cursor: string | undefined) => (cursor === undefined ? first : second);
      expectObservable(paginate(fetch)).toBe('--a--b|', { a: { nextCursor: 'n' }, b: {} });
      expectSubscriptions(first.subscriptions).toBe('^--!');
      expectSubscriptions(second.subscriptions).toBe('--^---!');
    });
  });

  it('paginate refuses a nonsensical maxPages', () => {
    expect(() => paginate(() => of({}), { maxPages: 0 })).toThrow(RangeError);
  });
});
