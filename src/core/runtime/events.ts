/** A tiny typed event hub: listeners are isolated, so one that throws cannot break the others. */
import type { RuntimeEvent } from '../api';
import type { Disposable, Logger } from '../ports';

export class RuntimeEvents {
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  constructor(
    private readonly logger: Logger,
    /** Applied to every event before listeners see it (secret redaction). */
    private readonly prepare: (event: RuntimeEvent) => RuntimeEvent = (event) => event,
  ) {}

  on(listener: (event: RuntimeEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  emit(raw: RuntimeEvent): void {
    if (this.listeners.size === 0) return;
    const event = this.prepare(raw);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(`A runtime event listener failed on "${event.type}"`, error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
