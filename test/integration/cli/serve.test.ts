import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { waitForPidGone } from '../../helpers/processes';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { cliBundle, ensureCliBundle } from './cli-runner';

interface LookupOutput {
  success: boolean;
  content: string | null;
  source: string | null;
  cached: boolean;
  trail: Array<{ layer: string; outcome: string }>;
}

const text = (result: CallToolResult): string => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
const call = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

/** The pids of the servers the serve process runs, from its own stats tool. */
async function serverPids(client: Client): Promise<number[]> {
  const stats = (await call(client, 'stats')).structuredContent as { servers: Array<{ pid?: number }> };
  return stats.servers.flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
}

/** The shared checks: tools, a docs answer, a cached repeat, store + lookup, find_fix, stats. */
async function exerciseHierarchy(client: Client, question: string): Promise<void> {
  const tools = (await client.listTools()).tools.map((t) => t.name).sort();
  assert.deepEqual(tools, ['find_fix', 'lookup', 'stats', 'store']);

  const first = await call(client, 'lookup', { query: question });
  assert.equal(first.isError, undefined, text(first));
  const firstOut = first.structuredContent as unknown as LookupOutput;
  assert.equal(firstOut.source, 'docs');
  assert.equal(firstOut.cached, false);
  assert.equal(text(first), firstOut.content);

  const second = await call(client, 'lookup', { query: question });
  const secondOut = second.structuredContent as unknown as LookupOutput;
  assert.equal(secondOut.cached, true, 'a repeated lookup is answered from the cache');
  assert.equal(secondOut.source, 'local-cache');
  assert.equal(text(second), text(first));

  const stored = await call(client, 'store', {
    key: 'deploy-steps',
    value: 'blue/green, then smoke tests',
    contextType: 'project_memory',
  });
  assert.equal(stored.isError, undefined, text(stored));
  const found = await call(client, 'lookup', { query: 'deploy-steps', contextType: 'project_memory' });
  assert.equal(text(found), 'blue/green, then smoke tests');

  const noFix = await call(client, 'find_fix', {
    message: "Cannot find module 'left-pad'",
    source: 'ts',
    code: '2307',
  });
  assert.equal(noFix.isError, true);
  assert.equal((noFix.structuredContent as { signature: string }).signature, 'error:ts:2307:cannot find module <name>');

  const stats = (await call(client, 'stats')).structuredContent as {
    summary: { cacheHits: number };
    hierarchy: { mode: string };
  };
  assert.ok(stats.summary.cacheHits >= 1);
  assert.equal(stats.hierarchy.mode, 'sequential');
}

describe('mcp-integration serve: the hierarchy as one MCP server', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let global: string[];

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
    api = await FakeContext7Api.start();
    const configDir = makeDir('serve-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    global = [
      '--config',
      configDir,
      '--storage',
      makeDir('serve-storage-'),
      '--workspace',
      makeDir('serve-workspace-'),
    ];
  });

  after(async () => {
    await api.close();
  });

  it('over stdio: a real SDK client gets answers, caching, store and fixes; closing it stops everything', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliBundle, ...global, 'serve'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'serve-test', version: '1.0.0' });
    await client.connect(transport);
    const servePid = transport.pid;
    let pids: number[] = [];
    try {
      assert.equal(client.getServerVersion()?.name, 'mcp-integration');
      await exerciseHierarchy(client, 'how to use react suspense');
      pids = await serverPids(client);
      assert.equal(pids.length, 2, 'memory-bank and context7 run under the serve process');
    } finally {
      await client.close();
    }
    assert.ok(servePid);
    assert.equal(await waitForPidGone(servePid, 10_000), true, 'the serve process exited');
    for (const pid of pids) assert.equal(await waitForPidGone(pid, 5_000), true, `server pid ${pid} was left running`);
  });

  describe('over Streamable HTTP', () => {
    let child: ChildProcess;
    let url: string;
    let exited: Promise<number | null>;

    before(async () => {
      child = spawn(process.execPath, [cliBundle, ...global, 'serve', '--http', '0'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        const timer = setTimeout(() => reject(new Error(`serve --http did not report its URL: ${stderr}`)), 20_000);
        child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          const match = /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', () => reject(new Error(`serve --http exited: ${stderr}`)));
      });
    });

    after(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });

    it('serves two clients with separate sessions over one cache, and stops on SIGTERM leaving no process', async () => {
      const first = new Client({ name: 'serve-http-test', version: '1.0.0' });
      await first.connect(new StreamableHTTPClientTransport(new URL(url)));
      await exerciseHierarchy(first, 'how to use axios interceptors');

      const second = new Client({ name: 'serve-http-test-2', version: '1.0.0' });
      const secondTransport = new StreamableHTTPClientTransport(new URL(url));
      await second.connect(secondTransport);
      assert.ok(secondTransport.sessionId);
      const cached = (await call(second, 'lookup', { query: 'how to use axios interceptors' }))
        .structuredContent as unknown as LookupOutput;
      assert.equal(cached.cached, true, "the second client shares the first one's cache");
      const pids = await serverPids(second);
      assert.equal(pids.length, 2);
      await Promise.all([first.close(), second.close()]);

      const elsewhere = await fetch(url.replace(/\/mcp$/, '/other'));
      assert.equal(elsewhere.status, 404);
      const unknownSession = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': 'no-such-session',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      assert.equal(unknownSession.status, 404, 'an unknown session gets 404, so SDK clients re-initialise');

      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      for (const pid of pids)
        assert.equal(await waitForPidGone(pid, 5_000), true, `server pid ${pid} was left running`);
    });
  });
});
