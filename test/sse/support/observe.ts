import type { Observable } from 'rxjs';

/** What a subscription has seen so far, and a promise of how it ended. */
export interface Observed<T> {
  readonly values: T[];
  /** Resolves with the error (or `undefined` on completion) when the stream ends. */
  readonly ended: Promise<unknown>;
  unsubscribe(): void;
}

/** Subscribes and records, so a test can watch a stream while it runs and await its end. */
export function observe<T>(source: Observable<T>): Observed<T> {
  const values: T[] = [];
  let settle: (outcome: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => (settle = resolve));
  const subscription = source.subscribe({
    next: (value) => values.push(value),
    error: (error: unknown) => settle(error),
    complete: () => settle(undefined),
  });
  return { values, ended, unsubscribe: () => subscription.unsubscribe() };
}

/** How many timers and TCP handles the process holds, to prove a test left none behind. */
export function openHandles(): { timers: number; sockets: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    timers: resources.filter((name) => name === 'Timeout').length,
    sockets: resources.filter((name) => name === 'TCPSocketWrap').length,
  };
}

/** A connection state as a short string, for readable assertions on whole sequences. */
export function describeState(state: {
  readonly type: string;
  readonly attempt?: number;
  readonly delayMs?: number;
  readonly reason?: { readonly kind: string };
}): string {
  switch (state.type) {
    case 'connecting':
      return `connecting ${state.attempt}`;
    case 'reconnecting':
      return `reconnecting ${state.attempt} in ${state.delayMs} (${state.reason?.kind})`;
    case 'closed':
      return state.reason ? `closed (${state.reason.kind})` : 'closed';
    default:
      return state.type;
  }
}
