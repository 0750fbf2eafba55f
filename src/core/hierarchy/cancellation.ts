/**
 * Cancellation inside one walk: the single-flight's "every caller has left", a hedged race's
 * "another layer won", shutdown. It replaces an AbortController per flight and per hedged layer
 * plus an `abort` listener per adapter attempt: Node's EventTarget listeners are a long stretch of
 * code, and on the cold path (one lookup now and then, between pipe I/O) they cost tens of
 * microseconds per lookup, measured. Adapters still get a real AbortSignal for their own call.
 */
export type AbortListener = (reason: unknown) => void;

export class Cancellation {
  private abortedWith: { reason: unknown } | undefined;
  private listeners: Set<AbortListener> | undefined;

  get aborted(): boolean {
    return this.abortedWith !== undefined;
  }

  /** Why it was aborted; undefined while it is not. */
  get reason(): unknown {
    return this.abortedWith?.reason;
  }

  /** Aborts once; listeners run synchronously, in the order they were added. */
  abort(reason: unknown): void {
    if (this.abortedWith) return;
    this.abortedWith = { reason };
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` once on abort (at once when already aborted); returns its removal. */
  onAbort(listener: AbortListener): () => void {
    if (this.abortedWith) {
      listener(this.abortedWith.reason);
      return noop;
    }
    const listeners = (this.listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** A cancellation aborted with this one (and on its own); `release` unlinks it when done. */
  child(): { cancellation: Cancellation; release: () => void } {
    const cancellation = new Cancellation();
    const release = this.onAbort((reason) => cancellation.abort(reason));
    return { cancellation, release };
  }
}

function noop(): void {}
