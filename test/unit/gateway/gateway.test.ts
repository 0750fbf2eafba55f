import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { GatewayConfig } from '../../../src/core/config/types';
import { CACHE_META_KEY, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import { cacheAddress } from '../../../src/core/gateway/cache-policy';
import { Gateway, type GatewayOptions } from '../../../src/core/gateway/gateway';
import type { ToolCallResult } from '../../../src/core/gateway/protocol';
import { UnknownToolError, type GatewayCallEvent } from '../../../src/core/gateway/types';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import { libraryDocsQuery } from '../../../src/core/preload/queries';
import { ResultCache } from '../../../src/core/store/result-cache';
import { cleanTempDirsAfter, tempDir } from '../../helpers/temp';
import { FakeSource, READ_ONLY, tool } from './fake-source';

const CONTEXT7_RULES: GatewayConfig['tools'] = [
  {
    kind: 'context7',
    tool: 'resolve-library-id',
    keyArgs: ['libraryName'],
    caseInsensitiveArgs: ['libraryName'],
    ttlSeconds: 600,
  },
  {
    kind: 'context7',
    tool: 'query-docs',
    keyArgs: ['libraryId', 'query'],
    caseInsensitiveArgs: [],
    sharedKey: 'library_docs',
    ttlSeconds: 600,
  },
];

function config(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    enabled: true,
    separator: '__',
    invalidateOnWrite: true,
    defaultTtlSeconds: 60,
    tools: CONTEXT7_RULES,
    ...overrides,
  };
}

function text(result: ToolCallResult): string {
  return result.content.map((c) => (typeof c['text'] === 'string' ? c['text'] : '')).join('\n');
}

function meta(result: ToolCallResult): CacheMeta | undefined {
  return result._meta?.[CACHE_META_KEY] as CacheMeta | undefined;
}

function context7Source(): FakeSource {
  const source = new FakeSource([{ name: 'context7', kind: 'context7', costPerCallUsd: 0.001 }]);
  source.tools.set('context7', [
    tool('resolve-library-id', READ_ONLY, (args) => ({
      content: [{ type: 'text', text: `ids for ${String(args['libraryName'])}` }],
    })),
    tool('query-docs', READ_ONLY, (args) => ({
      content: [{ type: 'text', text: `docs ${String(args['libraryId'])} ${String(args['query'])}` }],
    })),
  ]);
  return source;
}

function memorySource(): FakeSource {
  const source = new FakeSource([{ name: 'memory', kind: 'memory-bank', costPerCallUsd: 0 }]);
  let stored = 'v1';
  source.tools.set('memory', [
    tool('read', {}, () => ({ content: [{ type: 'text', text: stored }] })),
    tool('write', { readOnlyHint: false }, (args) => {
      stored = String(args['value']);
      return { content: [{ type: 'text', text: 'ok' }] };
    }),
  ]);
  return source;
}

