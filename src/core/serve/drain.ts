/**
 * The requests a graceful shutdown of `serve --http` waits for. Every MCP request counts except the
 * open-ended ones (a 2026-era `subscriptions/listen` stream, a legacy GET stream): those never end
 * on their own, so the shutdown closes them instead of waiting for them.
 */
import type { IncomingMessage } from 'node:http';

/** True for a request that holds a notification stream open rather than asking for one answer. */
export function isOpenEndedStream(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.headers['mcp-method'] === 'subscriptions/listen';
}

export class RequestDrain {
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  /** A request starts; call the returned function once its answer is written. */
  begin(): () => void {
    this.running += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running -= 1;
      if (this.running === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    };
  }

  /** Requests under way now. */
  get count(): number {
    return this.running;
  }

  /** Resolves true once no request is under way, or false when `timeoutMs` passes first. */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.running === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        this.idleWaiters.push(wake);
      }),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== wake);
    return finished;
  }
}
