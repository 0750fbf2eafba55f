/**
 * Runs a task per key once calls for it have stopped for a while. Edits arrive per keystroke;
 * preloading what a half-typed line names (`np.res`, `np.resh`…) would spend upstream calls on
 * members that never exist, so edit-driven preloading waits until the typing settles.
 */
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly delayMs: number) {}

  /** (Re)starts the key's timer; `task` runs when it fires, unless cancelled first. */
  schedule(key: string, task: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      task();
    }, this.delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
