/**
 * Child processes the harness starts (code-server, the loopback API): each runs in its own process
 * group so that stopping it also stops what it spawned (the extension host and the MCP servers it
 * started), and every live group is killed when the test process exits or is interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface StartedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout and stderr so far (capped). */
  output(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs` (default 3000); resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also append the output to this file. */
  logFile?: string;
}

/** Output kept in memory per process, so a failing wait can quote it. */
const MAX_OUTPUT_CHARS = 200_000;
const liveGroups = new Set<number>();
/** After Ctrl+C, how long children get to stop before the exit hook kills them. */
const SIGNAL_GRACE_MS = 2000;
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      // A moment for a graceful stop (the extension host persists its state), then no mercy.
      for (const pid of liveGroups) killGroup(pid, 'SIGTERM');
      setTimeout(() => process.exit(130), SIGNAL_GRACE_MS);
    });
  }
}

/** Spawns `command args` without a shell in a new process group. */
export function startProcess(command: string, args: string[], options: StartOptions = {}): StartedProcess {
  installExitHook();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`Could not start ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);
  let output = '';
  let log: WriteStream | undefined;
  if (options.logFile) log = createWriteStream(options.logFile, { flags: 'a' });
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-MAX_OUTPUT_CHARS);
    log?.write(text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // The group stays registered until stop(): the leader may exit before the rest of its group.
  const exited = once(child, 'exit').then(() => {
    log?.end();
  });
  return {
    child,
    pid,
    output: () => output,
    async stop(graceMs = 3000): Promise<void> {
      if (!liveGroups.has(pid)) return exited;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      if (child.exitCode === null && child.signalCode === null) await exited;
      clearTimeout(timer);
      // Make sure nothing the leader spawned lingers after it.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    },
  };
}
