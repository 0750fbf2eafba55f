/**
 * A disposal scope: everything registered in it is released together, newest first. The extension
 * keeps two (rust-analyzer's pattern): one for its whole life, one per runtime instance that a
 * restart clears and replaces.
 */
import type { Disposable } from '../core/ports';

export class DisposableScope implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  /** Adds disposables; if the scope is already disposed they are released at once. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch {
        // One failing disposable must not keep the rest alive.
      }
    }
  }
}
