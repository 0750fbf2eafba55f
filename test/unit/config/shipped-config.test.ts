import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildJsonSchemas } from '../../../src/core/config/json-schemas';
import { loadMcpConfig, loadProfilesConfig } from '../../../src/core/config/load-config';
import { ttlFor } from '../../../src/core/config/types';

const defaultsDir = path.resolve('config');
const DAY = 86_400;

describe('config/shipped defaults', () => {
  it("loads mcp-config.yaml without errors, with the guide's TTLs and layers", async () => {
    const { config, servers, errors } = await loadMcpConfig({
      locations: { defaultsDir },
      secrets: { get: async () => undefined },
      env: {},
    });
    assert.deepEqual(errors.map(String), []);
    assert.deepEqual(
      config.knowledgeHierarchy.layers.map((l) => [l.name, l.priority, l.latencyTargetMs]),
      [
        ['team', 1, 300],
        ['memory', 2, 100],
        ['code-symbols', 3, 200],
        ['docs', 4, 500],
        ['github', 5, 1500],
      ],
    );
    assert.equal(ttlFor(config.cache, 'library_api'), 7 * DAY);
    assert.equal(ttlFor(config.cache, 'error_solution'), 90 * DAY);
    assert.equal(ttlFor(config.cache, 'test_stability'), 60 * DAY);
    assert.equal(ttlFor(config.cache, 'quality_baseline'), 30 * DAY);
    assert.equal(ttlFor(config.cache, 'code_symbol'), 3600);
    assert.equal(ttlFor(config.cache, 'something_new'), DAY);
    assert.deepEqual(config.knowledgeHierarchy.authority['library_api'], ['team', 'memory', 'docs']);
    assert.ok(config.smartTriggers.patterns.length >= 10);
    const byName = new Map(servers.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), [
      'context7',
      'github',
      'memory-bank',
      'serena',
      'server-memory',
      'team-gateway',
    ]);
    assert.equal(byName.get('team-gateway')?.enabled, false, 'a team gateway needs an address and a token');
    assert.equal(byName.get('github')?.enabled, false, 'github needs a token, so it ships disabled');
    // GitHub's own server (github/github-mcp-server) at its remote endpoint, the token in a header.
    assert.deepEqual(byName.get('github')?.transport, {
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer ${secret:GITHUB_TOKEN}', 'X-MCP-Readonly': 'true' },
    });
    assert.equal(byName.get('context7')?.enabled, true);
    const mb = byName.get('memory-bank')?.transport;
    assert.ok(mb?.transport === 'stdio' && !mb.env['MEMORY_BANK_ROOT']?.includes('${'), 'memory-bank root resolved');
  });

  it('names only servers that exist in every layer and authority rule', async () => {
    const { config, servers } = await loadMcpConfig({
      locations: { defaultsDir },
      secrets: { get: async () => undefined },
      env: {},
    });
    const names = new Set(servers.map((s) => s.name));
    for (const layer of config.knowledgeHierarchy.layers)
      for (const s of layer.servers) assert.ok(names.has(s), `layer ${layer.name} names unknown server ${s}`);
    for (const rule of config.smartTriggers.patterns)
      assert.ok(names.has(rule.server), `trigger names unknown server ${rule.server}`);
  });

  it("loads mcp-profiles.yaml without errors, with the guide's code-analysis profile", async () => {
    const { config, errors } = await loadProfilesConfig({ defaultsDir });
    assert.deepEqual(errors.map(String), []);
    assert.deepEqual(
      config.profiles.map((p) => p.name),
      ['code-analysis', 'lookup', 'fix', 'docs', 'review', 'preload'],
    );
    assert.equal(config.profiles.find((p) => p.name === 'code-analysis')?.parallelInit, true);
    assert.equal(config.defaultProfile, 'lookup');
  });

  it('has committed JSON Schemas that match the zod schemas (run `npm run schemas` when this fails)', async () => {
    for (const schema of await buildJsonSchemas()) {
      const committed = await readFile(path.resolve('schemas', schema.fileName), 'utf8').catch(() => '(missing)');
      assert.equal(committed, schema.text, `schemas/${schema.fileName} is out of date`);
    }
  });
});
