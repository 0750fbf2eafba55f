/** A tiny typed event hub: listeners are isolated, so one that throws cannot break the others. */
import type { ConfigError } from '../errors';
import type { DocumentDetection } from '../detection/types';
import type { ServerStatus } from '../mcp/types';
import type { PreloadProgress } from '../preload/types';
import type { Disposable, Logger } from '../ports';

export type RuntimeEvent =
  | { type: 'metrics' }
  | { type: 'servers'; statuses: ServerStatus[] }
  | { type: 'preload'; progress: PreloadProgress }
  | { type: 'detection'; detection: DocumentDetection }
  | { type: 'config'; errors: ConfigError[] };

export class RuntimeEvents {
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();

  constructor(private readonly logger: Logger) {}

  on(listener: (event: RuntimeEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  emit(event: RuntimeEvent): void {
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
