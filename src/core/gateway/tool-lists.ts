/**
 * Each server's tool list as the gateway last saw it, and listing with a bound: a server slower
 * than `waitMs` (starting, or hung) is answered without, with its last known tools, and announced
 * through `onLate` when its list arrives. One listing per server at a time.
 */
import type { Logger } from '../ports';
import type { UpstreamToolSource } from './ports';
import type { ToolDefinition } from './protocol';

export class ServerToolLists {
  private readonly known = new Map<string, ToolDefinition[]>();
  private readonly listings = new Map<string, Promise<ToolDefinition[]>>();

  constructor(
    private readonly source: UpstreamToolSource,
    private readonly waitMs: number,
    private readonly logger: Logger,
    private readonly onLate: () => void,
  ) {}

  /** The tools last listed for a server, if any. */
  lastKnown(server: string): ToolDefinition[] | undefined {
    return this.known.get(server);
  }

  forget(server: string): void {
    this.known.delete(server);
  }

  list(server: string, signal: AbortSignal | undefined): Promise<ToolDefinition[]> {
    let listing = this.listings.get(server);
    if (!listing) {
      listing = this.source
        .listTools(server, signal ? { signal } : {})
        .then((tools) => {
          this.known.set(server, tools);
          return tools;
        })
        .finally(() => this.listings.delete(server));
      this.listings.set(server, listing);
    }
    const current = listing;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.logger.info(`Gateway: ${server} has not listed its tools yet; they will follow`);
        resolve(this.known.get(server) ?? []);
        current.then(
          () => this.onLate(),
          () => undefined,
        );
      }, this.waitMs);
      current.then(
        (tools) => {
          clearTimeout(timer);
          resolve(tools);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.logger.warn(
            `Gateway: could not list the tools of ${server}: ${error instanceof Error ? error.message : String(error)}`,
          );
          resolve(this.known.get(server) ?? []);
        },
      );
    });
  }
}
