/**
 * The seam a server wrapper uses (`serve`, the in-host HTTP endpoint): the tool list in the
 * protocol's shape, and a call by exposed name. Unknown names come back as `UnknownToolError`
 * for the wrapper to turn into a JSON-RPC error; everything else is a tool result.
 */
import type { Disposable } from '../ports';
import type { Gateway } from './gateway';
import type { ToolCallResult, ToolDefinition } from './protocol';

export interface GatewayHandlers {
  listTools(signal?: AbortSignal): Promise<ToolDefinition[]>;
  callTool(name: string, args: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<ToolCallResult>;
  /** Fires when clients should list the tools again (`notifications/tools/list_changed`). */
  onToolListChanged(listener: () => void): Disposable;
}

/** Handlers for one client connection; `client` names it in the monitor. */
export function createGatewayHandlers(gateway: Gateway, client: string): GatewayHandlers {
  return {
    listTools: async (signal) => (await gateway.listTools(signal ? { signal } : {})).map((tool) => tool.definition),
    callTool: (name, args, signal) => gateway.callTool(name, args ?? {}, { client, ...(signal ? { signal } : {}) }),
    onToolListChanged: (listener) => gateway.onListChanged(listener),
  };
}
