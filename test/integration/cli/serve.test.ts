import { strict as assert } from 'node:assert';
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { waitForPidGone } from '../../helpers/processes';
import { mcpPost, rawRequest, toolCall } from '../../helpers/raw-http';
import { startServeHttp, type ServeProcess } from '../../helpers/serve-process';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { cliBundle, ensureCliBundle, runCli } from './cli-runner';

interface LookupOutput {
  success: boolean;
  content: string | null;
  source: string | null;
  cached: boolean;
  trail: Array<{ layer: string; outcome: string }>;
}

const text = (result: CallToolResult): string => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
const call = (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
  client.callTool({ name, arguments: args });

/** The pids of the servers the serve process runs, from its own stats tool. */
async function serverPids(client: Client): Promise<number[]> {
  const stats = (await call(client, 'stats')).structuredContent as { servers: Array<{ pid?: number }> };
  return stats.servers.flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
}

/** The shared checks: tools, a docs answer, a cached repeat, remember_fix + find_fix, stats. */
async function exerciseHierarchy(client: Client, question: string): Promise<void> {
  const tools = (await client.listTools()).tools.map((t) => t.name);
  for (const name of ['lookup', 'find_fix', 'remember_fix', 'stats', 'context7__query-docs'])
    assert.ok(tools.includes(name), `${name} is served: ${tools.join(', ')}`);
  assert.ok(!tools.includes('store'), 'the old store tool is gone');

  const first = await call(client, 'lookup', { query: question });
  assert.equal(first.isError, undefined, text(first));
  const firstOut = first.structuredContent as LookupOutput;
  assert.equal(firstOut.source, 'docs');
  assert.equal(firstOut.cached, false);
  assert.equal(text(first), firstOut.content);

  const second = await call(client, 'lookup', { query: question });
  const secondOut = second.structuredContent as LookupOutput;
  assert.equal(secondOut.cached, true, 'a repeated lookup is answered from the cache');
  assert.equal(secondOut.source, 'local-cache');
  assert.equal(text(second), text(first));

  // Each run its own error code: the runs share one storage folder, and so one memory.
  const code = String(2300 + question.length);
  const diagnostic = { message: "Cannot find module 'left-pad'", source: 'ts', code };
  const noFix = await call(client, 'find_fix', diagnostic);
  assert.equal(noFix.isError, true);
  assert.equal(
    (noFix.structuredContent as { signature: string }).signature,
    `error:ts:${code}:cannot find module <name>`,
  );
  const remembered = await call(client, 'remember_fix', { ...diagnostic, solution: 'npm install left-pad' });
  assert.equal(remembered.isError, undefined, text(remembered));
  const fix = await call(client, 'find_fix', { ...diagnostic, message: "Cannot find module 'right-pad'" });
  // The fix itself, then a note saying when it was remembered.
  const [solution, note] = fix.content.map((c) => (c.type === 'text' ? c.text : ''));
  assert.equal(solution, 'npm install left-pad');
  assert.match(note ?? '', /^\(remembered \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/);

  const stats = (await call(client, 'stats')).structuredContent as {
    summary: { cacheHits: number };
    hierarchy: { mode: string };
  };
  assert.ok(stats.summary.cacheHits >= 1);
  assert.equal(stats.hierarchy.mode, 'sequential');
}

describe('mcp-integration serve: the gateway as one MCP server', function () {
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

  it('over stdio: a real SDK client gets answers, caching and fixes; closing it stops everything', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliBundle, ...global, 'serve'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'serve-test', version: '1.0.0' });
    await client.connect(transport);
    const servePid = transport.pid;
    let pids: number[];
    try {
      assert.equal(client.getServerVersion()?.name, 'mcp-integration');
      console.log(`      serve over stdio: negotiated protocol ${client.getNegotiatedProtocolVersion()}`);
      // The runtime's own log reaches the client at the level it set (servers starting log at info).
      const logged: string[] = [];
      client.setNotificationHandler('notifications/message', (n) => void logged.push(String(n.params.data)));
      await client.setLoggingLevel('info');
      await exerciseHierarchy(client, 'how to use react suspense');
      assert.ok(
        logged.some((line) => /context7: ready/.test(line)),
        `the runtime's info log was relayed: ${JSON.stringify(logged)}`,
      );
      pids = await serverPids(client);
      assert.equal(pids.length, 2, 'memory-bank and context7 run under the serve process');
    } finally {
      await client.close();
    }
    assert.ok(servePid);
    assert.equal(await waitForPidGone(servePid, 10_000), true, 'the serve process exited');
    for (const pid of pids) assert.equal(await waitForPidGone(pid, 5_000), true, `server pid ${pid} was left running`);
  });

  it('refuses unservable HTTP options with a usage error before anything starts', async () => {
    const storage = makeDir('serve-refused-');
    const wildcard = await runCli(['--storage', storage, 'serve', '--http', '0', '--host', '0.0.0.0']);
    assert.equal(wildcard.code, 2);
    assert.match(wildcard.stderr, /no Host name is allowed; name the hosts clients use with --allowed-host/);
    const noHttp = await runCli(['--storage', storage, 'serve', '--token-file', '/nonexistent']);
    assert.equal(noHttp.code, 2);
    assert.match(noHttp.stderr, /need --http PORT/);
    const missing = await runCli([...global, 'serve', '--http', '0', '--token-file', `${storage}/no-such-file`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the token file .*ENOENT/);
  });

  describe('over Streamable HTTP (stateless, with a bearer token)', () => {
    let serve: ServeProcess;

    before(async () => {
      serve = await startServeHttp(cliBundle, [...global, 'serve', '--http', '0']);
    });

    after(async () => {
      await serve.stop();
    });

    const connect = async (name: string, token = serve.token): Promise<Client> => {
      const client = new Client({ name, version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(serve.url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      return client;
    };

    it('prints a generated token, and two clients share one cache without sessions', async () => {
      assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      assert.ok(serve.token && serve.token.length >= 40, 'a random token is printed with the URL');
      assert.match(serve.stderr(), /token is also in .*serve-token \(readable by you only\)/);

      const first = await connect('serve-http-test');
      console.log(`      serve over HTTP: negotiated protocol ${first.getNegotiatedProtocolVersion()}`);
      await exerciseHierarchy(first, 'how to use axios interceptors');

      const secondTransport = new StreamableHTTPClientTransport(new URL(serve.url), {
        requestInit: { headers: { authorization: `Bearer ${serve.token}` } },
      });
      const second = new Client({ name: 'serve-http-test-2', version: '1.0.0' });
      await second.connect(secondTransport);
      assert.equal(secondTransport.sessionId, undefined, 'stateless: no session id, any process may answer');
      const cached = (await call(second, 'lookup', { query: 'how to use axios interceptors' }))
        .structuredContent as LookupOutput;
      assert.equal(cached.cached, true, "the second client shares the first one's cache");
      await Promise.all([first.close(), second.close()]);
    });

    it('refuses a missing or wrong token with 401 and a foreign Host or Origin with 403', async () => {
      const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
      const missing = await mcpPost(serve.url, list);
      assert.equal(missing.status, 401);
      assert.match(String(missing.headers['www-authenticate']), /^Bearer .*error="invalid_token"/);
      const wrong = await mcpPost(serve.url, list, { authorization: 'Bearer not-the-token-0123456789' });
      assert.equal(wrong.status, 401);
      const auth = { authorization: `Bearer ${serve.token}` };
      const foreignHost = await mcpPost(serve.url, list, { ...auth, host: 'evil.example' });
      assert.equal(foreignHost.status, 403);
      const foreignOrigin = await mcpPost(serve.url, list, { ...auth, origin: 'https://evil.example' });
      assert.equal(foreignOrigin.status, 403);
      const elsewhere = await rawRequest(serve.url.replace(/\/mcp$/, '/other'), { method: 'GET', headers: auth });
      assert.equal(elsewhere.status, 404);
      const accepted = await mcpPost(serve.url, toolCall(2, 'stats', {}), auth);
      assert.equal(accepted.status, 200, accepted.body);
    });

    it('serves /healthz without a token (states only) and /metrics with one', async () => {
      const base = serve.url.replace(/\/mcp$/, '');
      const health = await rawRequest(`${base}/healthz`, { method: 'GET' });
      assert.equal(health.status, 200, health.body);
      const report = JSON.parse(health.body) as { status: string; version: string; redis: unknown; servers: unknown[] };
      assert.equal(report.version, '0.1.0');
      assert.ok(report.status === 'ok' || report.status === 'degraded');
      assert.equal(report.redis, null, 'no shared cache configured');
      assert.ok(Array.isArray(report.servers));
      const foreign = await rawRequest(`${base}/healthz`, { method: 'GET', headers: { host: 'evil.example' } });
      assert.equal(foreign.status, 403, 'the Host guard applies to every path');
      const anonymous = await rawRequest(`${base}/metrics`, { method: 'GET' });
      assert.equal(anonymous.status, 401);
      const metrics = await rawRequest(`${base}/metrics`, {
        method: 'GET',
        headers: { authorization: `Bearer ${serve.token}` },
      });
      assert.equal(metrics.status, 200);
      assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.match(metrics.body, /^mcp_integration_cache_hit_ratio /m);
    });

    it('stops on SIGTERM leaving no process', async () => {
      const client = await connect('serve-http-pids');
      const pids = await serverPids(client);
      assert.equal(pids.length, 2);
      await client.close();
      assert.equal(await serve.stop(), 0);
      for (const pid of pids)
        assert.equal(await waitForPidGone(pid, 5_000), true, `server pid ${pid} was left running`);
    });
  });
});
