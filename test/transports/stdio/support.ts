import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ReplaySubject, filter, firstValueFrom, lastValueFrom } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import type { JsonRpcMessage, JsonRpcParams } from '../../../src/jsonrpc/types.js';
import type { Transport } from '../../../src/transports/transport.js';
import type { StdioTransportOptions } from '../../../src/transports/stdio/stdioTransportOptions.js';

export const REPO = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/stdio');
export const RAW_SERVER = path.join(FIXTURES, 'raw-server.mjs');
export const SDK_SERVER = path.join(FIXTURES, 'sdk-server.mjs');
export const RXMCP_SERVER = path.join(FIXTURES, 'rxmcp-server.ts');
export const NODE = process.execPath;

/** A unique string to find this test's processes by their command line. */
export function marker(name: string): string {
  return `rxmcp-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Options that run the raw fixture server with `args`. */
export function rawServer(
  args: readonly string[] = [],
  options: Partial<StdioTransportOptions> = {},
): StdioTransportOptions {
  return { command: NODE, args: [RAW_SERVER, ...args], ...options };
}

/**
 * Whether `pid` is a process that will go on running (Linux `/proc`). Not running:
 * - gone;
 * - a zombie: it exited and only waits for a parent to collect its status (an orphaned
 *   grandchild stays one until init gets round to it, which on some hosts takes a while);
 * - exiting (`PF_EXITING` in its flags), or with `SIGKILL` pending: a signal sent to a process
 *   that is not our child takes effect when the kernel next schedules it, and there is no
 *   event to wait for, so the test asks the kernel whether the kill has landed instead.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state ppid pgrp session tty_nr tpgid flags ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [state = '', , , , , , flags = '0'] = fields;
    if (state === 'Z' || state === 'X' || (Number(flags) & PF_EXITING) !== 0) return false;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const pending = status.match(/^(?:SigPnd|ShdPnd):\s*[0-9a-f]+$/gm) ?? [];
    return !pending.some((line) => (BigInt(`0x${line.split(/\s+/)[1]}`) & SIGKILL_BIT) !== 0n);
  } catch {
    return false;
  }
}

const PF_EXITING = 0x4;
const SIGKILL_BIT = 1n << 8n; // signal 9 is bit 8 of the pending masks

/** The running processes whose command line contains `text`. */
export function processesWith(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.includes(text) && isRunning(Number(entry))) found.push(Number(entry));
  }
  return found;
}

/** Subscribes to a transport's messages and keeps the last ones for assertions. */
export interface Connection {
  readonly received: ReplaySubject<JsonRpcMessage>;
  readonly subscription: Subscription;
  /** Sends a request and resolves with its response. */
  call(id: number, method: string, params?: JsonRpcParams): Promise<JsonRpcMessage>;
  /** Resolves with the end of `messages$`: `undefined` or the error. */
  ended(): Promise<unknown>;
}

export function open(transport: Transport): Connection {
  const received = new ReplaySubject<JsonRpcMessage>(1000);
  const subscription = transport.messages$.subscribe(received);
  return {
    received,
    subscription,
    async call(id, method, params) {
      const reply = firstValueFrom(
        received.pipe(
          filter((message) => 'id' in message && message.id === id && !('method' in message)),
        ),
      );
      const sent = lastValueFrom(
        transport.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }),
        { defaultValue: undefined },
      );
      // Both awaited together: whichever fails first is reported, the other is not left unhandled.
      const [, message] = await Promise.all([sent, reply]);
      return message;
    },
    ended: () =>
      lastValueFrom(received, { defaultValue: undefined }).then(
        () => undefined,
        (error: unknown) => error,
      ),
  };
}

/** Resolves with the first value of a hot Observable that matches; subscribe before the cause. */
export function waitFor<T>(source: Observable<T>, match: (value: T) => boolean): Promise<T> {
  return firstValueFrom(source.pipe(filter(match)));
}

/** Resolves once the Observable completes (rejects if it errors). */
export function done(source: Observable<unknown>): Promise<void> {
  return lastValueFrom(source, { defaultValue: undefined }).then(() => undefined);
}

/** The number after `prefix` in a line like `grandchild 1234`. */
export function pidIn(line: string, prefix: string): number {
  const match = new RegExp(`${prefix} (\\d+)`).exec(line);
  if (match === null) throw new Error(`no "${prefix} <pid>" in ${JSON.stringify(line)}`);
  return Number(match[1]);
}
