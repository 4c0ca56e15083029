import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  killProcessTree,
  processTreeAlive,
} from '../../../src/transports/stdio/killProcessTree.js';
import { NODE, RAW_SERVER, marker, processesWith } from './support.js';

describe('killProcessTree', () => {
  it('signals every process of the group, and says when nobody is left', async () => {
    const tag = marker('tree');
    // The raw fixture server with a child of its own, in a new process group.
    const leader = spawn(NODE, [RAW_SERVER, '--grandchild=pipes', tag], {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const lines = createInterface({ input: leader.stderr });
    for await (const line of lines) if (line.startsWith('grandchild ')) break;
    const pid = leader.pid as number;
    expect(processTreeAlive(pid)).toBe(true);
    expect(processesWith(tag)).toHaveLength(2);

    const exited = once(leader, 'exit');
    expect(killProcessTree(pid, 'SIGKILL')).toBe(true);
    await expect(exited).resolves.toEqual([null, 'SIGKILL']);
    // The grandchild got SIGKILL too (it is gone, or dying with the signal pending).
    expect(processesWith(tag)).toEqual([]);
  });

  it('returns false for a group that does not exist', () => {
    // Linux pids stop at 2^22: nothing can lead this group.
    expect(killProcessTree(2 ** 22 + 1, 'SIGTERM')).toBe(false);
    expect(processTreeAlive(2 ** 22 + 1)).toBe(false);
  });

  it('on Windows runs taskkill (whose absence here is not an error) and probes the pid itself', () => {
    // Here taskkill does not exist: its spawn error goes to the listener, never to the host.
    expect(killProcessTree(2 ** 22 + 1, 'SIGKILL', 'win32')).toBe(true);
    expect(processTreeAlive(process.pid, 'win32')).toBe(true);
    expect(processTreeAlive(2 ** 22 + 1, 'win32')).toBe(false);
  });
});
