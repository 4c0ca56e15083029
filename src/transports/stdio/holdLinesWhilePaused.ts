import { Observable, filter } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { Valve } from '../../../operators/valve.js';

/**
 * Passes NDJSON chunks on one line at a time, and stops between two lines while `valve` is
 * paused: the rest of the chunk waits, undecoded, until the valve opens again.
 *
 * Pausing a stream stops its next read, not the chunk already read, and one pipe read holds
 * up to 64 KiB of lines. Without this, all of them would be decoded into messages at once and
 * wait, as JavaScript objects, in whatever queue paused the valve. Held here they stay bytes in
 * the chunk's own buffer (outside the JavaScript heap), and the queue gets one message past its
 * pause at most. Completion waits until what was held has been passed on.
 *
 * ```text
 * source:  -'a\nb\nc\n'-------------|
 * valve:   open  paused after a  open
 * result:  -'a\n'----------------'b\n''c\n'|
 * ```
 */
export function holdLinesWhilePaused<T extends Uint8Array | string>(
  valve: Valve,
): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const held: T[] = [];
      let ended = false;
      let draining = false;
      const drain = (): void => {
        // A line passed on may pause or resume the valve synchronously: the loop re-checks it.
        if (draining) return;
        draining = true;
        try {
          while (held.length > 0 && !valve.isPaused) {
            const chunk = held[0] as T;
            const newline =
              typeof chunk === 'string' ? chunk.indexOf('\n') : (chunk as Uint8Array).indexOf(0x0a);
            if (newline === -1 || newline === chunk.length - 1) {
              held.shift();
              subscriber.next(chunk);
            } else {
              held[0] = cut(chunk, newline + 1);
              subscriber.next(cut(chunk, 0, newline + 1));
            }
          }
          if (held.length === 0 && ended) subscriber.complete();
        } finally {
          draining = false;
        }
      };
      const reopened = valve.paused$.pipe(filter((paused) => !paused)).subscribe(drain);
      const subscription = source.subscribe({
        next: (chunk) => {
          held.push(chunk);
          drain();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          ended = true;
          drain();
        },
      });
      return () => {
        reopened.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

function cut<T extends Uint8Array | string>(chunk: T, start: number, end?: number): T {
  return (
    typeof chunk === 'string' ? chunk.slice(start, end) : (chunk as Uint8Array).subarray(start, end)
  ) as T;
}
