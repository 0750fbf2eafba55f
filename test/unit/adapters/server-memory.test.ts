import { strict as assert } from 'node:assert';
import { ServerMemoryAdapter } from '../../../src/core/adapters/server-memory';
import type { GraphEntity } from '../../../src/core/adapters/server-memory';
import type { CallToolResult } from '../../../src/core/mcp/types';
import { FakeToolCaller } from './fake-caller';

/** An in-process imitation of server-memory's graph tools, with its skip-existing quirk. */
function graphFake(): { caller: FakeToolCaller; graph: Map<string, GraphEntity> } {
  const graph = new Map<string, GraphEntity>();
  const answer = (structured: Record<string, unknown>): CallToolResult => ({
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
  });
  const caller = new FakeToolCaller('server-memory', {
    create_entities: ({ entities }) => {
      const created = (entities as GraphEntity[]).filter((e) => !graph.has(e.name));
      for (const entity of created) graph.set(entity.name, entity);
      return answer({ entities: created });
    },
    delete_entities: ({ entityNames }) => {
      for (const name of entityNames as string[]) graph.delete(name);
      return answer({ success: true });
    },
    open_nodes: ({ names }) =>
      answer({ entities: (names as string[]).flatMap((n) => graph.get(n) ?? []), relations: [] }),
    search_nodes: ({ query }) => {
      const q = String(query).toLowerCase();
      const hits = [...graph.values()].filter((e) =>
        [e.name, e.entityType, ...e.observations].some((s) => s.toLowerCase().includes(q)),
      );
      return answer({ entities: hits, relations: [] });
    },
  });
  return { caller, graph };
}

describe('ServerMemoryAdapter', () => {
  let clock = 5_000;
  const now = (): number => clock;

  it('stores an entity named after the key, typed by context type, with the envelope as observation', async () => {
    const { caller, graph } = graphFake();
    await new ServerMemoryAdapter({ caller, now }).store('k', 'v', { contextType: 'error_solution', ttlSeconds: 10 });
    const entity = graph.get('k');
    assert.equal(entity?.entityType, 'error_solution');
    assert.deepEqual(JSON.parse(entity.observations[0] ?? ''), {
      v: 1,
      key: 'k',
      contextType: 'error_solution',
      value: 'v',
      storedAt: 5_000,
      expiresAt: 15_000,
    });
  });

  it('overwrites with delete + create because create skips existing entities', async () => {
    const { caller } = graphFake();
    const adapter = new ServerMemoryAdapter({ caller, now });
    await adapter.store('k', 'one', { contextType: 'general', ttlSeconds: 10 });
    await adapter.store('k', 'two', { contextType: 'general', ttlSeconds: 10 });
    assert.deepEqual(caller.toolsCalled(), [
      'create_entities',
      'create_entities',
      'delete_entities',
      'create_entities',
    ]);
    assert.equal((await adapter.fetch({ text: 'k', contextType: 'general' }))?.content, 'two');
  });

  it('searches free text, preferring the asked context type, and shows user-made entities', async () => {
    const { caller, graph } = graphFake();
    const adapter = new ServerMemoryAdapter({ caller, now });
    await adapter.store('a', 'retry with backoff (general)', { contextType: 'general', ttlSeconds: 0 });
    await adapter.store('b', 'retry with backoff (fix)', { contextType: 'error_solution', ttlSeconds: 0 });
    assert.equal(
      (await adapter.fetch({ text: 'backoff', contextType: 'error_solution' }))?.content,
      'retry with backoff (fix)',
    );
    graph.set('Team conventions', { name: 'Team conventions', entityType: 'note', observations: ['use tabs'] });
    const foreign = await adapter.fetch({ text: 'tabs', contextType: 'project_memory' });
    assert.match(foreign?.content ?? '', /\*\*Team conventions\*\* \(note\)\n- use tabs/);
    assert.equal(
      await new ServerMemoryAdapter({ caller, now, searchFallback: false }).fetch({
        text: 'tabs',
        contextType: 'general',
      }),
      null,
    );
  });

  it('misses on expiry and deletes the expired entity', async () => {
    const { caller, graph } = graphFake();
    const adapter = new ServerMemoryAdapter({ caller, now });
    await adapter.store('k', 'v', { contextType: 'general', ttlSeconds: 1 });
    clock += 1_000;
    assert.equal(await adapter.fetch({ text: 'k', contextType: 'general' }), null);
    assert.equal(graph.has('k'), false);
  });
});
