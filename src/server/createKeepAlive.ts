import type { ServerResponse } from 'node:http';
import { interval } from 'rxjs';
import type { SchedulerLike, Subscription, Unsubscribable } from 'rxjs';

/** The keep-alive comments of every open SSE connection of one server: see {@link createKeepAlive}. */
export interface KeepAlive {
  /** Keeps `res` alive until the returned handle is unsubscribed. */
  watch(res: ServerResponse): Unsubscribable;
  /** Tells that `res` just carried an event: it needs no comment at the next tick. */
  wrote(res: ServerResponse): void;
}

const COMMENT = ': keep-alive\n\n';
const NOTHING_TO_STOP: Unsubscribable = { unsubscribe: () => undefined };

/**
 * One keep-alive tick per server instead of a timer per connection: every `periodMs`, each
 * watched SSE connection that wrote nothing since the previous tick gets a `: keep-alive`
 * comment. An idle connection thus gets one comment per period, and no connection is silent
 * for more than two periods; one that carries events gets none.
 *
 * ```text
 * tick          ----T----T----T----T      periodMs between ticks
 * connection A  -e-------------------     comment at the 2nd and later ticks
 * written A     -e-------:----:----:
 * connection B  -e--e--e--e--e--e--e     never quiet for a whole period: no comment
 * ```
 *
 * Why shared: a timer per connection costs a subscriber chain, an rxjs action and a Node
 * `Timeout` per stream (about 4 KB each with 10,000 open streams), while the tick visits a
 * `Map` entry per connection. The tick is an rxjs `interval` on the server's `scheduler`
 * (virtual-time testable); it runs only while at least one connection is watched, so an
 * idle server, and one that closed, has no timer at all. `periodMs` `0` disables it.
 *
 * A comment is skipped while the socket is backed up (`writableNeedDrain`): bytes are
 * waiting, the line is not idle.
 */
export function createKeepAlive(periodMs: number, scheduler: SchedulerLike): KeepAlive {
  // Per connection: whether it wrote since the last tick.
  const watched = new Map<ServerResponse, boolean>();
  let ticking: Subscription | undefined;

  const tick = (): void => {
    for (const [res, wrote] of watched) {
      if (wrote) watched.set(res, false);
      else if (!res.writableNeedDrain && !res.writableEnded) res.write(COMMENT);
    }
  };

  const unwatch = (res: ServerResponse): void => {
    if (!watched.delete(res) || watched.size > 0) return;
    ticking?.unsubscribe();
    ticking = undefined;
  };

  return {
    watch(res) {
      if (periodMs === 0) return NOTHING_TO_STOP;
      // The SSE head was just sent: that counts as a write.
      watched.set(res, true);
      ticking ??= interval(periodMs, scheduler).subscribe(tick);
      return { unsubscribe: () => unwatch(res) };
    },
    wrote(res) {
      if (watched.has(res)) watched.set(res, true);
    },
  };
}
