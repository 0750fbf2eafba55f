/**
 * Interoperability matrix: our client (the connection pool on SDK v2) against every real server we
 * ship or test with — memory-bank and server-memory (built on SDK v1), context7 (built on v2) over
 * stdio and stateless HTTP, the stand-ins, and our own `serve` over stdio and HTTP. Each row
 * initializes, lists and calls, and prints the negotiated protocol version.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, StreamableHTTPClientTransport, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { toolText } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import { startServeHttp, type ServeProcess } from '../../helpers/serve-process';
import {
  context7Server,
  faultyServer,
  githubStandIn,
  memoryBankServer,
  packageBin,
  serenaStandIn,
  serverMemoryServer,
} from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { cliBundle, ensureCliBundle, repoRoot } from '../cli/cli-runner';

interface Row {
  definition: ServerDefinition;
  /** Installed package and version, or what the row is. */
  label: string;
  tool: string;
  args: Record<string, unknown>;
  expect: RegExp;
}

const timeouts = { initializeMs: 30_000, listMs: 10_000, callMs: 15_000 };

function packageVersion(name: string): string {
  const file = path.join(repoRoot, 'node_modules', ...name.split('/'), 'package.json');
  return `${name}@${(JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version}`;
}

function httpDefinition(name: string, url: string, headers: Record<string, string> = {}): ServerDefinition {
  return {
    name,
    kind: 'generic',
    enabled: true,
    transport: { transport: 'http', url, headers },
    timeouts,
    costPerCallUsd: 0,
    origin: 'defaults',
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('interoperability matrix (SDK v2 client against every real server)', function () {
  this.timeout(180_000);
  const makeDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let context7Http: ChildProcess;
  let context7HttpUrl: string;
  let serve: ServeProcess;
  let cliArgs: string[];

  before(async function () {
    this.timeout(180_000);
    await ensureCliBundle();
    api = await FakeContext7Api.start();
    const port = await freePort();
    context7Http = spawn(
      process.execPath,
      [packageBin('@upstash/context7-mcp'), '--transport', 'http', '--port', String(port)],
      {
        env: { PATH: process.env['PATH'] ?? '', CONTEXT7_API_URL: api.apiUrl, OTEL_SDK_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      context7Http.once('exit', (code) => reject(new Error(`context7 exited with ${code}`)));
      createInterface({ input: context7Http.stderr! }).on(
        'line',
        (line) => line.includes('running on HTTP') && resolve(),
      );
    });
    context7HttpUrl = `http://127.0.0.1:${port}/mcp`;
    const configDir = makeDir('interop-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    cliArgs = ['--config', configDir, '--storage', makeDir('interop-storage-'), '--workspace', makeDir('interop-ws-')];
    serve = await startServeHttp(cliBundle, [...cliArgs, 'serve', '--http', '0']);
  });

  after(async () => {
    await serve.stop();
    context7Http.kill('SIGKILL');
    await api.close();
  });

  it('initializes, lists and calls every server, and reports the negotiated protocol version', async () => {
    const memoryRoot = makeDir('interop-memory-bank-');
    const graphDir = makeDir('interop-graph-');
    mkdirSync(graphDir, { recursive: true });
    const graph = path.join(graphDir, 'memory.jsonl');
    writeFileSync(graph, '');
    const serveStdio: ServerDefinition = {
      name: 'serve-stdio',
      kind: 'generic',
      enabled: true,
      transport: { transport: 'stdio', command: process.execPath, args: [cliBundle, ...cliArgs, 'serve'], env: {} },
      timeouts,
      costPerCallUsd: 0,
      origin: 'defaults',
    };
    const rows: Row[] = [
      {
        definition: memoryBankServer(memoryRoot, { timeouts }),
        label: packageVersion('@allpepper/memory-bank-mcp'),
        tool: 'list_projects',
        args: {},
        expect: /.*/,
      },
      {
        definition: serverMemoryServer(graph, { timeouts }),
        label: packageVersion('@modelcontextprotocol/server-memory'),
        tool: 'read_graph',
        args: {},
        expect: /entities/,
      },
      {
        definition: context7Server(api.apiUrl, { timeouts }),
        label: `${packageVersion('@upstash/context7-mcp')} (stdio)`,
        tool: 'resolve-library-id',
        args: { query: 'hooks', libraryName: 'react' },
        expect: /\/facebook\/react/,
      },
      {
        definition: httpDefinition('context7-http', context7HttpUrl),
        label: `${packageVersion('@upstash/context7-mcp')} (stateless HTTP)`,
        tool: 'resolve-library-id',
        args: { query: 'hooks', libraryName: 'react' },
        expect: /\/facebook\/react/,
      },
      {
        definition: serenaStandIn({ timeouts }),
        label: 'serena stand-in (SDK v2 McpServer)',
        tool: 'list_memories',
        args: {},
        expect: /.*/,
      },
      {
        definition: githubStandIn({ timeouts }),
        label: 'github stand-in (SDK v2 McpServer)',
        tool: 'search_issues',
        args: { query: 'hooks' },
        expect: /.*/,
      },
      {
        definition: faultyServer('ok', { timeouts }),
        label: 'faulty server, mode ok (SDK v2 McpServer)',
        tool: 'echo',
        args: { text: 'ping' },
        expect: /^ping$/,
      },
      {
        definition: serveStdio,
        label: 'mcp-integration serve (stdio, serveStdio)',
        tool: 'stats',
        args: {},
        expect: /summary/,
      },
      {
        definition: httpDefinition('serve-http', serve.url, { authorization: `Bearer ${serve.token}` }),
        label: 'mcp-integration serve --http (stateless, token)',
        tool: 'stats',
        args: {},
        expect: /summary/,
      },
    ];
    const { pool } = createTestPool(rows.map((r) => r.definition));
    const matrix: string[] = [];
    try {
      for (const row of rows) {
        const caller = pool.caller(row.definition.name);
        const tools = await caller.listTools();
        assert.ok(
          tools.some((t) => t.name === row.tool),
          `${row.label} lists ${row.tool}`,
        );
        const result = await caller.callTool(row.tool, row.args);
        assert.notEqual(result.isError, true, `${row.label}: ${toolText(result)}`);
        assert.match(toolText(result), row.expect);
        const status = pool.statuses().find((s) => s.name === row.definition.name);
        const version = status?.protocolVersion;
        assert.ok(version && SUPPORTED_PROTOCOL_VERSIONS.includes(version), `${row.label}: negotiated ${version}`);
        matrix.push(`      ${row.label.padEnd(56)} ${version}  (${tools.length} tools)`);
      }
    } finally {
      await pool.shutdown(1000);
    }
    console.log(`      interoperability matrix (server → negotiated protocol version):\n${matrix.join('\n')}`);
  });

  it('with versionNegotiation auto, the v2-built HTTP servers speak the 2026-07-28 revision', async () => {
    const lines: string[] = [];
    for (const [label, url, headers] of [
      ['context7 (stateless HTTP)', context7HttpUrl, {}],
      ['mcp-integration serve --http', serve.url, { authorization: `Bearer ${serve.token}` }],
    ] as const) {
      const client = new Client({ name: 'interop-auto', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      try {
        const tools = (await client.listTools()).tools;
        assert.ok(tools.length > 0);
        lines.push(
          `      ${label.padEnd(56)} ${client.getNegotiatedProtocolVersion()} (${client.getProtocolEra()} era)`,
        );
      } finally {
        await client.close();
      }
    }
    console.log(`      with versionNegotiation auto:\n${lines.join('\n')}`);
  });
});
