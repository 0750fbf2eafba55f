import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { definitionHash, fullDefinitionHash, ToolListCache } from '../../../src/core/mcp/tool-list-cache';
import type { ServerDefinition, Tool } from '../../../src/core/mcp/types';
import { cleanTempDirsAfter } from '../../helpers/temp';

const tools: Tool[] = [{ name: 'list_projects', inputSchema: { type: 'object' } }];

function definition(overrides: Partial<ServerDefinition> = {}): ServerDefinition {
  return {
    name: 'memory-bank',
    kind: 'memory-bank',
    enabled: true,
    transport: { transport: 'stdio', command: 'node', args: ['bank.js'], env: { MEMORY_BANK_ROOT: '/a', B: '2' } },
    timeouts: { initializeMs: 10_000, listMs: 5_000, callMs: 5_000 },
    costPerCallUsd: 0,
    origin: 'defaults',
    ...overrides,
  };
}

describe('ToolListCache', () => {
  const tempDir = cleanTempDirsAfter();

  it('hashes definitions independently of key order, and only by what starts the server', () => {
    const reordered = definition({
      transport: { transport: 'stdio', command: 'node', args: ['bank.js'], env: { B: '2', MEMORY_BANK_ROOT: '/a' } },
    });
    assert.equal(definitionHash(reordered), definitionHash(definition()));
    assert.equal(
      definitionHash(definition({ timeouts: { initializeMs: 1, listMs: 1, callMs: 1 } })),
      definitionHash(definition()),
    );
    assert.notEqual(
      fullDefinitionHash(definition({ timeouts: { initializeMs: 1, listMs: 1, callMs: 1 } })),
      fullDefinitionHash(definition()),
    );
    assert.notEqual(
      definitionHash(
        definition({
          transport: { transport: 'stdio', command: 'node', args: ['bank.js'], env: { MEMORY_BANK_ROOT: '/b' } },
        }),
      ),
      definitionHash(definition()),
    );
  });

  it('returns a stored list for the same definition and server version, across instances', async () => {
    const dir = tempDir();
    await new ToolListCache(dir).set(definition(), 'bank@1.0.0', tools);
    const reopened = new ToolListCache(dir);
    assert.deepEqual(await reopened.get(definition(), 'bank@1.0.0'), tools);
    assert.deepEqual(await reopened.lastKnownNames(definition()), ['list_projects']);
    const file = JSON.parse(readFileSync(path.join(dir, 'mcp-tool-lists.json'), 'utf8')) as {
      servers: Record<string, unknown>;
    };
    assert.ok(file.servers['memory-bank']);
  });

  it('misses when the server reports another version or the definition changed', async () => {
    const cache = new ToolListCache(tempDir());
    await cache.set(definition(), 'bank@1.0.0', tools);
    assert.equal(await cache.get(definition(), 'bank@1.1.0'), undefined);
    const moved = definition({ transport: { transport: 'stdio', command: 'node', args: ['other.js'], env: {} } });
    assert.equal(await cache.get(moved, 'bank@1.0.0'), undefined);
    assert.deepEqual(await cache.lastKnownNames(moved), []);
  });

  it('forgets a server on invalidate, on disk too', async () => {
    const dir = tempDir();
    const cache = new ToolListCache(dir);
    await cache.set(definition(), 'bank@1.0.0', tools);
    await cache.invalidate('memory-bank');
    assert.equal(await cache.get(definition(), 'bank@1.0.0'), undefined);
    assert.equal(await new ToolListCache(dir).get(definition(), 'bank@1.0.0'), undefined);
  });
});
