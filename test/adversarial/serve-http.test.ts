/**
 * `serve --http` tried as an attacker on the same machine: unauthenticated and cross-origin
 * requests, a foreign Host (DNS rebinding), floods of refused requests, of idle connections and of
 * initialize requests. The target is the real CLI bundle with the real memory-bank and context7
 * servers; the victim is a real SDK client holding the token. Each refused request must answer
 * 401/403/413/415 without reading or writing anything, and no flood may push the victim out.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { FakeContext7Api } from '../fixtures/context7-api';
import { writeTestConfig } from '../helpers/config-files';
import { mcpPost, rawRequest, type RawResponse, toolCall } from '../helpers/raw-http';
import { startServeHttp, type ServeProcess } from '../helpers/serve-process';
import { cleanTempDirsAfter } from '../helpers/temp';
import { cliBundle, ensureCliBundle } from '../integration/cli/cli-runner';

const TOKEN = 'victim-token-4f1c9a7e2b6d8053';
const SECRET_NOTE = 'the deploy key rotates on fridays';
/** The victim's private note, remembered as the fix of a diagnostic only the victim knows. */
const PRIVATE = { message: 'private deploy check failed', source: 'deploy', code: 'D1' };
const PLANTED = { message: 'planted check failed', source: 'deploy', code: 'D2' };

const text = (result: CallToolResult): string => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
/** A found fix's own text: `find_fix` answers it first, then a note of when it was remembered. */
const fixText = (result: CallToolResult): string => {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
};

/** Resident memory of a process in MiB (Linux `/proc`), for the bounded-case figures. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** Runs `tasks` with at most `width` in flight. */
async function pooled<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

