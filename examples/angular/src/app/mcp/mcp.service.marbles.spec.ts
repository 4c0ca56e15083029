/**
 * The service's reconnect behaviour in virtual time: scripted connections that drop or are
 * refused at marble-given times, and the exact states (and their times) the service shows.
 */
import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestScheduler } from 'rxjs/testing';
import { RxMcpError } from 'rxmcp';
import type { Tool } from 'rxmcp';
import { scriptedTransport } from '../../testing/scripted-transport';
import type { Script, ScriptedTransport } from '../../testing/scripted-transport';
import { MCP_SCHEDULER, MCP_TRANSPORT, provideMcp } from './mcp-config';
import type { McpConfig } from './mcp-config';
import { McpService } from './mcp.service';
import type { McpState, McpTools } from './mcp-values';

const dropped = new RxMcpError('network', 'The connection dropped.');
const refused = new RxMcpError('network', 'Connection refused.');
const tools: Tool[] = [{ name: 'echo', inputSchema: { type: 'object' } }];
const retry: McpConfig['retry'] = { initialDelayMs: 100, factor: 2, jitter: 0, maxRetries: 2 };

const open: McpState = {
  type: 'open',
  serverInfo: { name: 'scripted', version: '1.0.0' },
  protocolVersion: '2025-11-25',
  instructions: undefined,
};
const states = {
  c: { type: 'connecting', attempt: 0 },
  d: { type: 'connecting', attempt: 1 },
  e: { type: 'connecting', attempt: 2 },
  o: open,
  r: {
    type: 'reconnecting',
    attempt: 1,
    delayMs: 100,
    reason: expect.objectContaining({ kind: 'network' }),
  },
  s: {
    type: 'reconnecting',
    attempt: 2,
    delayMs: 200,
    reason: expect.objectContaining({ kind: 'network' }),
  },
  f: {
    type: 'failed',
    error: expect.objectContaining({ kind: 'network', message: 'Connection refused.' }),
  },
  x: { type: 'closed' },
};

let scheduler: TestScheduler;
let transports: ScriptedTransport[];

/** A service whose n-th connection attempt follows the n-th script. */
function serviceWith(scripts: Script[]): McpService {
  transports = [];
  TestBed.configureTestingModule({
    providers: [
      provideMcp({
        url: 'http://mcp.invalid/mcp',
        clientInfo: { name: 'test', version: '0' },
        retry,
      }),
      { provide: MCP_SCHEDULER, useValue: scheduler },
      {
        provide: MCP_TRANSPORT,
        useValue: () => {
          const transport = scriptedTransport(scripts[transports.length] ?? {});
          transports.push(transport);
          return transport;
        },
      },
    ],
  });
  return TestBed.inject(McpService);
}

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});
afterEach(() => TestBed.resetTestingModule());

describe('McpService reconnecting, in virtual time', () => {
  it('shows a dropped session as reconnecting, and opens a new one after the backoff', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const service = serviceWith([
        { life$: cold('10ms #', undefined, dropped), tools },
        { tools },
      ]);
      cold('300ms x').subscribe(() => TestBed.resetTestingModule());
      expectObservable(service.state$).toBe('(co) 6ms r 99ms (do) 186ms (x|)', states);
      // Each session lists the tools once it is open; between sessions the list stays.
      expectObservable(service.tools$).toBe('(lr) 106ms (lr) 186ms |', {
        l: { status: 'loading', tools: [] } satisfies McpTools,
        r: { status: 'ready', tools } satisfies McpTools,
      });
    });
    expect(transports.map((transport) => transport.methods)).toEqual([
      ['initialize', 'tools/list'],
      ['initialize', 'tools/list', 'close()'],
    ]);
  });

  it('gives up after maxRetries with a failed state, and reconnect() starts over', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const refuse: Script = { refuse: refused };
      const service = serviceWith([refuse, refuse, refuse, { tools }]);
      cold('400ms x').subscribe(() => service.reconnect());
      expectObservable(service.state$).toBe('(cr) 96ms (ds) 196ms (ef) 96ms (co)', states);
      expectObservable(service.tools$).toBe('l 299ms e 99ms (lr)', {
        l: { status: 'loading', tools: [] },
        e: { status: 'error', tools: [], error: expect.objectContaining({ kind: 'network' }) },
        r: { status: 'ready', tools },
      });
      expectObservable(service.callTool('echo', { text: 'late' })).toBe('300ms (e|)', {
        e: { type: 'error', error: expect.objectContaining({ message: 'Connection refused.' }) },
      });
    });
  });

  it('passes a stream resumed within the session through, without listing the tools again', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const reason = new RxMcpError('network', 'The GET stream dropped.');
      const states$ = cold('20ms r 49ms c 9ms o', {
        r: { type: 'reconnecting', attempt: 1, delayMs: 50, reason },
        c: { type: 'connecting', attempt: 1 },
        o: { type: 'open' },
      } as const);
      const service = serviceWith([{ states$, tools }]);
      expectObservable(service.state$).toBe('(co) 16ms r 49ms d 9ms o', {
        ...states,
        r: { type: 'reconnecting', attempt: 1, delayMs: 50, reason },
      });
      expectObservable(service.tools$).toBe('(lr)', {
        l: { status: 'loading', tools: [] },
        r: { status: 'ready', tools },
      });
    });
    expect(transports.map((transport) => transport.methods)).toEqual([
      ['initialize', 'tools/list'],
    ]);
  });

  it('lists the tools again when the server says they changed, keeping the old list meanwhile', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const notifications$ = cold('30ms n', {
        n: { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
      } as const);
      const service = serviceWith([{ notifications$, tools }]);
      expectObservable(service.tools$).toBe('(lr) 26ms (Lr)', {
        l: { status: 'loading', tools: [] },
        r: { status: 'ready', tools },
        L: { status: 'loading', tools },
      });
    });
    expect(transports[0]!.methods).toEqual(['initialize', 'tools/list', 'tools/list']);
  });

  it('ends the session gracefully when its injector is destroyed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const service = serviceWith([{ tools }]);
      cold('50ms x').subscribe(() => TestBed.resetTestingModule());
      expectObservable(service.state$).toBe('(co) 46ms (x|)', states);
    });
    // The transport was closed (not just dropped) and its connection is over.
    expect(transports[0]!.methods).toEqual(['initialize', 'close()']);
    let last: string | undefined;
    transports[0]!.state$.subscribe((state) => (last = state.type));
    expect(last).toBe('closed');
  });

  it('ends the session of a service provided by a component with that component', () => {
    @Component({ selector: 'app-scoped', template: '', providers: [McpService] })
    class ScopedComponent {
      readonly mcp = inject(McpService);
    }
    scheduler.run(({ cold, expectObservable }) => {
      serviceWith([{ tools }]);
      const fixture = TestBed.createComponent(ScopedComponent);
      cold('50ms x').subscribe(() => fixture.destroy());
      expectObservable(fixture.componentInstance.mcp.state$).toBe('(co) 46ms (x|)', states);
    });
    expect(transports.map((transport) => transport.methods)).toEqual([['initialize', 'close()']]);
  });
});
