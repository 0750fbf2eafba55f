import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GatewayConfig, GatewayToolRule } from '../../../src/core/config/types';
import {
  CACHE_META_KEY,
  entryIdentity,
  fromCachedAnswer,
  toCachedAnswer,
  withCacheMeta,
} from '../../../src/core/gateway/cache-entries';
import {
  cacheAddress,
  canonicalJson,
  GATEWAY_CONTEXT_TYPE,
  ruleFor,
  toolPolicy,
} from '../../../src/core/gateway/cache-policy';
import { ServerInvalidations } from '../../../src/core/gateway/invalidations';
import type { UpstreamServer, UpstreamToolSource } from '../../../src/core/gateway/ports';
import { resultText, type ToolCallResult, type ToolDefinition } from '../../../src/core/gateway/protocol';
import { matchesToolPattern, toolSelected } from '../../../src/core/gateway/selection';
import { cacheableResult, callUpstream } from '../../../src/core/gateway/upstream-call';
import { libraryDocsQuery } from '../../../src/core/preload/queries';
import { cacheKey } from '../../../src/core/store/cache-key';
import { tempDir } from '../../helpers/temp';

const docsServer: UpstreamServer = { name: 'docs', kind: 'context7', costPerCallUsd: 0 };
const other: UpstreamServer = { name: 'other', kind: 'context7', costPerCallUsd: 0 };

function gatewayConfig(tools: GatewayToolRule[] = [], overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return { enabled: true, separator: '__', invalidateOnWrite: true, defaultTtlSeconds: 60, tools, ...overrides };
}

const rule = (fields: Partial<GatewayToolRule>): GatewayToolRule => ({ tool: 't', caseInsensitiveArgs: [], ...fields });

