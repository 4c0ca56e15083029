/**
 * A real `node:http` SSE server for tests, with a fault switchboard.
 *
 * The server publishes a numbered log of events (`id: 0` ... `id: total - 1`) and answers
 * each request with the next queued {@link Plan}, or with the default plan when the queue is
 * empty. A plan says what to do with that one request: answer with a status, stream part of
 * the log and then end / drop / drop mid-event / go silent, send raw bytes step by step, or
 * hand the request to a custom handler. `Last-Event-ID` is honoured: a stream plan continues
 * after that id (optionally replaying a few events before it, to exercise deduplication).
 *
 * Everything a test needs to wait for is an event on {@link SseServer.changes}, with
 * {@link SseServer.until} to wait for a condition without polling: requests received,
 * responses closed (and by whom), writes that hit backpressure.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { untilTrue } from '../../support/whenChanged';

/** One event of the log. */
export interface LogEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/** How a stream plan ends once it has sent its events. */
export type Ending =
  /** `res.end()`: a clean end of the response. */
  | 'end'
  /** The socket is destroyed between two events. */
  | 'drop'
  /** Half of the next event is sent, then the socket is destroyed. */
  | 'drop-mid-event'
  /** Nothing more is sent; the connection stays open until the client leaves. */
  | 'stall';

/**
 * A step of a raw plan: bytes to write, or something to wait for before going on (a promise,
 * or a function returning one, called when the step is reached).
 */
export type RawStep = string | Uint8Array | PromiseLike<unknown> | (() => PromiseLike<unknown>);

/** What the server does with one request. */
export type Plan =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
    }
  | {
      readonly type: 'stream';
      /** Sent first as `retry: n`. */
      readonly retry?: number;
      /** How many log events to send on this connection. @default all that remain */
      readonly count?: number;
      /** Start this many events before the one after `Last-Event-ID` (replays). @default 0 */
      readonly replay?: number;
      /** What happens after the events. @default 'end' */
      readonly then?: Ending;
      /** @default 'text/event-stream' */
      readonly contentType?: string;
    }
  | {
      readonly type: 'raw';
      readonly steps: readonly RawStep[];
      /** @default 'end' */
      readonly then?: Exclude<Ending, 'drop-mid-event'>;
      /** @default 'text/event-stream' */
      readonly contentType?: string;
    }
  /** Send an unterminated `data:` line forever (for the buffer limit). */
  | { readonly type: 'endless-line' }
  /** Never answer; the request hangs until the client gives up. */
  | { readonly type: 'hang' }
  | {
      readonly type: 'custom';
      readonly handle: (request: RecordedRequest, res: ServerResponse) => void;
    };

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly index: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly lastEventId: string | undefined;
  readonly body: string;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
}

/** How a response ended. */
export interface ClosedResponse {
  readonly index: number;
  /** `finished`: the server ended it; `dropped`: a plan cut it; `client`: the client left. */
  readonly by: 'finished' | 'dropped' | 'client';
  readonly bytesWritten: number;
}

export interface SseServerOptions {
  /** How many events the log holds. @default 100 */
  readonly total?: number;
  /** The event at an index. @default `{ id: String(i), data: `event ${i}` }` */
  readonly eventAt?: (index: number) => LogEvent;
  /** The plan used when the queue is empty. @default `{ type: 'stream' }` */
  readonly defaultPlan?: Plan | ((request: RecordedRequest) => Plan);
}

