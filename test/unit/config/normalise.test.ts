import { strict as assert } from 'node:assert';
import { mcpConfigSchema } from '../../../src/core/config/mcp-config-schema';
import { normaliseMcpConfig, normaliseServers, type NormaliseContext } from '../../../src/core/config/normalise';
import { mcpProfilesSchema, normaliseProfiles } from '../../../src/core/config/profiles-schema';
import type { ConfigPath } from '../../../src/core/config/locate';

/** Locations that encode the path, so a test can see which path was located. */
const where = (layers: Record<string, 'user' | 'workspace'> = {}): NormaliseContext => ({
  locate: (path: ConfigPath) => ({ file: 'mcp-config.yaml', line: path.length, column: String(path.at(-1)).length }),
  layerOf: (path: ConfigPath) => layers[path.join('.')],
});

describe('mcp-config.yaml defaults', () => {
  it('an empty file means the documented defaults', () => {
    const config = normaliseMcpConfig(mcpConfigSchema.parse({}), where());
    assert.deepEqual(config, {
      enabled: true,
      gateway: { enabled: true, separator: '__', defaultTtlSeconds: 3600, invalidateOnWrite: true, tools: [] },
      sharedCache: {
        prefix: 'mcpi:',
        partition: '${env:USER}',
        opTimeoutMs: 50,
        connectTimeoutMs: 2000,
        maxEntryBytes: 2 * 1024 * 1024,
        lease: { ttlMs: 5000, waitMs: 10_000, maxHoldMs: 120_000 },
        privateServers: [],
        teamMemory: false,
      },
      rolloutPercent: 100,
      knowledgeHierarchy: {
        enabled: true,
        mode: 'sequential',
        layers: [],
        authority: {},
        writeBack: { enabled: true, layers: ['memory'] },
      },
      cache: {
        memoryMaxEntries: 5_000,
        memoryMaxBytes: 64 * 1024 * 1024,
        diskMaxEntries: 50_000,
        diskMaxBytes: 256 * 1024 * 1024,
        ttlByType: { default: 86_400 },
      },
      context7: { libraryCache: { enabled: true, fallback: { useResolveApi: true }, preloadTopics: [] } },
      smartTriggers: { enabled: true, patterns: [] },
      monitoring: {
        alerts: {
          errorRate: { warning: 0.05, error: 0.2 },
          latencyOverTargetFactor: 2,
          cacheHitRateMin: 0.5,
          costBudgetUsdDaily: 5,
          serverDown: { enabled: true, afterSeconds: 30 },
        },
        history: { bucketSeconds: 60, buckets: 120 },
      },
      preload: { strategy: 'balanced', concurrency: 2, callsPerMinute: 60, costBudgetUsd: 1 },
      learning: { halfLifeDays: 14 },
    });
  });

  it('a server entry’s defaults: enabled, no args, env or headers, and the three timeouts', () => {
    const file = mcpConfigSchema.parse({ servers: { s: { command: 'x' } } });
    assert.deepEqual(file.servers.s, {
      enabled: true,
      command: 'x',
      args: [],
      env: {},
      headers: {},
      timeouts: { initialize_ms: 60_000, list_ms: 10_000, call_ms: 30_000 },
      cost_per_call_usd: 0,
    });
  });

  it('rejects values outside their ranges', () => {
    for (const bad of [
      { rollout_percent: 101 },
      { rollout_percent: -1 },
      { preload: { concurrency: 33 } },
      { monitoring: { history: { buckets: 10_001 } } },
      { monitoring: { alerts: { latency_over_target: { factor: 0.5 } } } },
      { monitoring: { alerts: { error_rate: { warning: 1.5 } } } },
      { cache: { ttl_by_type: { 'Not-Snake': 5 } } },
      { servers: { 'bad name!': { command: 'x' } } },
      { servers: { s: { command: '' } } },
      { servers: { s: { command: 'x', timeouts: { call_ms: 0 } } } },
      { smart_triggers: { patterns: [{ mcp: 'context7', type: 'library_api', confidence: 0.5 }] } },
      { smart_triggers: { patterns: [{ pattern: '(', mcp: 'context7', type: 'library_api', confidence: 0.5 }] } },
    ]) {
      assert.equal(mcpConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('a trigger may stand on one condition alone', () => {
    for (const condition of [
      { pattern: 'numpy' },
      { languages: ['python'] },
      { diagnostic_sources: ['pylance'] },
      { diagnostic_codes: ['E1'] },
      { cursor: 'import' },
    ]) {
      const parsed = mcpConfigSchema.safeParse({
        smart_triggers: { patterns: [{ mcp: 'context7', type: 'library_api', confidence: 0.5, ...condition }] },
      });
      assert.equal(parsed.success, true, JSON.stringify(condition));
    }
  });
});

describe('normaliseMcpConfig', () => {
  it('orders layers by priority and gives each a timeout of four times its latency target unless set', () => {
    const file = mcpConfigSchema.parse({
      knowledge_hierarchy: {
        layers: [
          { name: 'docs', servers: ['context7'], priority: 3, latency_target_ms: 500 },
          { name: 'memory', servers: ['memory-bank'], priority: 1, latency_target_ms: 50, timeout_ms: 70 },
        ],
      },
    });
    assert.deepEqual(normaliseMcpConfig(file, where()).knowledgeHierarchy.layers, [
      { name: 'memory', servers: ['memory-bank'], priority: 1, latencyTargetMs: 50, timeoutMs: 70 },
      { name: 'docs', servers: ['context7'], priority: 3, latencyTargetMs: 500, timeoutMs: 2000 },
    ]);
  });

  it('keeps a default TTL under the types a file lists, and lets the file change it', () => {
    const listed = normaliseMcpConfig(mcpConfigSchema.parse({ cache: { ttl_by_type: { library_api: 10 } } }), where());
    assert.deepEqual(listed.cache.ttlByType, { default: 86_400, library_api: 10 });
    const changed = normaliseMcpConfig(mcpConfigSchema.parse({ cache: { ttl_by_type: { default: 60 } } }), where());
    assert.deepEqual(changed.cache.ttlByType, { default: 60 });
  });

  it('maps every trigger field and where the trigger is written', () => {
    const file = mcpConfigSchema.parse({
      smart_triggers: {
        patterns: [
          { pattern: 'x', mcp: 'a', type: 't', confidence: 0.1 },
          {
            mcp: 'context7',
            type: 'error_solution',
            confidence: 0.9,
            languages: ['python'],
            diagnostic_sources: ['pylance'],
            diagnostic_codes: ['E1'],
            cursor: 'error-handling',
          },
        ],
      },
    });
    const patterns = normaliseMcpConfig(file, where()).smartTriggers.patterns;
    assert.deepEqual(patterns[1], {
      pattern: undefined,
      server: 'context7',
      contextType: 'error_solution',
      confidence: 0.9,
      languages: ['python'],
      diagnosticSources: ['pylance'],
      diagnosticCodes: ['E1'],
      cursor: 'error-handling',
      location: { file: 'mcp-config.yaml', line: 3, column: 1 },
    });
    assert.equal(patterns[0]?.pattern, 'x');
  });
});

describe('normaliseServers', () => {
  const servers = (entries: Record<string, unknown>, layers?: Record<string, 'user' | 'workspace'>) =>
    normaliseServers(mcpConfigSchema.parse({ servers: entries }), where(layers));

  it('infers http from a url without a command, and stdio otherwise', () => {
    const { servers: list } = servers({
      web: { url: 'https://example.test/mcp', headers: { A: 'b' } },
      both: { url: 'https://example.test/mcp', command: 'run-it' },
      forced: { transport: 'http', url: 'https://example.test/x', command: 'ignored' },
    });
    const byName = new Map(list.map((s) => [s.name, s]));
    assert.deepEqual(byName.get('web')?.transport, {
      transport: 'http',
      url: 'https://example.test/mcp',
      headers: { A: 'b' },
    });
    assert.equal(byName.get('both')?.transport.transport, 'stdio');
    assert.equal(byName.get('forced')?.transport.transport, 'http');
  });

  it('passes a stdio server’s command, args, env and cwd (only when given)', () => {
    const { servers: list } = servers({
      a: { command: 'run', args: ['--x'], env: { K: 'v' }, cwd: '/srv' },
      b: { command: 'run' },
    });
    assert.deepEqual(list[0]?.transport, {
      transport: 'stdio',
      command: 'run',
      args: ['--x'],
      env: { K: 'v' },
      cwd: '/srv',
    });
    assert.equal('cwd' in (list[1]?.transport ?? {}), false);
  });

  it('takes an explicit kind over the inferred one, and records the layer that declared the server', () => {
    const { servers: list } = servers(
      {
        docs: { kind: 'generic', command: 'npx', args: ['@upstash/context7-mcp'] },
        mine: { command: 'npx', args: ['@upstash/context7-mcp'] },
      },
      { 'servers.docs': 'workspace' },
    );
    assert.deepEqual(
      list.map((s) => [s.name, s.kind, s.origin]),
      [
        ['docs', 'generic', 'workspace'],
        ['mine', 'context7', 'defaults'],
      ],
    );
  });

  it('reports a server missing what its transport needs, at the server, and keeps the others', () => {
    const { servers: list, errors } = servers({
      web: { transport: 'http' },
      local: { args: ['x'] },
      ok: { command: 'x' },
    });
    assert.deepEqual(
      list.map((s) => s.name),
      ['ok'],
    );
    assert.deepEqual(
      errors.map((e) => [e.keyPath, e.detail, e.line, e.column]),
      [
        ['servers.web', 'an http server needs a "url"', 2, 3],
        ['servers.local', 'a stdio server needs a "command"', 2, 5],
      ],
    );
  });

  it('maps a tool mapping with only a fetch, without a result path, or only a store', () => {
    const { servers: list } = servers({
      fetchOnly: { command: 'x', tool_mapping: { fetch: { tool: 'search' } } },
      storeOnly: { command: 'x', tool_mapping: { store: { tool: 'save', arguments: { k: '{key}' } } } },
    });
    assert.deepEqual(list[0]?.toolMapping, { fetch: { tool: 'search', arguments: {} } });
    assert.deepEqual(list[1]?.toolMapping, { store: { tool: 'save', arguments: { k: '{key}' } } });
    assert.equal('toolMapping' in (servers({ plain: { command: 'x' } }).servers[0] ?? {}), false);
  });
});

describe('normaliseProfiles', () => {
  const locate = (path: ConfigPath) => ({ file: 'mcp-profiles.yaml', line: path.length, column: 1 });

  it('an empty file has no profiles, no commands and the "lookup" default without an error', () => {
    const { config, errors } = normaliseProfiles(mcpProfilesSchema.parse({}), locate);
    assert.deepEqual(config, { profiles: [], commands: {}, defaultProfile: 'lookup' });
    assert.deepEqual(errors, []);
  });

  it('keeps a known default profile and reports the fallback for an unknown one', () => {
    const known = normaliseProfiles(
      mcpProfilesSchema.parse({ default_profile: 'b', profiles: { a: {}, b: { servers: ['s'] } } }),
      locate,
    );
    assert.equal(known.config.defaultProfile, 'b');
    assert.deepEqual(known.errors, []);
    const unknown = normaliseProfiles(mcpProfilesSchema.parse({ default_profile: 'zz', profiles: { a: {} } }), locate);
    assert.equal(unknown.config.defaultProfile, 'a');
    assert.deepEqual(
      unknown.errors.map((e) => [e.keyPath, e.detail, e.line]),
      [['default_profile', 'unknown profile "zz"; using "a"', 1]],
    );
  });

  it('rejects profile names outside letters, digits, _ . -', () => {
    assert.equal(mcpProfilesSchema.safeParse({ profiles: { 'a b': {} } }).success, false);
    assert.equal(mcpProfilesSchema.safeParse({ default_profile: 'x/y' }).success, false);
    assert.equal(mcpProfilesSchema.safeParse({ commands: { '': 'a' } }).success, false);
  });
});
