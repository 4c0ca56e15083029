import { spawn } from 'node:child_process';

/** The two signals of the stdio shutdown sequence. */
export type ShutdownSignal = 'SIGTERM' | 'SIGKILL';

/**
 * Sends `signal` to the whole process tree of `pid`, which must have been spawned with
 * `detached: true` so that it leads its own process group. Returns whether anything was
 * there to receive it. Never throws.
 *
 * - POSIX: `kill(-pid, signal)` reaches every member of the group — the server, and whatever
 *   `sh -c` or `npx` started on its behalf — even after the leader itself has exited.
 * - Windows (best effort, untested here): there are no process groups nor a polite
 *   `SIGTERM`, so both steps run `taskkill /PID pid /T /F`, which walks the tree of a live
 *   parent. Descendants of a parent that already exited cannot be found that way.
 *
 * ```text
 * group 4242:  npm exec (4242) ─ sh (4250) ─ node server (4251)
 * killProcessTree(4242, 'SIGTERM')  → all three get SIGTERM
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { spawn } from 'node:child_process';
 * import { killProcessTree } from 'rxmcp/node';
 *
 * const child = spawn('sh', ['-c', 'sleep 100 & sleep 100'], { detached: true });
 * child.once('spawn', () => killProcessTree(child.pid!, 'SIGKILL')); // both sleeps die
 * ```
 */
export function killProcessTree(
  pid: number,
  signal: ShutdownSignal,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform === 'win32') {
    spawn('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true })
      // A missing taskkill (a stripped container) must not crash the caller.
      .on('error', () => undefined);
    return true;
  }
  // A group id is its leader's process id: `-pid` addresses the whole group (POSIX kill(2)).
  return sendSignal(-pid, signal);
}

/**
 * Whether any process of `pid`'s group still exists (POSIX; on Windows: whether `pid` does).
 * A probe with signal 0, which checks without delivering anything.
 *
 * A zombie (a member that exited but was not yet reaped by its parent) counts as existing:
 * the kernel keeps it in the group until it is reaped. Signalling it is harmless, so callers
 * may act on a stale `true`; they must not wait on it.
 *
 * ```text
 * group 4242: npm exec (exited) ─ node server (running)   → processTreeAlive(4242) === true
 * group 4242: (empty)                                     → processTreeAlive(4242) === false
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { killProcessTree, processTreeAlive } from 'rxmcp/node';
 *
 * child.once('exit', () => {
 *   // The wrapper is gone; did it leave its children behind?
 *   if (processTreeAlive(child.pid!)) killProcessTree(child.pid!, 'SIGTERM');
 * });
 * ```
 */
export function processTreeAlive(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): boolean {
  return sendSignal(platform === 'win32' ? pid : -pid, 0);
}

function sendSignal(target: number, signal: ShutdownSignal | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    // ESRCH: nobody left. EPERM: a member changed its user id; it is out of our reach
    // either way, and throwing would abort the rest of the shutdown.
    return false;
  }
}
