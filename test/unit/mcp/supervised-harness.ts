/**
 * A SupervisedServer driven directly (no pool) for unit tests: its listener records each distinct
 * state and circuit state it hears, its monitor callback the call reports. With definitions for
 * an in-process HTTP server, a command that does not exist, and endpoints that refuse or hang.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SupervisedServer, type CallCompleteEvent } from '../../../src/core/mcp/supervised-server';
import type { SupervisedServerOptions } from '../../../src/core/mcp/supervised-server';
import { ToolListCache } from '../../../src/core/mcp/tool-list-cache';
import type { CircuitState, ServerDefinition, ServerState } from '../../../src/core/mcp/types';
import { type Logger, silentLogger } from '../../../src/core/ports';
import { type ExtraTools, startStreamableHttpServer, type StreamableHttpFixture } from '../../fixtures/http-servers';
import { tempDir } from '../../helpers/temp';

export function httpDefinition(url: string, initializeMs = 30_000): ServerDefinition {
  return {
    name: 'web',
    kind: 'generic',
    enabled: true,
    transport: { transport: 'http', url, headers: {} },
    timeouts: { initializeMs, listMs: 30_000, callMs: 30_000 },
    costPerCallUsd: 0,
    origin: 'user',
  };
}

/**
 * A server whose command does not exist: every start fails at once (spawn ENOENT), so the
 * supervisor's failure handling runs without any server process.
 */
export function missingCommand(name = 'ghost', initializeMs = 5000): ServerDefinition {
  return {
    name,
    kind: 'generic',
    enabled: true,
    transport: { transport: 'stdio', command: '/nonexistent/mcp-integration-test-server', args: [], env: {} },
    timeouts: { initializeMs, listMs: 1000, callMs: 1000 },
    costPerCallUsd: 0,
    origin: 'user',
  };
}

export interface Supervised {
  server: SupervisedServer;
  /** Each distinct state the listener saw, in order. */
  states: ServerState[];
  /** Each distinct circuit state the listener saw, in order. */
  circuits: CircuitState[];
  events: CallCompleteEvent[];
  notified: () => number;
}

export function supervise(
  definition: ServerDefinition,
  options: Partial<Omit<SupervisedServerOptions, 'definition' | 'onStatusChange' | 'onCallComplete'>> = {},
): Supervised {
  const states: ServerState[] = ['idle'];
  const circuits: CircuitState[] = ['closed'];
  const events: CallCompleteEvent[] = [];
  let calls = 0;
  const server: SupervisedServer = new SupervisedServer({
    definition,
    clientInfo: { name: 'lifecycle-test', version: '0.0.0' },
    logger: silentLogger,
    serverLogger: silentLogger,
    toolCache: new ToolListCache(tempDir('mcp-supervised-')),
    onStatusChange: () => {
      calls += 1;
      const { state, circuit } = server.status();
      if (states.at(-1) !== state) states.push(state);
      if (circuits.at(-1) !== circuit) circuits.push(circuit);
    },
    onCallComplete: (event) => events.push(event),
    ...options,
  });
  return { server, states, circuits, events, notified: () => calls };
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** An HTTP endpoint (on `port`, or an ephemeral one) that accepts requests and never answers: a start against it hangs until cancelled. */
export async function silentEndpoint(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A logger that keeps each line as `level: message`, for asserting what the output channel shows. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string): void =>
      void lines.push(`${level}: ${message}`);
  return {
    lines,
    logger: {
      trace: record('trace'),
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
  };
}

/** An in-process Streamable HTTP server for each test of the calling `describe` (with `extraTools`, if given). */
export function eachTestHttpServer(extraTools?: ExtraTools): () => StreamableHttpFixture {
  let fixture: StreamableHttpFixture | undefined;
  beforeEach(async () => {
    fixture = await startStreamableHttpServer(0, extraTools);
  });
  afterEach(async () => {
    await fixture?.close();
  });
  return () => {
    if (!fixture) throw new Error('the HTTP server starts before each test');
    return fixture;
  };
}