describe('Gateway: caching, single-flight and invalidation', () => {
  cleanTempDirsAfter();
  let now = 1_000_000;
  const clock = (): number => now;
  const make = (
    source: FakeSource,
    options: Partial<GatewayOptions> = {},
  ): { gateway: Gateway; events: GatewayCallEvent[]; cache: ResultCache } => {
    const events: GatewayCallEvent[] = [];
    const cache = options.cache ?? new ResultCache({ now: clock });
    const gateway = new Gateway({
      source,
      cache,
      config: config(),
      now: clock,
      observer: { onCall: (e) => void events.push(e) },
      ...options,
    });
    return { gateway, events, cache };
  };

  beforeEach(() => {
    now = 1_000_000;
  });

  /** A cache holding the numpy overview as the preloader stores it, and the hierarchy over it. */
  const withPreloadedNumpy = async (): Promise<{ cache: ResultCache; hierarchy: KnowledgeHierarchy }> => {
    const cache = new ResultCache({ now: clock });
    const hierarchy = new KnowledgeHierarchy({ layers: [], cache, now: clock });
    await hierarchy.store('overview', 'preloaded numpy overview', {
      contextType: 'library_api',
      libraryId: '/numpy/numpy',
      ttlSeconds: 600,
    });
    return { cache, hierarchy };
  };

  it('answers a repeated read-only call from the cache, marked with its age, with one upstream call', async () => {
    const source = context7Source();
    const { gateway, events } = make(source);
    const args = { libraryId: '/numpy/numpy', query: 'arrays' };
    const first = await gateway.callTool('context7__query-docs', args, { client: 'agent' });
    now += 5_000;
    const second = await gateway.callTool('context7__query-docs', args, { client: 'agent' });
    assert.equal(source.callsTo('query-docs'), 1);
    assert.equal(text(second), text(first));
    assert.equal(meta(first)?.cached, false);
    assert.equal(meta(second)?.cached, true);
    assert.equal(meta(second)?.ageSeconds, 5);
    await gateway.flush();
    assert.deepEqual(
      events.map((e) => [e.client, e.server, e.tool, e.cached, e.upstream, e.costUsd]),
      [
        ['agent', 'context7', 'query-docs', false, true, 0.001],
        ['agent', 'context7', 'query-docs', true, false, 0],
      ],
    );
  });

  it('keys resolve-library-id by the library name only, case-insensitively, and forgets after its TTL', async () => {
    const source = context7Source();
    const { gateway } = make(source);
    await gateway.callTool('context7__resolve-library-id', { libraryName: 'NumPy', query: 'how to make arrays' });
    const hit = await gateway.callTool('context7__resolve-library-id', {
      libraryName: ' numpy ',
      query: 'broadcasting rules',
    });
    assert.equal(meta(hit)?.cached, true);
    assert.equal(source.callsTo('resolve-library-id'), 1);
    await gateway.callTool('context7__resolve-library-id', { libraryName: 'pandas', query: 'x' });
    assert.equal(source.callsTo('resolve-library-id'), 2);
    now += 601_000;
    await gateway.callTool('context7__resolve-library-id', { libraryName: 'numpy', query: 'x' });
    assert.equal(source.callsTo('resolve-library-id'), 3);
  });

  it('never caches isError results, thrown failures or context7 failure texts', async () => {
    const source = context7Source();
    let mode: 'error' | 'throw' | 'rate-limit' = 'error';
    source.tools.set('context7', [
      tool('query-docs', READ_ONLY, () => {
        if (mode === 'throw') throw new Error('connection closed');
        if (mode === 'rate-limit')
          return {
            content: [
              {
                type: 'text',
                text: 'Rate limited or quota exceeded. Create a free API key at https://context7.com/dashboard for higher limits.',
              },
            ],
          };
        return { content: [{ type: 'text', text: 'library not found' }], isError: true };
      }),
    ]);
    const { gateway, events } = make(source);
    const args = { libraryId: '/x/y', query: 'q' };
    for (const next of ['error', 'throw', 'rate-limit'] as const) {
      mode = next;
      const a = await gateway.callTool('context7__query-docs', args);
      const b = await gateway.callTool('context7__query-docs', args);
      assert.notEqual(meta(b)?.cached, true, `${next} must not be cached`);
      if (next !== 'rate-limit') assert.equal(a.isError, true);
    }
    assert.equal(source.callsTo('query-docs'), 6);
    await gateway.flush();
    const thrown = events.filter((e) => !e.ok);
    assert.ok(thrown.some((e) => e.error?.includes('connection closed')));
  });

  it('caches only declared read-only + idempotent tools or ones a rule makes cacheable; a rule can forbid it', async () => {
    const source = memorySource();
    const plain = make(source);
    await plain.gateway.callTool('memory__read', {});
    await plain.gateway.callTool('memory__read', {});
    assert.equal(source.callsTo('read'), 2);

    const ruled = make(source, {
      config: config({ tools: [{ kind: 'memory-bank', tool: 'read', cacheable: true, caseInsensitiveArgs: [] }] }),
    });
    await ruled.gateway.callTool('memory__read', {});
    await ruled.gateway.callTool('memory__read', {});
    assert.equal(source.callsTo('read'), 3);

    const c7 = context7Source();
    const forbidden = make(c7, {
      config: config({
        tools: [{ server: 'context7', tool: 'query-docs', cacheable: false, caseInsensitiveArgs: [] }],
      }),
    });
    await forbidden.gateway.callTool('context7__query-docs', { libraryId: '/a/b', query: 'q' });
    await forbidden.gateway.callTool('context7__query-docs', { libraryId: '/a/b', query: 'q' });
    assert.equal(c7.callsTo('query-docs'), 2);
  });

  it('a write call invalidates the server’s cached results, persistently; a write by an adapter too', async () => {
    const stateFile = path.join(tempDir('gateway-'), 'gateway-state.json');
    const source = memorySource();
    const rules = config({ tools: [{ kind: 'memory-bank', tool: 'read', cacheable: true, caseInsensitiveArgs: [] }] });
    const cache = new ResultCache({ now: clock, cacheDir: tempDir('gateway-cache-') });
    const { gateway } = make(source, { config: rules, cache, stateFile });
    assert.equal(text(await gateway.callTool('memory__read', {})), 'v1');
    now += 1;
    await gateway.callTool('memory__write', { value: 'v2' });
    now += 1;
    const fresh = await gateway.callTool('memory__read', {});
    assert.equal(text(fresh), 'v2');
    assert.equal(meta(fresh)?.cached, false);

    // Someone else (the hierarchy's adapter) writes through the same server.
    now += 1;
    await source.callTool('memory', 'write', { value: 'v3' });
    now += 1;
    assert.equal(text(await gateway.callTool('memory__read', {})), 'v3');
    await gateway.flush();
    await cache.flush();

    // A new gateway over the same disk cache must not bring v2 back, nor serve v3 after a later write.
    now += 1;
    await gateway.callTool('memory__write', { value: 'v4' });
    cache.clearMemory();
    const again = make(source, { config: rules, cache, stateFile });
    now += 1;
    assert.equal(text(await again.gateway.callTool('memory__read', {})), 'v4');
  });

  it('does not invalidate when invalidate_on_write is off', async () => {
    const source = memorySource();
    const rules = config({
      invalidateOnWrite: false,
      tools: [{ kind: 'memory-bank', tool: 'read', cacheable: true, caseInsensitiveArgs: [] }],
    });
    const { gateway } = make(source, { config: rules });
    await gateway.callTool('memory__read', {});
    await gateway.callTool('memory__write', { value: 'v2' });
    assert.equal(meta(await gateway.callTool('memory__read', {}))?.cached, true);
  });

  it('500 identical concurrent calls make one upstream call; a caller that leaves does not cancel the rest', async () => {
    const source = context7Source();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    source.tools.set('context7', [
      tool('query-docs', READ_ONLY, async (_args, signal) => {
        await gate;
        if (signal?.aborted) throw new Error('aborted');
        return { content: [{ type: 'text', text: 'shared docs' }] };
      }),
    ]);
    const { gateway, events } = make(source);
    const leaving = new AbortController();
    const args = { libraryId: '/a/b', query: 'same' };
    const early = gateway.callTool('context7__query-docs', args, { signal: leaving.signal });
    const calls = Array.from({ length: 500 }, () => gateway.callTool('context7__query-docs', args));
    await new Promise((resolve) => setImmediate(resolve));
    leaving.abort();
    release();
    const results = await Promise.all(calls);
    assert.equal(source.callsTo('query-docs'), 1);
    assert.ok(results.every((r) => text(r) === 'shared docs' && r.isError !== true));
    assert.equal((await early).isError, true);
    await gateway.flush();
    assert.equal(events.filter((e) => e.upstream).length, 1);
    assert.equal(events.filter((e) => e.shared).length, 500);
  });

  it('shares entries with preloaded library docs, in both directions', async () => {
    const { cache, hierarchy } = await withPreloadedNumpy();
    const source = context7Source();
    const { gateway } = make(source, { cache });
    const fromPreload = await gateway.callTool('context7__query-docs', {
      libraryId: '/numpy/numpy',
      query: 'Overview',
    });
    assert.equal(text(fromPreload), 'preloaded numpy overview');
    assert.equal(meta(fromPreload)?.cached, true);
    assert.equal(source.callsTo('query-docs'), 0);

    await gateway.callTool('context7__query-docs', { libraryId: '/pandas-dev/pandas', query: 'getting started' });
    const forHover = hierarchy.peekCached(libraryDocsQuery('/pandas-dev/pandas', 'getting started'));
    assert.equal(forHover?.content, 'docs /pandas-dev/pandas getting started');
    const docs = { libraryId: '/pandas-dev/pandas', query: 'getting started' };
    const shared = cacheAddress('context7@1.0.0', 'query-docs', docs, CONTEXT7_RULES[1]);
    assert.equal(cache.peek(shared?.key ?? '')?.value.source, 'docs', 'a shared entry is stored as docs');

    await gateway.callTool('context7__resolve-library-id', { libraryName: 'numpy' });
    const address = cacheAddress('context7@1.0.0', 'resolve-library-id', { libraryName: 'numpy' }, CONTEXT7_RULES[0]);
    assert.equal(cache.peek(address?.key ?? '')?.value.source, 'gateway:context7', "the gateway's own entries name it");
  });

  it('keys results by server identity: an upgraded server does not see old answers', async () => {
    const source = context7Source();
    const { gateway } = make(source);
    await gateway.callTool('context7__resolve-library-id', { libraryName: 'numpy' });
    source.versions.set('context7', '2.0.0');
    gateway.refresh();
    const after = await gateway.callTool('context7__resolve-library-id', { libraryName: 'numpy' });
    assert.equal(meta(after)?.cached, false);
    assert.equal(source.callsTo('resolve-library-id'), 2);
  });

  it('does not serve shared docs the gateway stored for an older server version; preloaded docs still answer', async () => {
    const { cache } = await withPreloadedNumpy();
    const source = context7Source();
    const { gateway } = make(source, { cache });
    const args = { libraryId: '/pandas-dev/pandas', query: 'getting started' };
    await gateway.callTool('context7__query-docs', args);
    assert.equal(meta(await gateway.callTool('context7__query-docs', args))?.cached, true);

    source.versions.set('context7', '2.0.0');
    gateway.refresh();
    now += 1;
    const afterUpgrade = await gateway.callTool('context7__query-docs', args);
    assert.equal(meta(afterUpgrade)?.cached, false);
    assert.equal(source.callsTo('query-docs'), 2);
    assert.equal(meta(await gateway.callTool('context7__query-docs', args))?.cached, true, 'stored again for 2.0.0');

    const preloaded = await gateway.callTool('context7__query-docs', { libraryId: '/numpy/numpy', query: 'Overview' });
    assert.equal(text(preloaded), 'preloaded numpy overview', 'an entry no server stored has no version to differ');
    assert.equal(meta(preloaded)?.cached, true);
  });

  it('does not serve a result stored before its server was invalidated, shared docs included', async () => {
    const source = context7Source();
    const { gateway } = make(source);
    const docs = { libraryId: '/numpy/numpy', query: 'arrays' };
    const ids = { libraryName: 'numpy' };
    await gateway.callTool('context7__query-docs', docs);
    await gateway.callTool('context7__resolve-library-id', ids);
    now += 1;
    await gateway.invalidateServer('context7');
    now += 1;
    assert.equal(meta(await gateway.callTool('context7__query-docs', docs))?.cached, false);
    assert.equal(meta(await gateway.callTool('context7__resolve-library-id', ids))?.cached, false);
    assert.equal(source.callsTo('query-docs'), 2);
    assert.equal(source.callsTo('resolve-library-id'), 2);
    assert.equal(meta(await gateway.callTool('context7__query-docs', docs))?.cached, true, 'stored again after');
  });

  it('a result whose call was under way when its server was invalidated is stale', async () => {
    const source = memorySource();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    source.tools.set('memory', [
      tool('read', {}, async () => {
        await gate;
        return { content: [{ type: 'text', text: 'read before the write' }] };
      }),
      tool('write', { readOnlyHint: false }, () => ({ content: [{ type: 'text', text: 'ok' }] })),
    ]);
    const rules = config({ tools: [{ kind: 'memory-bank', tool: 'read', cacheable: true, caseInsensitiveArgs: [] }] });
    const { gateway } = make(source, { config: rules });
    const reading = gateway.callTool('memory__read', {});
    await new Promise((resolve) => setImmediate(resolve));
    now += 1;
    await gateway.callTool('memory__write', { value: 'v2' });
    now += 1;
    release();
    assert.equal(text(await reading), 'read before the write');
    await gateway.flush();
    assert.equal(meta(await gateway.callTool('memory__read', {}))?.cached, false);
    assert.equal(source.callsTo('read'), 2);
  });

  it('throws UnknownToolError for a name that is not exposed', async () => {
    const { gateway } = make(context7Source());
    await assert.rejects(gateway.callTool('context7__nope', {}), UnknownToolError);
  });
});
