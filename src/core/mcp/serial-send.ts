/**
 * Serialises the writes of a stdio transport. The SDK's stdio `send` writes each message and, when
 * the pipe is full, waits with `once('drain')`; under many concurrent calls every waiting message
 * adds its own listener, and past ten Node prints `MaxListenersExceededWarning` for the socket.
 * Here messages wait in our own queue instead, in order, and only the one being written can wait
 * for `drain`. Closing the transport (or the server exiting) rejects what is still queued, because
 * a pipe that is gone never drains.
 */

/** The part of a transport this wraps; the SDK's stdio client transport has this shape. */
export interface SerialisableTransport<Args extends unknown[]> {
  send(...args: Args): Promise<void>;
  close(): Promise<void>;
  onclose?: (() => void) | undefined;
}

interface QueuedWrite {
  write: () => Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Runs writes one at a time, in the order they were queued. */
export class SendQueue {
  private readonly queued: QueuedWrite[] = [];
  private current: QueuedWrite | undefined;
  private closedWith: Error | undefined;

  /** Queues a write; settles when that write has been handed to the pipe (or has failed). */
  enqueue(write: () => Promise<void>): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ write, resolve, reject });
      if (!this.current) void this.pump();
    });
  }

  /** How many writes are waiting behind the current one. */
  get waiting(): number {
    return this.queued.length;
  }

  /** Rejects the current and every queued write; later writes are rejected at once. */
  close(error: Error): void {
    this.closedWith ??= error;
    const settled = this.current ? [this.current, ...this.queued] : [...this.queued];
    this.current = undefined;
    this.queued.length = 0;
    for (const entry of settled) entry.reject(this.closedWith);
  }

  private async pump(): Promise<void> {
    while (!this.closedWith) {
      const entry = this.queued.shift();
      if (!entry) return;
      this.current = entry;
      try {
        await entry.write();
        entry.resolve();
      } catch (error) {
        entry.reject(error);
      }
      // A close while this write waited has already rejected it and moved on.
      if (this.current !== entry) return;
      this.current = undefined;
    }
  }
}

/**
 * Replaces the transport's `send` with a queued one (in place, so its type and other members stay).
 * Call before connecting: the SDK's client chains the `onclose` set here.
 */
export function serialiseSends<Args extends unknown[], T extends SerialisableTransport<Args>>(transport: T): T {
  const queue = new SendQueue();
  const send = transport.send.bind(transport);
  const close = transport.close.bind(transport);
  const closedError = (): Error => new Error('the transport closed before this message was written');
  const previousOnClose = transport.onclose;
  transport.onclose = () => {
    queue.close(closedError());
    previousOnClose?.();
  };
  transport.send = (...args: Args): Promise<void> => queue.enqueue(() => send(...args));
  transport.close = (): Promise<void> => {
    queue.close(closedError());
    return close();
  };
  return transport;
}
