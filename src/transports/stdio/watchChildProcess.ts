import type { ChildProcess } from 'node:child_process';
import { AsyncSubject } from 'rxjs';
import type { Observable } from 'rxjs';

/** How a child process ended. */
export interface ProcessExit {
  /** Its process id (and, for rxmcp's stdio transport, its process group id). */
  readonly pid: number;
  /** The exit code, or `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or `null` when it exited by itself. */
  readonly signal: NodeJS.Signals | null;
}

/** A child process and the moments of its life, as replaying Observables. */
export interface WatchedChild {
  /** The process. */
  readonly child: ChildProcess;
  /**
   * Completes once the process is running (`'spawn'`); errors with Node's error when it could
   * not be started (`ENOENT`, `EACCES`, a missing `cwd`).
   */
  readonly spawned$: Observable<void>;
  /**
   * Emits how the process ended, then completes. Completes without a value when it never
   * started. Late subscribers get the same answer.
   */
  readonly exit$: Observable<ProcessExit>;
  /**
   * Emits once the process has ended and every one of its stdio pipes is closed — that is,
   * no process holds the other ends any more and everything it wrote has been read — then
   * completes.
   */
  readonly closed$: Observable<void>;
}

/**
 * Turns the events of a freshly spawned `ChildProcess` into Observables that replay, so that
 * code arriving late (a `close()` after the crash) still learns what happened. Call it in the
 * same tick as `spawn`: the events fire on later ticks.
 *
 * ```text
 * events:    spawn ─────────── exit(1) ── close
 * spawned$:  ──|
 * exit$:     ───────────────── e|               e = { pid, code: 1, signal: null }
 * closed$:   ──────────────────────────── c|
 *
 * events:    error(ENOENT) ── close          (no 'spawn', no 'exit')
 * spawned$:  #
 * exit$:     ──────────────── |
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { spawn } from 'node:child_process';
 * import { watchChildProcess } from 'rxmcp/node';
 *
 * const { exit$ } = watchChildProcess(spawn('node', ['--version']));
 * exit$.subscribe(({ code }) => console.log('exited with', code));
 * ```
 */
export function watchChildProcess(child: ChildProcess): WatchedChild {
  // AsyncSubject: one value, delivered at completion, replayed to every later subscriber.
  const spawned = new AsyncSubject<void>();
  const exit = new AsyncSubject<ProcessExit>();
  const closed = new AsyncSubject<void>();

  child.once('spawn', () => spawned.complete());
  // Node also emits 'error' when a signal cannot be delivered; once the process runs that is
  // no news (the shutdown sequence checks the outcome itself), but the listener must stay so
  // that the event never crashes the host.
  child.on('error', (error) => spawned.error(error));
  child.once('exit', (code, signal) => {
    exit.next({ pid: child.pid as number, code, signal });
    exit.complete();
  });
  child.once('close', () => {
    // A process that failed to start emits 'close' without 'exit'.
    exit.complete();
    closed.next();
    closed.complete();
  });

  return {
    child,
    spawned$: spawned.asObservable(),
    exit$: exit.asObservable(),
    closed$: closed.asObservable(),
  };
}
