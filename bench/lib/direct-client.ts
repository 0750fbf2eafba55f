/**
 * The baseline every runtime benchmark compares against: a bare SDK `Client` over stdio to the same
 * kind of server, with nothing of ours in between (no pool, no adapter, no cache). This is what an
 * agent talking to the server directly pays per call.
 */
import { type CallToolResult, Client, type Tool } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { serialiseSends } from '../../src/core/mcp/serial-send';
import type { ServerDefinition, ToolCaller } from '../../src/core/mcp/types';

/** Upper bound on one baseline call, so a hung server ends the benchmark instead of hanging it. */
const DIRECT_CALL_TIMEOUT_MS = 30_000;

export interface DirectClient {
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /**
   * The same client as a `ToolCaller`, so an adapter can run over exactly this server process:
   * that isolates our in-process overhead from differences between two server processes.
   */
  asToolCaller(): ToolCaller;
  close(): Promise<void>;
}

/** Spawns the server of a stdio definition (no shell) and connects a bare SDK client to it. */
export async function connectDirect(definition: ServerDefinition): Promise<DirectClient> {
  const transport = definition.transport;
  if (transport.transport !== 'stdio') throw new Error(`${definition.name}: the direct baseline needs a stdio server`);
  const client = new Client({ name: 'bench-direct-baseline', version: '1.0.0' });
  // The same queued writes as the runtime's stdio transport, so the baseline is not the one that
  // piles up `drain` listeners under load.
  await client.connect(
    serialiseSends(
      new StdioClientTransport({
        command: transport.command,
        args: transport.args,
        env: { ...getDefaultEnvironment(), ...transport.env },
        ...(transport.cwd ? { cwd: transport.cwd } : {}),
        stderr: 'ignore',
      }),
    ),
  );
  const callTool = async (name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult> =>
    client.callTool({ name, arguments: args }, { timeout: DIRECT_CALL_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  const caller: ToolCaller = {
    serverName: definition.name,
    callTool: (name, args, options) => callTool(name, args, options?.signal),
    listTools: async (options): Promise<Tool[]> =>
      (await client.listTools(undefined, options?.signal ? { signal: options.signal } : undefined)).tools,
  };
  return {
    callTool: (name, args) => callTool(name, args),
    asToolCaller: () => caller,
    close: () => client.close(),
  };
}
