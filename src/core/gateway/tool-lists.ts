/**
 * Each server's tool list as the gateway last saw it, and listing with a bound: a server slower
 * than `waitMs` (starting, or hung) is answered without, with its last known tools, and announced
 * through `onLate` when its list arrives. One listing per server at a time, shared by every
 * caller; a caller's signal ends only its own wait.
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
      // Shared by every caller, so never tied to the first one's signal: a stateless HTTP request
      // ends (and aborts) when its answer is sent, and the listing must still finish and be announced.
      listing = this.source
        .listTools(server)
        .then((tools) => {
          this.known.set(server, tools);
          return tools;
        })
        .finally(() => this.listings.delete(server));
      this.listings.set(server, listing);
    }
    const current = listing;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (tools: ToolDefinition[]): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', answerWithout);
        resolve(tools);
      };
      // Answered without this server's fresh list: clients hear about it when it arrives.
      const answerWithout = (): void => {
        if (settled) return;
        settle(this.known.get(server) ?? []);
        current.then(
          () => this.onLate(),
          () => undefined,
        );
      };
      const timer = setTimeout(() => {
        this.logger.info(`Gateway: ${server} has not listed its tools yet; they will follow`);
        answerWithout();
      }, this.waitMs);
      signal?.addEventListener('abort', answerWithout, { once: true });
      if (signal?.aborted) answerWithout();
      current.then(settle, (error: unknown) => {
        this.logger.warn(
          `Gateway: could not list the tools of ${server}: ${error instanceof Error ? error.message : String(error)}`,
        );
        settle(this.known.get(server) ?? []);
      });
    });
  }
}