describe('serve --http under attack', function () {
  this.timeout(120_000);
  const makeDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let serve: ServeProcess;
  let victim: Client;
  let origin: string;

  const connectVictim = async (name: string): Promise<Client> => {
    const client = new Client({ name, version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    return client;
  };
  const call = (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    client.callTool({ name, arguments: args });
  /** What a refused request could have changed: calls, cache lookups, cache contents. */
  const footprint = async (): Promise<unknown> => {
    const stats = (await call(victim, 'stats')).structuredContent as {
      summary: { totalCalls: number; cacheLookups: number; cacheHits: number };
      hierarchy: unknown;
    };
    const { totalCalls, cacheLookups, cacheHits } = stats.summary;
    return { totalCalls, cacheLookups, cacheHits, hierarchy: stats.hierarchy };
  };

  before(async function () {
    this.timeout(180_000);
    await ensureCliBundle();
    api = await FakeContext7Api.start();
    const configDir = makeDir('attack-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    const tokenFile = path.join(makeDir('attack-token-'), 'tokens');
    writeFileSync(tokenFile, `# victim\n${TOKEN}\n`);
    chmodSync(tokenFile, 0o600);
    const args = ['--config', configDir, '--storage', makeDir('attack-storage-'), '--workspace', makeDir('attack-ws-')];
    serve = await startServeHttp(cliBundle, [...args, 'serve', '--http', '0', '--token-file', tokenFile]);
    assert.equal(serve.token, undefined, 'a token from a file is never printed');
    assert.doesNotMatch(serve.stderr(), new RegExp(TOKEN));
    origin = new URL(serve.url).origin;
    victim = await connectVictim('victim');
    const stored = await call(victim, 'remember_fix', { ...PRIVATE, solution: SECRET_NOTE });
    assert.equal(stored.isError, undefined, text(stored));
  });

  after(async () => {
    // `before` may have failed before setting each of them.
    const started: Partial<{ victim: Client; serve: ServeProcess; api: FakeContext7Api }> = { victim, serve, api };
    await started.victim?.close();
    if (started.serve) assert.equal(await started.serve.stop(), 0, started.serve.stderr());
    await started.api?.close();
  });

  it('refused requests answer 401/403/415 and read or write nothing', async () => {
    const before = await footprint();
    const read = toolCall(1, 'find_fix', PRIVATE);
    const overwrite = toolCall(2, 'remember_fix', { ...PRIVATE, solution: 'attacker was here' });
    const plant = toolCall(3, 'remember_fix', { ...PLANTED, solution: 'attacker note' });
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const attacks: Array<{ name: string; status: number; send: () => Promise<RawResponse> }> = [
      { name: 'read without a token', status: 401, send: () => mcpPost(serve.url, read) },
      { name: 'overwrite without a token', status: 401, send: () => mcpPost(serve.url, overwrite) },
      { name: 'plant without a token', status: 401, send: () => mcpPost(serve.url, plant) },
      {
        name: 'wrong token',
        status: 401,
        send: () => mcpPost(serve.url, read, { authorization: 'Bearer victim-token-4f1c9a7e2b6d8054' }),
      },
      {
        name: 'token with a suffix',
        status: 401,
        send: () => mcpPost(serve.url, read, { authorization: `Bearer ${TOKEN}x` }),
      },
      {
        name: 'token as Basic credentials',
        status: 401,
        send: () =>
          mcpPost(serve.url, read, { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }),
      },
      {
        name: 'token in the query string',
        status: 401,
        send: () => mcpPost(`${serve.url}?token=${TOKEN}&access_token=${TOKEN}`, read),
      },
      {
        name: 'DNS rebinding: valid token, foreign Host',
        status: 403,
        send: () => mcpPost(serve.url, plant, { ...bearer, host: `attacker.example:${new URL(serve.url).port}` }),
      },
      {
        name: 'cross-origin page with the token',
        status: 403,
        send: () => mcpPost(serve.url, plant, { ...bearer, origin: 'https://attacker.example' }),
      },
      {
        name: 'opaque origin (sandboxed iframe, file://)',
        status: 403,
        send: () => mcpPost(serve.url, read, { ...bearer, origin: 'null' }),
      },
      {
        name: 'cross-origin page without the token',
        status: 403,
        send: () => mcpPost(serve.url, read, { origin: 'https://attacker.example' }),
      },
      {
        name: 'form-style simple request (text/plain) with the token',
        status: 415,
        send: () =>
          rawRequest(serve.url, {
            headers: { ...bearer, 'content-type': 'text/plain', origin },
            body: JSON.stringify(plant),
          }),
      },
    ];
    for (const attack of attacks) {
      const response = await attack.send();
      assert.equal(response.status, attack.status, `${attack.name}: ${response.body}`);
      assert.doesNotMatch(response.body, /deploy key/, `${attack.name} leaked the note`);
      assert.equal(response.headers['connection'], 'close', `${attack.name}: a refused request closes its connection`);
      if (response.status === 401)
        assert.match(String(response.headers['www-authenticate']), /^Bearer /, `${attack.name}: WWW-Authenticate`);
    }
    console.log(`      ${attacks.length} attacks refused; footprint unchanged`);
    assert.deepEqual(await footprint(), before, 'no refused request touched the cache, memory or servers');
    assert.equal(fixText(await call(victim, 'find_fix', PRIVATE)), SECRET_NOTE);
    const planted = await call(victim, 'find_fix', PLANTED);
    assert.equal(planted.isError, true, 'nothing was planted');
  });

  it('a flood of refused requests leaves the authenticated client working', async () => {
    const pid = serve.child.pid!;
    const rssBefore = rssMiB(pid);
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const kinds = [
      () => mcpPost(serve.url, init),
      () => mcpPost(serve.url, init, { authorization: 'Bearer guess-0123456789abcdef' }),
      () => mcpPost(serve.url, init, { authorization: `Bearer ${TOKEN}`, origin: 'https://attacker.example' }),
      () => mcpPost(serve.url, init, { authorization: `Bearer ${TOKEN}`, host: 'attacker.example' }),
    ];
    const count = 1200;
    const started = performance.now();
    const statuses = await pooled(
      Array.from({ length: count }, (_, i) => async () => (await kinds[i % kinds.length]!()).status),
      48,
    );
    const seconds = (performance.now() - started) / 1000;
    const tally = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    assert.deepEqual(tally, { 401: count / 2, 403: count / 2 }, 'every flood request refused, none failed otherwise');
    // The victim's client, connected before the flood, goes on as if nothing happened.
    assert.equal(fixText(await call(victim, 'find_fix', PRIVATE)), SECRET_NOTE);
    const late = await connectVictim('victim-after-flood');
    assert.equal((await call(late, 'stats')).isError, undefined);
    await late.close();
    const rssAfter = rssMiB(pid);
    console.log(
      `      ${count} refused requests in ${seconds.toFixed(1)} s (${Math.round(count / seconds)}/s); serve RSS ${rssBefore} → ${rssAfter} MiB`,
    );
    assert.ok(rssAfter - rssBefore < 100, `memory stayed bounded (${rssBefore} → ${rssAfter} MiB)`);
  });

  it('an idle-connection flood over the cap cannot evict or lock out the authenticated client', async () => {
    const { port, hostname } = new URL(serve.url);
    const sockets: Socket[] = [];
    let closed = 0;
    const flood = 400; // over the 128 connections a stranger may hold before proving anything
    for (let i = 0; i < flood; i++) {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => undefined);
      socket.once('close', () => (closed += 1));
      // Half a request line, then silence: a slow-loris holding the connection open.
      socket.once('connect', () => socket.write(`POST /mcp HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`));
      sockets.push(socket);
    }
    try {
      await Promise.all(
        sockets.map(
          (s) =>
            new Promise<void>((resolve) =>
              s.connecting ? s.once('connect', () => resolve()).once('close', () => resolve()) : resolve(),
            ),
        ),
      );
      const started = performance.now();
      assert.equal(fixText(await call(victim, 'find_fix', PRIVATE)), SECRET_NOTE);
      const fresh = await connectVictim('victim-during-flood');
      assert.equal((await call(fresh, 'stats')).isError, undefined);
      await fresh.close();
      const ms = performance.now() - started;
      // Bounded wait for the guard: all but the newest 128 unproven connections are closed.
      const deadline = Date.now() + 10_000;
      while (closed < flood - 128 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      console.log(
        `      ${flood} idle connections: ${closed} closed by the cap; victim served in ${Math.round(ms)} ms meanwhile`,
      );
      assert.ok(closed >= flood - 128, `the cap closed the oldest idle connections (${closed} of ${flood})`);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('an initialize flood with a valid token opens no session and holds nothing', async () => {
    const pid = serve.child.pid!;
    const rssBefore = rssMiB(pid);
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'flood', version: '1' } },
    };
    const responses = await pooled(
      Array.from({ length: 400 }, () => () => mcpPost(serve.url, init, { authorization: `Bearer ${TOKEN}` })),
      32,
    );
    assert.ok(
      responses.every((r) => r.status === 200),
      'each initialize is answered',
    );
    assert.ok(
      responses.every((r) => r.headers['mcp-session-id'] === undefined),
      'stateless: no session is created',
    );
    assert.equal(fixText(await call(victim, 'find_fix', PRIVATE)), SECRET_NOTE);
    const rssAfter = rssMiB(pid);
    console.log(`      400 authenticated initializes: no session held; serve RSS ${rssBefore} → ${rssAfter} MiB`);
    assert.ok(rssAfter - rssBefore < 100, `memory stayed bounded (${rssBefore} → ${rssAfter} MiB)`);
  });

  it('a declared oversized body is refused before it is read, with or without a token', async () => {
    const huge = { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) };
    // Only the headers are sent: an answer proves nothing waited for 200 MiB.
    const withToken = await rawRequest(
      serve.url,
      { headers: { ...huge, authorization: `Bearer ${TOKEN}` } },
      5_000,
    ).catch((error: Error) => ({ status: -1, headers: {}, body: error.message }));
    assert.equal(withToken.status, 413, withToken.body);
    const without = await rawRequest(serve.url, { headers: huge }, 5_000).catch((error: Error) => ({
      status: -1,
      headers: {},
      body: error.message,
    }));
    assert.equal(without.status, 401, without.body);
    // A body that does not declare its length is cut at the cap by the SDK's adapter.
    const chunked = await rawRequest(serve.url, {
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: JSON.stringify(toolCall(9, 'lookup', { query: 'q'.repeat(2 * 1024 * 1024) })),
    });
    assert.equal(chunked.status, 413, chunked.body);
    assert.equal(text(await call(victim, 'stats')).length > 0, true);
  });
});
