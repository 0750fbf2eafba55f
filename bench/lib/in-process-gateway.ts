/**
 * The gateway with no process hop of its own: a runtime in this process (as the extension host
 * runs it), its gateway served by the same `createGatewayServer` that `serve` uses, and a real SDK
 * client connected to it over the SDK's in-memory transport. Against a bare client over stdio to
 * context7, both sides then cross exactly one stdio pipe (ours to our context7 process), so the
 * difference is what the gateway itself adds: protocol handling, routing, the cache probe, the
 * pool's supervisor and guard, recording.
 */
import path from 'node:path';
import { type CallToolResult, Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { HostPorts } from '../../src/core/ports';
import { silentLogger } from '../../src/core/ports';
import { createRuntime } from '../../src/core/runtime';
import { createGatewayServer, GatewayServing } from '../../src/core/serve/gateway-server';
import { writeTestConfig } from '../../test/helpers/config-files';
import type { BenchScope } from './scope';

export type GatewayCall = (tool: string, args: Record<string, unknown>) => Promise<CallToolResult>;

export interface InProcessGateway {
  call: GatewayCall;
  /** Resolves once the work the gateway does after an answer (cache writes, records) is done. */
  settle: () => Promise<void>;
}

/** Starts the runtime on its own configuration (context7 on `apiUrl`) and connects a client. */
export async function startInProcessGateway(
  scope: BenchScope,
  apiUrl: string,
  server: string,
): Promise<InProcessGateway> {
  const userDir = scope.tempDir('in-process-config');
  writeTestConfig(userDir, { context7ApiUrl: apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
  const ports: HostPorts = {
    storageDir: scope.tempDir('in-process-storage'),
    logger: silentLogger,
    serverLogger: () => silentLogger,
    secrets: { get: async () => undefined },
    config: { defaultsDir: path.resolve(__dirname, '..', '..', 'config'), userDir },
    isWorkspaceTrusted: () => true,
  };
  const runtime = await createRuntime(ports, { installationId: 'bench', preloadStrategy: 'off' });
  scope.own(runtime, (r) => r.shutdown());
  if (runtime.configErrors.length > 0)
    throw new Error(`configuration: ${runtime.configErrors.map((e) => e.message).join('; ')}`);
  const served = createGatewayServer(new GatewayServing(runtime, { client: 'bench-in-process' }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await served.connect(serverSide);
  const client = new Client({ name: 'bench-in-process', version: '1.0.0' });
  await client.connect(clientSide);
  scope.own(client, async (c) => {
    await c.close();
    await served.close();
  });
  return {
    call: (tool, args) => client.callTool({ name: `${server}__${tool}`, arguments: args }),
    settle: async () => {
      await runtime.gateway?.flush();
    },
  };
}
