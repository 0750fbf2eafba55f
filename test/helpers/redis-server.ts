/**
 * A real Redis for tests: Debian's `redis-server` (installed by `scripts/setup.sh`) started on a free
 * loopback port in a temporary folder, with persistence off. Readiness is awaited by its "Ready to
 * accept connections" line and confirmed with a PING; stopping waits for the process to exit.
 * `stop()` then `start()` brings the same server back on the same port (a Redis outage mid-run);
 * `freeze()`/`thaw()` make it hang without closing connections (a slow Redis).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { tempDir } from './temp';

export interface TestRedisOptions {
  /** Memory limit with `noeviction`, so writes fail with OOM once it is reached (a full Redis). */
  maxMemory?: string;
  /** Most time to wait for readiness. Default 10 s. */
  startTimeoutMs?: number;
}

const READY_LINE = /Ready to accept connections/u;

/** A free loopback port: the OS picks one for a listener that is closed again at once. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Sends one inline command over a fresh connection and reads replies until `complete` returns a
 * value (undefined: not all of it has arrived yet).
 */
async function sendInline<T>(
  port: number,
  command: string,
  timeoutMs: number,
  complete: (reply: string) => T | undefined,
): Promise<T> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`redis did not answer ${command} in ${timeoutMs} ms`)));
  try {
    await once(socket, 'connect');
    socket.write(`${command}\r\n`);
    let reply = '';
    for await (const chunk of socket) {
      reply += (chunk as Buffer).toString('utf8');
      const value = complete(reply);
      if (value !== undefined) return value;
    }
    throw new Error(`redis closed the connection without replying to ${command}`);
  } finally {
    socket.destroy();
  }
}

/** Sends one inline command and resolves with the first reply line. */
export function redisCommand(port: number, command: string, timeoutMs = 2000): Promise<string> {
  return sendInline(port, command, timeoutMs, (reply) => {
    const end = reply.indexOf('\r\n');
    return end >= 0 ? reply.slice(0, end) : undefined;
  });
}

/** Sends one inline command whose reply is an array of bulk strings (`KEYS`), and returns them. */
export function redisListCommand(port: number, command: string, timeoutMs = 2000): Promise<string[]> {
  return sendInline(port, command, timeoutMs, (reply) => {
    const lines = reply.split('\r\n');
    const header = lines[0] ?? '';
    if (!header.startsWith('*')) {
      if (lines.length > 1) throw new Error(`${command} answered ${header}`);
      return undefined;
    }
    const count = Number(header.slice(1));
    // Each element is two lines ($length, value); complete once all are in.
    return lines.length >= 2 + 2 * count ? lines.slice(1, 1 + 2 * count).filter((_, i) => i % 2 === 1) : undefined;
  });
}

export class TestRedis {
  readonly dir: string;
  private child: ChildProcess | undefined;
  private portNumber = 0;

  private constructor(private readonly options: TestRedisOptions) {
    this.dir = tempDir('mcp-redis-');
  }

  /** Starts a server and resolves once it answers PING. */
  static async start(options: TestRedisOptions = {}): Promise<TestRedis> {
    const redis = new TestRedis(options);
    await redis.start();
    return redis;
  }

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.portNumber}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (or restarts, on the same port) the server. */
  async start(): Promise<void> {
    if (this.running) return;
    // A port picked by freePort can be taken by someone else before redis binds it: try another.
    for (let attempt = 0; ; attempt++) {
      const port = this.portNumber || (await freePort());
      try {
        await this.spawnOn(port);
        this.portNumber = port;
        return;
      } catch (error) {
        if (attempt >= 4 || this.portNumber !== 0) throw error;
      }
    }
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.thaw();
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Suspends the process: connections stay open but nothing is answered (a hung Redis). */
  freeze(): void {
    if (this.running) this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    if (this.running) this.child?.kill('SIGCONT');
  }

  /** One inline command (e.g. `FLUSHALL`, `DBSIZE`), answered as its first reply line. */
  command(command: string): Promise<string> {
    return redisCommand(this.portNumber, command);
  }

  /** The keys matching a pattern. */
  keys(pattern: string): Promise<string[]> {
    return redisListCommand(this.portNumber, `KEYS ${pattern}`);
  }

  private async spawnOn(port: number): Promise<void> {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      '--daemonize',
      'no',
      '--loglevel',
      'notice',
      ...(this.options.maxMemory ? ['--maxmemory', this.options.maxMemory, '--maxmemory-policy', 'noeviction'] : []),
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    this.child = child;
    // A failed test must not leave a server behind.
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not become ready: ${output.slice(-500)}`)),
        this.options.startTimeoutMs ?? 10_000,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (READY_LINE.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code ?? signal}) before it was ready: ${output.slice(-500)}`));
      });
    });
    try {
      await ready;
    } catch (error) {
      if (this.running) child.kill('SIGKILL');
      this.child = undefined;
      throw error;
    }
    const pong = await redisCommand(port, 'PING');
    if (pong !== '+PONG') throw new Error(`redis-server answered PING with ${pong}`);
  }
}