export interface SseServer {
  /** `http://127.0.0.1:<port>/events` */
  readonly url: string;
  /** Queues plans for the next requests, in order. */
  plan(...plans: Plan[]): void;
  /** Every request so far (bounded: the last 1000). */
  readonly requests: readonly RecordedRequest[];
  /** How many requests arrived. */
  readonly requestCount: number;
  /** Every response that has ended so far (the last 1000). */
  readonly closed: readonly ClosedResponse[];
  /** Bytes written to all responses. */
  readonly bytesWritten: number;
  /** How many writes returned `false` (the socket buffer was full). */
  readonly blockedWrites: number;
  /** Emits `'change'` after anything above changed. */
  readonly changes: EventEmitter;
  /** Resolves once `condition()` is true, checking it after every change. */
  until(condition: () => boolean): Promise<void>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

const HISTORY = 1000;

export function serialize(event: LogEvent): string {
  let text = '';
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  for (const line of event.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

export async function startSseServer(options: SseServerOptions = {}): Promise<SseServer> {
  const total = options.total ?? 100;
  const eventAt = options.eventAt ?? ((i: number) => ({ id: String(i), data: `event ${i}` }));
  const defaultPlan = options.defaultPlan ?? { type: 'stream' };
  const queue: Plan[] = [];
  const requests: RecordedRequest[] = [];
  const closed: ClosedResponse[] = [];
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let requestCount = 0;
  let bytesWritten = 0;
  let blockedWrites = 0;
  const changed = (): boolean => changes.emit('change');
  const remember = <T>(list: T[], item: T): void => {
    list.push(item);
    if (list.length > HISTORY) list.shift();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const lastEventId = req.headers['last-event-id'];
      const request: RecordedRequest = {
        index: requestCount++,
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      remember(requests, request);
      const plan =
        queue.shift() ?? (typeof defaultPlan === 'function' ? defaultPlan(request) : defaultPlan);
      let written = 0;
      let dropped = false;
      res.on('close', () => {
        const by = dropped ? 'dropped' : res.writableFinished ? 'finished' : 'client';
        remember(closed, { index: request.index, by, bytesWritten: written });
        changed();
      });
      const write = async (bytes: string | Uint8Array): Promise<boolean> => {
        if (res.destroyed) return false;
        const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
        written += size;
        bytesWritten += size;
        const flowing = res.write(bytes);
        if (!flowing) blockedWrites++;
        changed();
        if (!flowing) await drainOrClose(res);
        return !res.destroyed;
      };
      const drop = (): void => {
        dropped = true;
        res.destroy();
      };
      changed();
      void respond(plan, request, res, { write, drop, total, eventAt });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/events`,
    plan: (...plans) => void queue.push(...plans),
    requests,
    get requestCount() {
      return requestCount;
    },
    closed,
    get bytesWritten() {
      return bytesWritten;
    },
    get blockedWrites() {
      return blockedWrites;
    },
    changes,
    until: (condition) => untilTrue(changes, condition),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface Wire {
  write(bytes: string | Uint8Array): Promise<boolean>;
  drop(): void;
  readonly total: number;
  readonly eventAt: (index: number) => LogEvent;
}

// Batches of about this many characters keep the write count (and so the test time) low.
const BATCH = 64 * 1024;

async function respond(
  plan: Plan,
  request: RecordedRequest,
  res: ServerResponse,
  wire: Wire,
): Promise<void> {
  switch (plan.type) {
    case 'status':
      res.writeHead(plan.status, plan.headers).end(plan.body);
      return;
    case 'hang':
      return;
    case 'custom':
      plan.handle(request, res);
      return;
    case 'endless-line':
      openStream(res, 'text/event-stream');
      if (!(await wire.write('data: '))) return;
      while (await wire.write('x'.repeat(BATCH)));
      return;
    case 'raw':
      openStream(res, plan.contentType ?? 'text/event-stream');
      for (const step of plan.steps) {
        if (typeof step === 'string' || step instanceof Uint8Array) {
          if (!(await wire.write(step))) return;
        } else {
          await (typeof step === 'function' ? step() : step);
        }
      }
      finish(res, plan.then ?? 'end', wire);
      return;
    case 'stream': {
      openStream(res, plan.contentType ?? 'text/event-stream');
      if (plan.retry !== undefined && !(await wire.write(`retry: ${plan.retry}\n\n`))) return;
      const after = request.lastEventId === undefined ? -1 : Number(request.lastEventId);
      let next = Math.max(0, after + 1 - (plan.replay ?? 0));
      const end = Math.min(wire.total, next + (plan.count ?? wire.total));
      while (next < end) {
        let batch = '';
        while (next < end && batch.length < BATCH) batch += serialize(wire.eventAt(next++));
        if (!(await wire.write(batch))) return;
      }
      const then = plan.then ?? 'end';
      if (then === 'drop-mid-event' && next < wire.total) {
        const text = serialize(wire.eventAt(next));
        flushThenDrop(res, text.slice(0, Math.ceil(text.length / 2)), wire);
        return;
      }
      finish(res, then === 'drop-mid-event' ? 'drop' : then, wire);
      return;
    }
  }
}

function openStream(res: ServerResponse, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
  res.flushHeaders();
}

function finish(res: ServerResponse, then: Exclude<Ending, 'drop-mid-event'>, wire: Wire): void {
  if (then === 'end') res.end();
  // A comment is invisible to the client but gives a write whose callback says "flushed".
  else if (then === 'drop') flushThenDrop(res, ': bye\n', wire);
}

// Destroying a socket discards what is still queued in it; waiting for the callback of a
// last write (writes complete in order) makes sure the client gets everything before it.
function flushThenDrop(res: ServerResponse, last: string, wire: Wire): void {
  if (res.destroyed) return;
  res.write(last, () => wire.drop());
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
