import { strict as assert } from 'node:assert';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import { McpError } from '../../../src/core/errors';
import { FakeAdapter, layer } from './fake-adapter';

describe('KnowledgeHierarchy: walking the layers', () => {
  it('asks layers in priority order and stops at the first answer', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'numpy docs' });
    const github = new FakeAdapter({ serverName: 'github', answer: 'an issue' });
    const hierarchy = new KnowledgeHierarchy({
      // Deliberately out of order: priority decides, not position.
      layers: [layer('github', 4, [github]), layer('docs', 3, [docs]), layer('memory', 1, [memory])],
    });
    const result = await hierarchy.fetch('numpy array', { contextType: 'library_api' });
    assert.equal(result.success, true);
    assert.equal(result.content, 'numpy docs');
    assert.equal(result.source, 'docs');
    assert.equal(result.cached, false);
    assert.deepEqual(
      result.trail.map((entry) => [entry.layer, entry.outcome]),
      [
        ['local-cache', 'miss'],
        ['memory', 'miss'],
        ['docs', 'hit'],
      ],
    );
    assert.equal(github.calls.length, 0);
    await hierarchy.shutdown();
  });

  it('asks only the layers the authority rules allow for the context type', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: 'from memory' });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'from docs' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])],
      authority: { library_api: ['docs'], error_solution: [] },
    });
    const api = await hierarchy.fetch('pandas merge', { contextType: 'library_api' });
    assert.equal(api.source, 'docs');
    assert.equal(memory.calls.length, 0);
    const general = await hierarchy.fetch('anything', { contextType: 'general' });
    assert.equal(general.source, 'memory', 'a type without a rule may use every layer');
    const forbidden = await hierarchy.fetch('TypeError x', { contextType: 'error_solution' });
    assert.equal(forbidden.success, false);
    assert.match(forbidden.error ?? '', /no layer may answer/);
    await hierarchy.shutdown();
  });

  it('lets routeOrder reorder the allowed layers but never add a forbidden one', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: 'from memory' });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'from docs' });
    const github = new FakeAdapter({ serverName: 'github', answer: 'from github' });
    const seen: string[][] = [];
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs]), layer('github', 4, [github])],
      authority: { library_api: ['memory', 'docs'] },
      routeOrder: (_type, names) => {
        seen.push(names);
        return ['github', 'docs'];
      },
    });
    const result = await hierarchy.fetch('q', { contextType: 'library_api' });
    assert.deepEqual(seen, [['memory', 'docs']]);
    assert.equal(result.source, 'docs');
    assert.equal(github.calls.length, 0);
    assert.equal(memory.calls.length, 0, 'docs came first, so memory was never needed');
    await hierarchy.shutdown();
  });

  it('a throwing layer costs only that layer', async () => {
    const broken = new FakeAdapter({
      serverName: 'memory-bank',
      error: new McpError('protocol-error', 'memory-bank', 'boom'),
    });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs answer' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [broken]), layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch('q');
    assert.equal(result.content, 'docs answer');
    const memoryEntry = result.trail.find((entry) => entry.layer === 'memory');
    assert.equal(memoryEntry?.outcome, 'error');
    assert.match(memoryEntry.detail ?? '', /protocol-error: boom/);
    await hierarchy.shutdown();
  });

  it('a synchronously throwing adapter is an error, not a crash', async () => {
    const weird = new FakeAdapter({ serverName: 'weird' });
    weird.fetch = () => {
      throw new Error('sync throw');
    };
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'fine' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [weird]), layer('docs', 2, [docs])] });
    const result = await hierarchy.fetch('q');
    assert.equal(result.content, 'fine');
    assert.equal(result.trail[1]?.outcome, 'error');
    await hierarchy.shutdown();
  });

  it('a hung layer times out after its own timeout and the next layer answers', async () => {
    const hung = new FakeAdapter({ serverName: 'serena', hang: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs answer' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('code-symbols', 2, [hung], { timeoutMs: 40 }), layer('docs', 3, [docs])],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.content, 'docs answer');
    assert.equal(result.trail.find((entry) => entry.layer === 'code-symbols')?.outcome, 'timeout');
    assert.equal(hierarchy.getStats().perLayer['code-symbols']?.timeouts, 1);
    await hierarchy.shutdown();
  });

  it('an adapter reporting an McpError timeout counts as a timeout', async () => {
    const slow = new FakeAdapter({
      serverName: 'context7',
      error: new McpError('timeout', 'context7', 'request timed out'),
    });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [slow])] });
    const result = await hierarchy.fetch('q');
    assert.equal(result.trail[1]?.outcome, 'timeout');
    await hierarchy.shutdown();
  });

  it('tries the adapters of one layer in order until one answers', async () => {
    const first = new FakeAdapter({ serverName: 'memory-bank', answer: null });
    const second = new FakeAdapter({ serverName: 'server-memory', answer: 'from the graph' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [first, second])] });
    const result = await hierarchy.fetch('q');
    assert.equal(result.content, 'from the graph');
    assert.deepEqual(
      result.trail.slice(1).map((entry) => [entry.server, entry.outcome]),
      [
        ['memory-bank', 'miss'],
        ['server-memory', 'hit'],
      ],
    );
    await hierarchy.shutdown();
  });

  it('treats an empty answer as a miss', async () => {
    const blank = new FakeAdapter({ serverName: 'context7', answer: '   ' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [blank])] });
    const result = await hierarchy.fetch('q');
    assert.equal(result.success, false);
    assert.equal(result.trail[1]?.outcome, 'miss');
    await hierarchy.shutdown();
  });

  it('when every layer fails, reports success false with a summary of the trail', async () => {
    const hierarchy = new KnowledgeHierarchy({
      layers: [
        layer('memory', 1, [new FakeAdapter({ serverName: 'memory-bank', answer: null })]),
        layer('docs', 3, [
          new FakeAdapter({ serverName: 'context7', error: new McpError('upstream-error', 'context7', 'HTTP 429') }),
        ]),
        layer('github', 4, []),
      ],
    });
    const result = await hierarchy.fetch('q', { contextType: 'library_api' });
    assert.equal(result.success, false);
    assert.equal(result.content, null);
    assert.equal(result.source, null);
    assert.match(result.error ?? '', /memory \(memory-bank\): miss/);
    assert.match(result.error ?? '', /docs \(context7\): error — upstream-error: HTTP 429/);
    assert.match(result.error ?? '', /github: skipped — no adapter configured/);
    await hierarchy.shutdown();
  });
});
