/**
 * Upstream resources and prompts, forwarded for the servers (and sources) that have them.
 * Resource URIs are passed through unchanged (they name their server's world already); prompts are
 * renamed `<server><separator><prompt>` like tools. Nothing here is cached: clients cache list
 * results themselves, and `resources/read` answers may change at any time.
 */
import type { ToolSelection } from '../config/types';
import type { Logger } from '../ports';
import { exposedToolName } from './naming';
import type { UpstreamToolSource } from './ports';
import type { PromptDefinition, PromptResult, ResourceDefinition, ResourceReadResult } from './protocol';
import { serverSelected } from './selection';
import { UnknownToolError } from './types';

export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';
  constructor(readonly uri: string) {
    super(`Unknown resource "${uri}"`);
  }
}

export class UpstreamForwarding {
  private resourceServers = new Map<string, string>();
  private promptRoutes = new Map<string, { server: string; name: string }>();

  constructor(
    private readonly source: UpstreamToolSource,
    private readonly selection: () => ToolSelection,
    private readonly separator: () => string,
    private readonly logger: Logger,
  ) {}

  async listResources(signal?: AbortSignal): Promise<ResourceDefinition[]> {
    const listResources = this.source.listResources?.bind(this.source);
    if (!listResources) return [];
    const routes = new Map<string, string>();
    const all: ResourceDefinition[] = [];
    for (const [server, resources] of await this.perServer((name) => listResources(name, { signal }))) {
      for (const resource of resources) {
        if (routes.has(resource.uri)) continue;
        routes.set(resource.uri, server);
        all.push(resource);
      }
    }
    this.resourceServers = routes;
    return all;
  }

  async readResource(uri: string, signal?: AbortSignal): Promise<ResourceReadResult> {
    if (!this.resourceServers.has(uri)) await this.listResources(signal);
    const server = this.resourceServers.get(uri);
    if (!server || !this.source.readResource) throw new UnknownResourceError(uri);
    return this.source.readResource(server, uri, { signal });
  }

  async listPrompts(signal?: AbortSignal): Promise<PromptDefinition[]> {
    const listPrompts = this.source.listPrompts?.bind(this.source);
    if (!listPrompts) return [];
    const routes = new Map<string, { server: string; name: string }>();
    const all: PromptDefinition[] = [];
    for (const [server, prompts] of await this.perServer((name) => listPrompts(name, { signal }))) {
      for (const prompt of prompts) {
        const name = exposedToolName(server, prompt.name, this.separator());
        if (routes.has(name)) continue;
        routes.set(name, { server, name: prompt.name });
        all.push({ ...prompt, name });
      }
    }
    this.promptRoutes = routes;
    return all;
  }

  async getPrompt(name: string, args: Record<string, string>, signal?: AbortSignal): Promise<PromptResult> {
    if (!this.promptRoutes.has(name)) await this.listPrompts(signal);
    const route = this.promptRoutes.get(name);
    if (!route || !this.source.getPrompt) throw new UnknownToolError(name);
    return this.source.getPrompt(route.server, route.name, args, { signal });
  }

  /** Asks every selected server; one that fails is left out (and logged), never fails the list. */
  private async perServer<T>(list: (server: string) => Promise<T[]>): Promise<Array<[string, T[]]>> {
    const selection = this.selection();
    const servers = this.source.servers().filter((server) => serverSelected(selection, server.name));
    return Promise.all(
      servers.map(async (server): Promise<[string, T[]]> => {
        try {
          return [server.name, await list(server.name)];
        } catch (error) {
          this.logger.debug(
            `Gateway: ${server.name} listed nothing: ${error instanceof Error ? error.message : String(error)}`,
          );
          return [server.name, []];
        }
      }),
    );
  }
}