describe('Gateway cache policy', () => {
  it('a rule naming the server wins over one naming its kind; rules of other tools or servers never apply', () => {
    const byKind = rule({ kind: 'context7', ttlSeconds: 1 });
    const byName = rule({ server: 'docs', ttlSeconds: 2 });
    const otherTool = rule({ tool: 'u', server: 'docs' });
    const kindButNamed = rule({ kind: 'context7', server: 'elsewhere' });
    assert.equal(ruleFor([byKind, byName], docsServer, 't'), byName);
    assert.equal(ruleFor([byKind, byName], other, 't'), byKind);
    assert.equal(ruleFor([otherTool], docsServer, 't'), undefined);
    assert.equal(ruleFor([kindButNamed], docsServer, 't'), undefined);
    assert.equal(ruleFor([rule({ kind: 'github' })], docsServer, 't'), undefined);
  });

  it('caches a tool only when it is both read-only and idempotent, or a rule says so', () => {
    const tool = (annotations: ToolDefinition['annotations']): ToolDefinition => ({
      name: 't',
      inputSchema: { type: 'object' },
      annotations,
    });
    const none = gatewayConfig();
    assert.equal(toolPolicy(none, docsServer, tool({ readOnlyHint: true, idempotentHint: true })).cacheable, true);
    assert.equal(toolPolicy(none, docsServer, tool({ readOnlyHint: true })).cacheable, false);
    assert.equal(toolPolicy(none, docsServer, tool({ idempotentHint: true })).cacheable, false);
    const shared = gatewayConfig([rule({ kind: 'context7', sharedKey: 'library_docs' })]);
    assert.equal(toolPolicy(shared, docsServer, tool({})).cacheable, true, 'a shared docs key makes it cacheable');
    const ttl = gatewayConfig([rule({ server: 'docs', ttlSeconds: 5 })]);
    assert.equal(toolPolicy(ttl, docsServer, tool({})).ttlSeconds, 5);
    assert.equal(toolPolicy(none, docsServer, tool({})).ttlSeconds, 60);
    assert.equal(toolPolicy(none, docsServer, tool({})).rule, undefined);
  });

  it('a call invalidates when it is not read-only and invalidate_on_write is on, unless a rule decides', () => {
    const tool = (annotations: ToolDefinition['annotations']): ToolDefinition => ({
      name: 't',
      inputSchema: { type: 'object' },
      annotations,
    });
    assert.equal(toolPolicy(gatewayConfig(), docsServer, tool({})).invalidates, true);
    assert.equal(toolPolicy(gatewayConfig(), docsServer, tool({ readOnlyHint: true })).invalidates, false);
    const markedCacheable = gatewayConfig([rule({ server: 'docs', cacheable: true })]);
    assert.equal(toolPolicy(markedCacheable, docsServer, tool({})).invalidates, false);
    const off = gatewayConfig([], { invalidateOnWrite: false });
    assert.equal(toolPolicy(off, docsServer, tool({})).invalidates, false);
    const forced = gatewayConfig([rule({ server: 'docs', invalidates: true })]);
    assert.equal(toolPolicy(forced, docsServer, tool({ readOnlyHint: true })).invalidates, true);
  });

  it('keys a call by identity, tool and the key arguments; case-insensitive ones trimmed and lower-cased', () => {
    const keyed = rule({ keyArgs: ['name', 'missing'], caseInsensitiveArgs: ['name', 'count'] });
    const a = cacheAddress('id-1', 't', { name: ' NumPy ', extra: 1, count: 3 }, keyed);
    assert.deepEqual(a, {
      kind: 'tool',
      key: JSON.stringify(['g1', 'id-1', 't', '{"name":"numpy"}']),
      contextType: GATEWAY_CONTEXT_TYPE,
    });
    assert.equal(GATEWAY_CONTEXT_TYPE, 'gateway_tool');
    const all = cacheAddress('id-1', 't', { b: 'X', a: undefined, c: ' Y ' }, undefined);
    assert.equal(all?.key, JSON.stringify(['g1', 'id-1', 't', '{"b":"X","c":" Y "}']));
    assert.notEqual(cacheAddress('id-2', 't', {}, undefined)?.key, cacheAddress('id-1', 't', {}, undefined)?.key);
    assert.notEqual(cacheAddress('id-1', 'u', {}, undefined)?.key, cacheAddress('id-1', 't', {}, undefined)?.key);
  });

  it('a shared docs key is the preloaded docs key, and needs a library id and a query', () => {
    const shared = rule({ sharedKey: 'library_docs' });
    assert.deepEqual(cacheAddress('id', 't', { libraryId: '/a/b', query: 'hooks' }, shared), {
      kind: 'shared',
      key: cacheKey(libraryDocsQuery('/a/b', 'hooks')),
      contextType: 'library_api',
    });
    for (const args of [
      { query: 'hooks' },
      { libraryId: '/a/b' },
      { libraryId: 3, query: 'hooks' },
      { libraryId: '/a/b', query: 3 },
      { libraryId: '  ', query: 'hooks' },
      { libraryId: '/a/b', query: ' ' },
    ])
      assert.equal(cacheAddress('id', 't', args, shared), undefined, JSON.stringify(args));
  });

  it('canonical JSON sorts keys at every depth and drops undefined members', () => {
    assert.equal(
      canonicalJson({ b: [{ z: 1, y: undefined, x: 'x' }], a: null, c: { e: 2, d: 1 } }),
      '{"a":null,"b":[{"x":"x","z":1}],"c":{"d":1,"e":2}}',
    );
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson('s'), '"s"');
    assert.equal(canonicalJson({ b: 1, a: 2, c: 3 }), '{"a":2,"b":1,"c":3}');
  });
});

