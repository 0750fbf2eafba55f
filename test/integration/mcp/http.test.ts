import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { startSseOnlyServer, startStreamableHttpServer } from '../../fixtures/http-servers';
import { toolText } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import { waitForPidGone } from '../../helpers/processes';
import { packageBin } from '../../helpers/servers';

function httpDefinition(name: string, url: string): ServerDefinition {
  return {
    name,
    kind: 'generic',
    enabled: true,
    transport: { transport: 'http', url, headers: {} },
    timeouts: { initializeMs: 10_000, listMs: 5_000, callMs: 5_000 },
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

describe('ConnectionPool over HTTP', function () {
  it('talks Streamable HTTP to the real context7 server in http mode', async () => {
    const api = await FakeContext7Api.start();
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [packageBin('@upstash/context7-mcp'), '--transport', 'http', '--port', String(port)],
      {
        env: { PATH: process.env['PATH'] ?? '', CONTEXT7_API_URL: api.apiUrl, OTEL_SDK_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const { pool } = createTestPool([httpDefinition('context7-http', `http://127.0.0.1:${port}/mcp`)]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`context7 exited with ${code}`)));
        createInterface({ input: child.stderr! }).on('line', (line) => line.includes('running on HTTP') && resolve());
      });
      const result = await pool
        .caller('context7-http')
        .callTool('resolve-library-id', { query: 'hooks', libraryName: 'react' });
      assert.match(toolText(result), /\/facebook\/react/);
      assert.equal(pool.statuses()[0]?.state, 'ready');
      assert.equal(pool.statuses()[0]?.pid, undefined, 'an HTTP server has no process of ours');
    } finally {
      await pool.shutdown(500);
      child.kill('SIGKILL');
      if (child.pid) assert.ok(await waitForPidGone(child.pid));
      await api.close();
    }
  });

  it('falls back to HTTP+SSE when the server refuses Streamable HTTP', async () => {
    const sse = await startSseOnlyServer();
    const { pool } = createTestPool([httpDefinition('legacy', sse.url)]);
    try {
      assert.equal(toolText(await pool.caller('legacy').callTool('echo', { text: 'over sse' })), 'over sse');
      assert.deepEqual(
        (await pool.caller('legacy').listTools()).map((t) => t.name),
        ['echo'],
      );
    } finally {
      await pool.shutdown(500);
      await sse.close();
    }
  });

  it('re-creates the session when the server answers 404 for an old one', async () => {
    const http = await startStreamableHttpServer();
    const { pool } = createTestPool([httpDefinition('stateful', http.url)]);
    try {
      const caller = pool.caller('stateful');
      assert.equal(toolText(await caller.callTool('echo', { text: 'one' })), 'one');
      assert.equal(http.sessionsCreated, 1);
      await http.forgetSessions();
      assert.equal(toolText(await caller.callTool('echo', { text: 'two' })), 'two');
      assert.equal(http.sessionsCreated, 2, 'a new session was opened');
      assert.equal(pool.statuses()[0]?.circuit, 'closed');
    } finally {
      await pool.shutdown(500);
      await http.close();
    }
  });

  it('names both transports when a server refuses Streamable HTTP and does not speak HTTP+SSE either', async () => {
    const refusing = createHttpServer((_req, res) => void res.writeHead(405).end('Method not allowed'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    const { port } = refusing.address() as AddressInfo;
    const { pool } = createTestPool([httpDefinition('neither', `http://127.0.0.1:${port}/mcp`)]);
    try {
      await assert.rejects(pool.caller('neither').callTool('echo', { text: 'x' }), (error: Error) => {
        assert.match(error.message, /refused Streamable HTTP \(4xx\) and the HTTP\+SSE fallback failed/);
        return true;
      });
    } finally {
      await pool.shutdown(500);
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
