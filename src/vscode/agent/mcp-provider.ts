/**
 * "MCP Integration" in VS Code's MCP server list (`contributes.mcpServerDefinitionProviders`):
 * one HTTP server definition for agent mode, pointing at the gateway inside this extension host.
 *
 * `provideMcpServerDefinitions` is called eagerly, so it starts nothing: it hands out a
 * placeholder address and the last known tool-set version. `resolveMcpServerDefinition` runs
 * when VS Code starts the server: it starts the loopback endpoint and fills in the real address
 * and the session's bearer token. The version is the digest of the exposed tools; whenever the
 * gateway says its list changed (configuration, profile, trust, an upstream `list_changed`),
 * the tools are listed again and a new digest fires `onDidChangeMcpServerDefinitions`, so VS
 * Code refreshes its cached tool list.
 */
import * as vscode from 'vscode';
import type { Gateway } from '../../core/gateway/gateway';
import { toolSetDigest } from '../../core/gateway/tool-set-digest';
import type { Logger } from '../../core/ports';
import type { RuntimeHost } from '../runtime-host';
import { readSettings } from '../settings';
import { AgentEndpoint } from './agent-endpoint';

/** As declared in package.json's `mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = 'mcpIntegration.gateway';
export const MCP_SERVER_LABEL = 'MCP Integration';
const VERSION_KEY = 'mcpIntegration.agentToolsVersion';
/** Stands in for the endpoint until VS Code resolves the definition (nothing listens there). */
const PLACEHOLDER_URI = 'http://127.0.0.1:9/mcp';
/** Quiet time before the tools are listed again after a change. */
const SETTLE_MS = 1500;

export interface AgentServerProvider extends vscode.Disposable {
  /** The version handed out now (the digest of the exposed tools, once known). */
  readonly version: string | undefined;
  readonly endpoint: AgentEndpoint;
}

export function registerAgentServerProvider(
  context: vscode.ExtensionContext,
  host: RuntimeHost,
  api: { readonly gateway: Gateway | undefined },
  logger: Logger,
): AgentServerProvider {
  const changed = new vscode.EventEmitter<void>();
  const endpoint = new AgentEndpoint(api, logger);
  let version = context.workspaceState.get<string>(VERSION_KEY);
  let listing: Promise<void> | undefined;
  let again = false;

  const setVersion = (digest: string): void => {
    if (digest === version) return;
    version = digest;
    void context.workspaceState.update(VERSION_KEY, digest);
  };

  /**
   * Lists the exposed tools again and publishes their digest: one listing at a time, after changes
   * settle (servers joining one by one at start-up make one new version, not one each).
   */
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changedMeanwhile = (): boolean => again;
  const relist = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (listing) {
        again = true;
        return;
      }
      listing = (async () => {
        try {
          let more = true;
          while (more) {
            again = false;
            const gateway = (await host.get()).gateway;
            if (gateway) setVersion(toolSetDigest((await gateway.listTools()).map((tool) => tool.definition)));
            // A change that arrived during the listing sets `again` meanwhile.
            more = changedMeanwhile();
          }
        } catch (error) {
          logger.warn('Could not list the gateway tools for VS Code', error);
        } finally {
          listing = undefined;
        }
      })();
    }, SETTLE_MS);
  };

  const watchGateway = (gateway: Gateway | undefined): void => {
    if (!gateway) return;
    // Listing starts upstream servers: only do it once VS Code uses the server this session.
    host.addToInstance(gateway.onListChanged(() => endpoint.started && relist()));
    if (endpoint.started) relist();
  };

  const provider: vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      if (!readSettings().settings.runtime.enabled) return [];
      // Once started, the real address (so a new version is the only difference VS Code sees).
      const uri = vscode.Uri.parse(endpoint.url ?? PLACEHOLDER_URI);
      return [new vscode.McpHttpServerDefinition(MCP_SERVER_LABEL, uri, {}, version)];
    },
    resolveMcpServerDefinition: async (server) => {
      if (!readSettings().settings.runtime.enabled) return undefined;
      await host.get();
      const { url, token } = await endpoint.connection();
      server.uri = vscode.Uri.parse(url);
      server.headers = { ...server.headers, Authorization: `Bearer ${token}` };
      // VS Code lists the tools right after this; the digest follows that listing.
      relist();
      return server;
    },
  };

  const subscriptions: vscode.Disposable[] = [
    changed,
    endpoint,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
    host.onDidStart((runtime) => watchGateway(runtime.gateway)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('mcpIntegration.enabled')) changed.fire();
    }),
  ];
  watchGateway(host.current()?.gateway);
  return {
    get version() {
      return version;
    },
    endpoint,
    dispose: () => {
      if (timer) clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
