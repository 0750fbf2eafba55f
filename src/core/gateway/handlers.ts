/**
 * The seam a server wrapper uses (`serve`, the in-host HTTP endpoint): the tool list in the
 * protocol's shape, and a call by exposed name. Unknown names come back as `UnknownToolError`
 * for the wrapper to turn into a JSON-RPC error; everything else is a tool result.
 */
import type { Disposable } from '../ports';
import type { Gateway } from './gateway';
import type {
  PromptDefinition,
  PromptResult,
  ResourceDefinition,
  ResourceReadResult,
  ToolCallResult,
  ToolDefinition,
} from './protocol';

export interface GatewayHandlers {
  listTools(signal?: AbortSignal): Promise<ToolDefinition[]>;
  callTool(name: string, args: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<ToolCallResult>;
  listResources(signal?: AbortSignal): Promise<ResourceDefinition[]>;
  readResource(uri: string, signal?: AbortSignal): Promise<ResourceReadResult>;
  listPrompts(signal?: AbortSignal): Promise<PromptDefinition[]>;
  getPrompt(name: string, args: Record<string, string> | undefined, signal?: AbortSignal): Promise<PromptResult>;
  /** Fires when clients should list the tools again (`notifications/tools/list_changed`). */
  onToolListChanged(listener: () => void): Disposable;
}

/** Handlers for one client connection; `client` names it in the monitor. */
export function createGatewayHandlers(gateway: Gateway, client: string): GatewayHandlers {
  return {
    listTools: async (signal) => (await gateway.listTools(signal ? { signal } : {})).map((tool) => tool.definition),
    callTool: (name, args, signal) => gateway.callTool(name, args ?? {}, { client, ...(signal ? { signal } : {}) }),
    listResources: (signal) => gateway.forwarded.listResources(signal),
    readResource: (uri, signal) => gateway.forwarded.readResource(uri, signal),
    listPrompts: (signal) => gateway.forwarded.listPrompts(signal),
    getPrompt: (name, args, signal) => gateway.forwarded.getPrompt(name, args ?? {}, signal),
    onToolListChanged: (listener) => gateway.onListChanged(listener),
  };
}