describe('Gateway cache entries', () => {
  const facts = { server: 's', tool: 't', identity: 'id', contextType: 'ct', storedAt: 5, source: 'gateway:s' };

  it('a single text block is stored as its text alone, with who stored it', () => {
    const answer = toCachedAnswer({ content: [{ type: 'text', text: 'hello' }], _meta: { x: 1 } }, facts);
    assert.deepEqual(answer, {
      content: 'hello',
      source: 'gateway:s',
      contextType: 'ct',
      storedAt: 5,
      metadata: { gateway: 1, server: 's', tool: 't', serverIdentity: 'id' },
    });
    assert.deepEqual(fromCachedAnswer(answer), { content: [{ type: 'text', text: 'hello' }] });
    assert.equal(entryIdentity(answer), 'id');
  });

  it('anything text alone would lose is stored whole (without its _meta) and given back whole', () => {
    const results: ToolCallResult[] = [
      {
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { content: [{ type: 'image', data: 'xx', mimeType: 'image/png' }] },
      { content: [{ type: 'text', text: 'a' }], structuredContent: { a: 1 } },
      { content: [] },
    ];
    for (const result of results) {
      const answer = toCachedAnswer({ ...result, _meta: { dropped: true } }, facts);
      assert.deepEqual(answer.metadata?.['result'], result);
      assert.deepEqual(fromCachedAnswer(answer), result);
      assert.equal(answer.content, resultText(result));
    }
  });

  it('an entry not stored by the gateway has no identity and is read as its text', () => {
    const plain = { content: 'docs', source: 'docs', contextType: 'library_api', storedAt: 1 };
    assert.equal(entryIdentity(plain), undefined);
    assert.equal(entryIdentity({ ...plain, metadata: { serverIdentity: 7 } }), undefined);
    assert.deepEqual(fromCachedAnswer(plain), { content: [{ type: 'text', text: 'docs' }] });
    for (const broken of [null, 'text', { content: 'not a list' }])
      assert.deepEqual(fromCachedAnswer({ ...plain, metadata: { result: broken } }), {
        content: [{ type: 'text', text: 'docs' }],
      });
  });

  it('cache facts are added to a result’s _meta, keeping what was there', () => {
    const result = withCacheMeta({ content: [], _meta: { other: 1 } }, { cached: true });
    assert.deepEqual(result._meta, { other: 1, [CACHE_META_KEY]: { cached: true } });
    assert.equal(CACHE_META_KEY, 'mcp-integration/cache');
  });
});

describe('Gateway invalidation times', () => {
  it('an entry stored at or before the invalidation is stale; later ones and other servers are fresh', async () => {
    const times = new ServerInvalidations();
    assert.equal(times.isFresh('s', 1), true);
    await times.invalidate('s', 100);
    assert.equal(times.isFresh('s', 100), false);
    assert.equal(times.isFresh('s', 99), false);
    assert.equal(times.isFresh('s', 101), true);
    assert.equal(times.isFresh('t', 1), true);
    await times.invalidate('s', 50);
    assert.equal(times.isFresh('s', 100), false, 'an older time never moves it back');
  });

  it('persists the times, and ignores a file of another shape', async () => {
    const dir = tempDir('invalidations-');
    const file = path.join(dir, 'state.json');
    const first = new ServerInvalidations(file);
    await first.invalidate('s', 100);
    const second = new ServerInvalidations(file);
    await second.load();
    assert.equal(second.isFresh('s', 100), false);
    for (const content of [
      { version: 2, servers: { s: 100 } },
      { version: 1, servers: null },
      { version: 1, servers: { s: '100' } },
      { version: 1 },
      null,
      [1],
    ]) {
      const other = path.join(dir, `other-${Math.random()}.json`);
      writeFileSync(other, JSON.stringify(content));
      const times = new ServerInvalidations(other);
      await times.load();
      assert.equal(times.isFresh('s', 100), true, JSON.stringify(content));
    }
  });

  it('a time set before the file was read is not overwritten by the older file', async () => {
    const file = path.join(tempDir('invalidations-'), 'state.json');
    writeFileSync(file, JSON.stringify({ version: 1, servers: { s: 10 } }));
    const times = new ServerInvalidations(file);
    await times.invalidate('s', 500);
    assert.equal(times.isFresh('s', 400), false);
  });
});

describe('Gateway tool selection patterns', () => {
  it('a pattern matches server/tool literally apart from *', () => {
    assert.equal(matchesToolPattern('my.server/read', 'my.server', 'read'), true);
    assert.equal(matchesToolPattern('my.server/read', 'myXserver', 'read'), false);
    assert.equal(matchesToolPattern('a+/(x)', 'a+', '(x)'), true);
    assert.equal(matchesToolPattern('a/*', 'a', 'anything'), true);
    assert.equal(matchesToolPattern('a/*', 'b', 'anything'), false);
    assert.equal(matchesToolPattern('a/re', 'a', 'read'), false, 'anchored at the end');
    assert.equal(matchesToolPattern('a/re', 'xa', 're'), false, 'anchored at the start');
  });

  it('a pattern seen for the first time is compiled the same way (patterns are remembered per process)', () => {
    const unique = `srv${Date.now()}${Math.round(Math.random() * 1e9)}`;
    assert.equal(matchesToolPattern(`${unique}.x/*`, `${unique}.x`, 'read'), true);
    assert.equal(matchesToolPattern(`${unique}.y/read`, `${unique}Zy`, 'read'), false);
    assert.equal(matchesToolPattern(`${unique}.y/read`, `${unique}.y`, 'read'), true, 'and remembered');
  });

  it('a server outside the selection exposes nothing, whatever the allow list says', () => {
    assert.equal(toolSelected({ servers: ['a'], allow: ['b/*'], deny: [] }, 'b', 't'), false);
    assert.equal(toolSelected({ servers: ['a', 'b'], allow: ['b/*'], deny: [] }, 'b', 't'), true);
  });
});

describe('One upstream call', () => {
  const server: UpstreamServer = { name: 'srv', kind: 'generic', costPerCallUsd: 0 };
  const source = (handler: (signal?: AbortSignal) => Promise<ToolCallResult>): UpstreamToolSource => ({
    servers: () => [server],
    listTools: () => Promise.resolve([]),
    callTool: (_server, _tool, _args, options) => handler(options?.signal),
    identity: () => Promise.resolve('id'),
    onToolsChanged: () => ({ dispose() {} }),
  });

  it('passes the caller’s signal and reports an answer as ok', async () => {
    const signal = new AbortController().signal;
    let seen: AbortSignal | undefined;
    const outcome = await callUpstream(
      source((s) => ((seen = s), Promise.resolve({ content: [{ type: 'text', text: 'ok' }] }))),
      server,
      't',
      {},
      signal,
    );
    assert.equal(seen, signal);
    assert.deepEqual(outcome, { result: { content: [{ type: 'text', text: 'ok' }] }, ok: true });
  });

  it('an error result is not ok, its text (at most 500 characters) is the error', async () => {
    const long = 'e'.repeat(700);
    const outcome = await callUpstream(
      source(() => Promise.resolve({ content: [{ type: 'text', text: long }], isError: true })),
      server,
      't',
      {},
      undefined,
    );
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error, 'e'.repeat(500));
  });

  it('a thrown failure becomes an error result naming server and tool', async () => {
    const thrown = await callUpstream(
      source(() => Promise.reject(new Error('closed'))),
      server,
      't',
      {},
      undefined,
    );
    assert.deepEqual(thrown, {
      result: { content: [{ type: 'text', text: 'srv/t failed: closed' }], isError: true },
      ok: false,
      error: 'closed',
    });
    const odd = await callUpstream(
      source(() => Promise.reject(new Error('x', { cause: 1 }))),
      server,
      't',
      {},
      undefined,
    );
    assert.equal(odd.error, 'x');
  });

  it('error results never enter the cache; context7 failure texts neither, other servers’ texts do', () => {
    const text = (t: string): ToolCallResult => ({ content: [{ type: 'text', text: t }] });
    const rateLimited = 'Rate limited or quota exceeded. Create a free API key at https://context7.com/dashboard';
    assert.equal(cacheableResult(server, { ...text('x'), isError: true }), false);
    assert.equal(cacheableResult(server, text(rateLimited)), true);
    assert.equal(cacheableResult({ ...server, kind: 'context7' }, text(rateLimited)), false);
    assert.equal(cacheableResult({ ...server, kind: 'context7' }, text('docs')), true);
  });
});

describe('Result text', () => {
  it('joins the text blocks with blank lines and skips other blocks', () => {
    assert.equal(
      resultText({
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', data: 'x' },
          { type: 'text', text: 'b' },
          { type: 'text' },
          { type: 'resource', text: 'not a text block' },
        ],
      }),
      'a\n\nb',
    );
    assert.equal(resultText({ content: 'nope' } as unknown as ToolCallResult), '');
  });
});
