/** Process checks for tests that must prove no server process is left behind. */

/** True while a process with this pid exists (signal 0 probes without touching it). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves true once the pid is gone, false if it is still alive after `timeoutMs` (default 5000). */
export async function waitForPidGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isPidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !isPidAlive(pid);
}
