import { EMPTY, asyncScheduler, concat, concatMap, defer, ignoreElements, map, race } from 'rxjs';
import { of, take, tap, timer } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { killProcessTree, processTreeAlive } from './killProcessTree.js';
import type { WatchedChild } from './watchChildProcess.js';

/** Options of {@link shutdownProcessTree}. */
export interface ShutdownProcessTreeOptions {
  /**
   * How long the server may take to exit by itself after its stdin is closed before it gets
   * `SIGTERM`, in milliseconds.
   * @default 2000
   */
  readonly closeTimeoutMs?: number;
  /**
   * How long each later step waits before the next, harsher one, in milliseconds: after
   * `SIGTERM` before `SIGKILL`, and for the group's stragglers likewise.
   * @default 2000
   */
  readonly killTimeoutMs?: number;
  /**
   * Where the waits are scheduled (a `TestScheduler` in marble tests).
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike;
}

/** The default grace, in milliseconds, between closing stdin and `SIGTERM`. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2000;
/** The default grace, in milliseconds, between `SIGTERM` and `SIGKILL`. */
export const DEFAULT_KILL_TIMEOUT_MS = 2000;

/**
 * Ends a server process started with `detached: true` and everything in its process group,
 * the way the MCP spec asks, and completes once Node has released the process and its pipes.
 * Never errors. Starting it again (a second subscription) runs the steps again; the stdio
 * transport shares one run.
 *
 * 1. End stdin, and wait up to `closeTimeoutMs` for the leader to exit.
 * 2. Else `SIGTERM` to the group, and wait up to `killTimeoutMs`.
 * 3. Else `SIGKILL` to the group, and wait up to `killTimeoutMs`.
 * 4. Stragglers: when members of the group outlive the leader (what `sh -c` and `npx` leave
 *    behind), `SIGTERM` to the group, wait up to `killTimeoutMs` for our pipes to close, then
 *    `SIGKILL` if any member is still there.
 * 5. Wait up to `killTimeoutMs` for the pipes to close; if some process outside the group
 *    still holds them, destroy our ends and move on.
 *
 * Every wait is a race between an event (`'exit'`, `'close'`) and a `timer`: a server that
 * exits at once is done at once, and nothing polls. The probe of step 4 is one `kill(-pid, 0)`
 * after each event, never a loop.
 *
 * ```text
 * polite server:   stdin.end() ──exit──close|
 * deaf server:     stdin.end() ──2000ms── SIGTERM ──2000ms── SIGKILL ──exit──close|
 * npx wrapper:     stdin.end() ──exit(npm)── group alive? SIGTERM ──close── alive? SIGKILL|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { spawn } from 'node:child_process';
 * import { shutdownProcessTree, watchChildProcess } from 'rxmcp/node';
 *
 * const watched = watchChildProcess(spawn('npx', ['some-mcp-server'], { detached: true }));
 * shutdownProcessTree(watched, { closeTimeoutMs: 500 }).subscribe({
 *   complete: () => console.log('server and helpers are gone'),
 * });
 * ```
 */
export function shutdownProcessTree(
  watched: WatchedChild,
  options: ShutdownProcessTreeOptions = {},
): Observable<never> {
  const {
    closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS,
    killTimeoutMs = DEFAULT_KILL_TIMEOUT_MS,
    scheduler = asyncScheduler,
  } = options;
  const { child, exit$, closed$ } = watched;

  /** `true` when `event$` fires within `ms`, `false` when the time runs out first. */
  const within = (event$: Observable<unknown>, ms: number): Observable<boolean> =>
    race(event$.pipe(map(() => true)), timer(ms, scheduler).pipe(map(() => false))).pipe(take(1));

  const escalate =
    (signal: 'SIGTERM' | 'SIGKILL') =>
    (exited: boolean): Observable<boolean> =>
      exited
        ? of(true)
        : defer(() => {
            killProcessTree(child.pid as number, signal);
            return within(exit$, killTimeoutMs);
          });

  const leader$ = defer(() => {
    // [spec 2025-11-25 lifecycle] the client SHOULD initiate shutdown by: 1. First, closing
    // the input stream to the child process (the server)
    // (An EPIPE here only means the server is gone already; it must not crash the host.)
    child.stdin?.on('error', () => undefined).end();
    return within(exit$, closeTimeoutMs);
  }).pipe(
    // [spec 2025-11-25 lifecycle] 2. Waiting for the server to exit, or sending SIGTERM if the
    // server does not exit within a reasonable time
    concatMap(escalate('SIGTERM')),
    // [spec 2025-11-25 lifecycle] 3. Sending SIGKILL if the server does not exit within a
    // reasonable time after SIGTERM
    concatMap(escalate('SIGKILL')),
  );

  // The spec speaks of "the server"; a wrapper (`sh -c`, `npx`) is the process we started, and
  // the real server is its child. Members still in the group after the leader is gone are
  // ours to end. They get SIGTERM first; then the wait is for our pipes to close (the one
  // event that tells they let go), and the final probe sends SIGKILL to whoever is left. A
  // zombie also answers the probe (until init reaps it, which some hosts do lazily);
  // signalling it is harmless, and since the wait ends on 'close' it costs no time.
  const stragglers$ = defer(() => {
    const pid = child.pid as number;
    if (!processTreeAlive(pid)) return EMPTY;
    killProcessTree(pid, 'SIGTERM');
    return within(closed$, killTimeoutMs).pipe(
      tap(() => {
        if (processTreeAlive(pid)) killProcessTree(pid, 'SIGKILL');
      }),
    );
  });

  // A descendant that left the group (setsid, a daemon) may still hold the pipes, and Node
  // emits 'close' only when they are all closed: destroying our ends lets it.
  const released$ = within(closed$, killTimeoutMs).pipe(
    concatMap((closed) =>
      closed
        ? EMPTY
        : defer(() => {
            child.stdin?.destroy();
            child.stdout?.destroy();
            child.stderr?.destroy();
            return within(closed$, killTimeoutMs);
          }),
    ),
  );

  // A process that never started has nothing to signal; Node still closes its pipes.
  return defer(() =>
    child.pid === undefined ? closed$ : concat(leader$, stragglers$, released$),
  ).pipe(ignoreElements());
}
