import { catchError, finalize, takeUntil, throwError } from 'rxjs';
import type { BehaviorSubject, MonoTypeOperatorFunction, Observable } from 'rxjs';
import { RxMcpError } from '../../errors.js';
import type { ConnectionState } from '../../sse/state.js';

/**
 * How one connection of an HTTP client transport ends, the same for every kind: it stops
 * when `closing` emits, publishes `closed` on `state` (with the reason when it failed, and
 * that same `RxMcpError` goes down the error channel), and calls `release` to let go of what
 * the connection held.
 *
 * ```text
 * source   --m--m--#        --m--|      --m--m-----
 * closing                               ---------x
 * result   --m--m--#        --m--|      --m--m---|
 * state    ........closed(reason)  closed         closed
 * ```
 */
export function endConnection<T>(
  state: BehaviorSubject<ConnectionState>,
  closing: Observable<unknown>,
  release: () => void,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    source.pipe(
      takeUntil(closing),
      catchError((error: unknown) => {
        const reason = RxMcpError.from(error);
        state.next({ type: 'closed', reason });
        return throwError(() => reason);
      }),
      finalize(() => {
        release();
        if (state.value.type !== 'closed') state.next({ type: 'closed' });
      }),
    );
}
