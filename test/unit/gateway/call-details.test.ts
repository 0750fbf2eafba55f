import { strict as assert } from 'node:assert';
import { CACHE_META_KEY, hitMeta, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import { Gateway, LOCAL_SERVER } from '../../../src/core/gateway/gateway';
import type { ToolCallResult } from '../../../src/core/gateway/protocol';
import type { GatewayCallEvent, LocalTool } from '../../../src/core/gateway/types';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource, PLAIN_CONFIG, READ_ONLY, tool, warningsLogger } from './fake-source';

const config = PLAIN_CONFIG;

function text(result: ToolCallResult): string {
  return String(result.content[0]?.['text']);
}

function meta(result: ToolCallResult): CacheMeta | undefined {
  return result._meta?.[CACHE_META_KEY] as CacheMeta | undefined;
}

function docsSource(): FakeSource {
  const source = new FakeSource([{ name: 'docs', kind: 'generic', costPerCallUsd: 0.01 }]);
  source.tools.set('docs', [
    tool('read', READ_ONLY, (args) => ({ content: [{ type: 'text', text: `read ${String(args['page'])}` }] })),
    tool('write', { readOnlyHint: false }),
  ]);
  return source;
}

describe('Gateway: what each call reports and answers', () => {
  it('names an unnamed client "unknown", and charges only calls that went upstream', async () => {
    const events: GatewayCallEvent[] = [];
    const gateway = new Gateway({
      source: docsSource(),
      cache: new ResultCache(),
      config,
      observer: { onCall: (e) => void events.push(e) },
    });
    await gateway.callTool('docs__read', { page: 1 });
    await gateway.callTool('docs__read', { page: 1 });
    await gateway.callTool('docs__write', {});
    await gateway.flush();
    assert.deepEqual(
      events.map((e) => [e.client, e.tool, e.ok, e.cacheable, e.cached, e.shared, e.upstream, e.costUsd]),
      [
        ['unknown', 'read', true, true, false, false, true, 0.01],
        ['unknown', 'read', true, true, true, false, false, 0],
        ['unknown', 'write', true, false, false, false, true, 0.01],
      ],
    );
    assert.ok(events.every((e) => e.error === undefined && e.latencyMs >= 0));
  });

  it('a caller that leaves a shared call gets an error result saying so', async () => {
    const source = docsSource();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    source.tools.set('docs', [
      tool('read', READ_ONLY, async () => (await gate, { content: [{ type: 'text', text: 'late' }] })),
    ]);
    const events: GatewayCallEvent[] = [];
    const gateway = new Gateway({
      source,
      cache: new ResultCache(),
      config,
      observer: { onCall: (e) => void events.push(e) },
    });
    const leaving = new AbortController();
    const staying = gateway.callTool('docs__read', {});
    // The impatient caller comes once the first call's flight is under way, and joins it.
    await new Promise((resolve) => setImmediate(resolve));
    const left = gateway.callTool('docs__read', {}, { signal: leaving.signal, client: 'impatient' });
    await new Promise((resolve) => setImmediate(resolve));
    leaving.abort();
    const result = await left;
    assert.equal(result.isError, true);
    assert.equal(text(result), 'docs__read: cancelled by the caller');
    await gateway.flush();
    const event = events.find((e) => e.client === 'impatient');
    assert.deepEqual(
      [event?.ok, event?.shared, event?.upstream, event?.error],
      [false, true, false, 'docs__read: cancelled by the caller'],
    );
    release();
    assert.equal(text(await staying), 'late');
    assert.equal(meta(await staying)?.cached, false);
  });

  it('a cache hit says its age in whole seconds, when it was stored and at which level', () => {
    const hit = {
      value: { content: 'x', source: 's', contextType: 'c', storedAt: 10_000 },
      expiresAt: 99_000,
      level: 'disk' as const,
    };
    assert.deepEqual(hitMeta(hit, 12_600), {
      cached: true,
      ageSeconds: 3,
      storedAt: new Date(10_000).toISOString(),
      level: 'disk',
    });
    assert.equal(hitMeta(hit, 9_000).ageSeconds, 0, 'never negative when clocks disagree');
  });

  it('a local tool that throws answers with an error result naming it, reported as failed', async () => {
    const events: GatewayCallEvent[] = [];
    const failing: LocalTool = {
      definition: { name: 'broken', inputSchema: { type: 'object' } },
      call: () => Promise.reject(new Error('x'.repeat(600))),
    };
    const fine: LocalTool = {
      definition: { name: 'fine', inputSchema: { type: 'object' } },
      call: () => Promise.resolve({ content: [{ type: 'text', text: 'ok' }] }),
    };
    const gateway = new Gateway({
      source: docsSource(),
      cache: new ResultCache(),
      config,
      localTools: () => [failing, fine],
      observer: { onCall: (e) => void events.push(e) },
    });
    const result = await gateway.callTool('broken', {}, { client: 'agent' });
    assert.equal(result.isError, true);
    assert.equal(text(result), `broken: ${'x'.repeat(600)}`);
    assert.equal(text(await gateway.callTool('fine', {})), 'ok');
    await gateway.flush();
    assert.deepEqual(
      events.map((e) => [e.client, e.server, e.tool, e.ok, e.cacheable, e.cached, e.upstream, e.costUsd]),
      [
        ['agent', LOCAL_SERVER, 'broken', false, false, false, false, 0],
        ['unknown', LOCAL_SERVER, 'fine', true, false, false, false, 0],
      ],
    );
    assert.equal(events[0]?.error?.length, 500, 'the error is cut to 500 characters');
    assert.equal(events[1]?.error, undefined);
  });

  it('a local tool never hides an upstream tool of the same name', async () => {
    const source = new FakeSource([{ name: 'x', kind: 'generic', costPerCallUsd: 0 }]);
    source.tools.set('x', [tool('y', READ_ONLY)]);
    const shadow: LocalTool = {
      definition: { name: 'x__y', inputSchema: { type: 'object' } },
      call: () => Promise.resolve({ content: [{ type: 'text', text: 'local' }] }),
    };
    const gateway = new Gateway({ source, cache: new ResultCache(), config, localTools: () => [shadow] });
    const tools = await gateway.listTools();
    assert.deepEqual(
      tools.map((t) => [t.name, t.server]),
      [['x__y', 'x']],
    );
    assert.notEqual(text(await gateway.callTool('x__y', {})), 'local');
  });

  it('two upstream tools that would share an exposed name: the first keeps it, the other is left out and logged', async () => {
    const source = new FakeSource([
      { name: 'a', kind: 'generic', costPerCallUsd: 0 },
      { name: 'a__b', kind: 'generic', costPerCallUsd: 0 },
    ]);
    source.tools.set('a', [tool('b__c', READ_ONLY)]);
    source.tools.set('a__b', [tool('c', READ_ONLY)]);
    const warnings: string[] = [];
    const gateway = new Gateway({ source, cache: new ResultCache(), config, logger: warningsLogger(warnings) });
    const tools = await gateway.listTools();
    assert.deepEqual(
      tools.map((t) => [t.name, t.server, t.upstreamName]),
      [['a__b__c', 'a', 'b__c']],
    );
    assert.deepEqual(warnings, ['Gateway: a__b/c would be exposed as "a__b__c", which is taken']);
  });

  it('an observer or list listener that throws is logged and changes nothing', async () => {
    const warnings: string[] = [];
    const source = docsSource();
    const gateway = new Gateway({
      source,
      cache: new ResultCache(),
      config,
      logger: warningsLogger(warnings),
      observer: {
        onCall: () => {
          throw new Error('observer bug');
        },
      },
    });
    let later = 0;
    gateway.onListChanged(() => {
      throw new Error('listener bug');
    });
    gateway.onListChanged(() => later++);
    assert.equal(text(await gateway.callTool('docs__read', { page: 2 })), 'read 2');
    await gateway.flush();
    gateway.refresh();
    assert.equal(later, 1, 'the next listener still hears');
    assert.deepEqual(warnings, ['A gateway observer threw', 'A gateway list-changed listener threw']);
  });

  it('after dispose, it hears nothing from its servers and tells no one', async () => {
    const source = docsSource();
    const gateway = new Gateway({ source, cache: new ResultCache(), config });
    let changes = 0;
    const subscription = gateway.onListChanged(() => changes++);
    await gateway.listTools();
    source.changeTools('docs', [tool('read', READ_ONLY)]);
    assert.equal(changes, 1);
    subscription.dispose();
    gateway.refresh();
    assert.equal(changes, 1, 'a disposed listener');
    gateway.onListChanged(() => changes++);
    gateway.dispose();
    source.changeTools('docs', [tool('read', READ_ONLY)]);
    gateway.refresh();
    assert.equal(changes, 1);
  });

  it('a tool list change makes the gateway list that server again', async () => {
    const source = docsSource();
    const gateway = new Gateway({ source, cache: new ResultCache(), config });
    await gateway.listTools();
    source.changeTools('docs', [tool('other', READ_ONLY)]);
    assert.deepEqual(
      (await gateway.listTools()).map((t) => t.name),
      ['docs__other'],
    );
  });

  it('flush waits for the cache writes of calls made so far', async () => {
    const cache = new ResultCache();
    let stored = 0;
    const set = cache.set.bind(cache);
    cache.set = async (...args: Parameters<typeof set>) => {
      // A deliberately slow write: that flush waits for it is the thing under test.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const written = await set(...args);
      stored++;
      return written;
    };
    const gateway = new Gateway({ source: docsSource(), cache, config });
    await gateway.callTool('docs__read', { page: 1 });
    await gateway.callTool('docs__read', { page: 2 });
    await gateway.flush();
    assert.equal(stored, 2);
  });

  it('a write made elsewhere to an unknown tool or server invalidates nothing', async () => {
    const source = docsSource();
    let time = 1_000;
    const now = (): number => (time += 1);
    const gateway = new Gateway({ source, cache: new ResultCache({ now }), config, now });
    await gateway.callTool('docs__read', { page: 1 });
    await source.callTool('docs', 'write', {}).catch(() => undefined);
    assert.equal(meta(await gateway.callTool('docs__read', { page: 1 }))?.cached, false, 'a known write does');
    await source.callTool('docs', 'unlisted', {}).catch(() => undefined);
    assert.equal(meta(await gateway.callTool('docs__read', { page: 1 }))?.cached, true);
  });
});
