import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { McpConfigLoader, ProfilesConfigLoader } from '../../../src/core/config/load-config';
import type { SecretsPort } from '../../../src/core/ports';

const noSecrets: SecretsPort = { get: async () => undefined };

describe('config/layered loading (defaults < user < workspace)', () => {
  let root: string;
  let defaultsDir: string;
  let userDir: string;
  let workspaceDir: string;
  const loader = (): McpConfigLoader =>
    new McpConfigLoader({ locations: { defaultsDir, userDir, workspaceDir }, secrets: noSecrets, env: {} });

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mcp-layers-'));
    defaultsDir = path.join(root, 'defaults');
    userDir = path.join(root, 'user');
    workspaceDir = path.join(root, 'workspace');
    await Promise.all([defaultsDir, userDir, workspaceDir].map((d) => mkdir(d)));
    await writeFile(
      path.join(defaultsDir, 'mcp-config.yaml'),
      [
        'servers:',
        '  context7:',
        '    command: npx',
        '    args: ["-y", "@upstash/context7-mcp@4"]',
        '    env: { A: "1", B: "2" }',
        'cache:',
        '  memory_max_entries: 100',
        '  ttl_by_type: { library_api: 10 }',
        'context7:',
        '  library_cache:',
        '    preload_topics: [a, b, c]',
        '',
      ].join('\n'),
    );
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('merges maps key by key and replaces arrays, upper layers winning', async () => {
    await writeFile(
      path.join(userDir, 'mcp-config.yaml'),
      'servers:\n  context7:\n    env: { B: "user" }\ncache:\n  ttl_by_type: { error_solution: 20 }\ncontext7:\n  library_cache:\n    preload_topics: [x]\n',
    );
    await writeFile(path.join(workspaceDir, 'mcp-config.yaml'), 'cache:\n  memory_max_entries: 7\n');
    const { config, servers, errors } = await loader().load();
    assert.deepEqual(errors, []);
    assert.equal(config.cache.memoryMaxEntries, 7);
    assert.deepEqual(config.cache.ttlByType, { default: 86_400, library_api: 10, error_solution: 20 });
    assert.deepEqual(config.context7.libraryCache.preloadTopics, ['x']);
    const c7 = servers.find((s) => s.name === 'context7');
    assert.deepEqual(c7?.transport, {
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@upstash/context7-mcp@4'],
      env: { A: '1', B: 'user' },
    });
    assert.equal(c7.origin, 'user');
    assert.equal(c7.kind, 'context7');
  });

  it('marks servers declared in the workspace file with origin "workspace"', async () => {
    await writeFile(
      path.join(workspaceDir, 'mcp-config.yaml'),
      'servers:\n  docs-http:\n    url: https://mcp.context7.com/mcp\n    headers: { X-Test: "1" }\n',
    );
    const { servers } = await loader().load();
    const http = servers.find((s) => s.name === 'docs-http');
    assert.equal(http?.origin, 'workspace');
    assert.equal(http.kind, 'context7');
    assert.deepEqual(http.transport, {
      transport: 'http',
      url: 'https://mcp.context7.com/mcp',
      headers: { 'X-Test': '1' },
    });
    assert.equal(servers.find((s) => s.name === 'context7')?.origin, 'defaults');
  });

  it('falls back to the layers below on the first load of an invalid user file', async () => {
    await writeFile(path.join(userDir, 'mcp-config.yaml'), 'cache:\n  memory_max_entries: many\n');
    const { config, errors, layers } = await loader().load();
    assert.equal(config.cache.memoryMaxEntries, 100);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.file, path.join(userDir, 'mcp-config.yaml'));
    assert.deepEqual([errors[0].line, errors[0].column, errors[0].keyPath], [2, 23, 'cache.memory_max_entries']);
    assert.deepEqual(
      layers.map((l) => [l.layer, l.present, l.valid]),
      [
        ['defaults', true, true],
        ['user', true, false],
        ['workspace', false, true],
      ],
    );
  });

  it('keeps the last good content of a file that becomes invalid, and forgets a deleted one', async () => {
    const workspaceFile = path.join(workspaceDir, 'mcp-config.yaml');
    const l = loader();
    await writeFile(workspaceFile, 'cache:\n  memory_max_entries: 42\n');
    assert.equal((await l.load()).config.cache.memoryMaxEntries, 42);

    await writeFile(workspaceFile, 'cache:\n  memory_max_entries: 43\n  oops: [\n');
    const broken = await l.load();
    assert.equal(broken.config.cache.memoryMaxEntries, 42);
    assert.equal(broken.errors[0]?.file, workspaceFile);

    await writeFile(workspaceFile, 'cache:\n  memory_max_entries: 44\n');
    const fixed = await l.load();
    assert.deepEqual(fixed.errors, []);
    assert.equal(fixed.config.cache.memoryMaxEntries, 44);

    await rm(workspaceFile);
    assert.equal((await l.load()).config.cache.memoryMaxEntries, 100);
  });

  it('reports a server without a command at its location and loads the others', async () => {
    await writeFile(
      path.join(userDir, 'mcp-config.yaml'),
      'servers:\n  lonely:\n    args: ["x"]\n  web:\n    transport: http\n',
    );
    const { servers, errors } = await loader().load();
    assert.deepEqual(
      servers.map((s) => s.name),
      ['context7'],
    );
    assert.deepEqual(
      errors.map((e) => `${path.basename(path.dirname(e.file))} ${e.line}:${e.column} ${e.keyPath} ${e.detail}`),
      ['user 3:5 servers.lonely a stdio server needs a "command"', 'user 5:5 servers.web an http server needs a "url"'],
    );
  });

  it('uses built-in defaults when no file exists at all', async () => {
    await rm(path.join(defaultsDir, 'mcp-config.yaml'));
    const { config, servers, errors } = await loader().load();
    assert.deepEqual(errors, []);
    assert.deepEqual(servers, []);
    assert.equal(config.enabled, true);
    assert.equal(config.cache.ttlByType['default'], 86_400);
  });

  it('normalises a generic server with its tool mapping', async () => {
    await writeFile(
      path.join(userDir, 'mcp-config.yaml'),
      [
        'servers:',
        '  notes:',
        '    command: my-notes-server',
        '    cost_per_call_usd: 0.001',
        '    timeouts: { call_ms: 1234 }',
        '    tool_mapping:',
        '      fetch: { tool: search, arguments: { q: "{query}", limit: 3 }, result_path: "items.0.text" }',
        '      store: { tool: save, arguments: { key: "{key}", body: "{value}" } }',
        '',
      ].join('\n'),
    );
    const notes = (await loader().load()).servers.find((s) => s.name === 'notes');
    assert.equal(notes?.kind, 'generic');
    assert.equal(notes.costPerCallUsd, 0.001);
    assert.deepEqual(notes.timeouts, { initializeMs: 60_000, listMs: 10_000, callMs: 1234 });
    assert.deepEqual(notes.toolMapping, {
      fetch: { tool: 'search', arguments: { q: '{query}', limit: 3 }, resultPath: 'items.0.text' },
      store: { tool: 'save', arguments: { key: '{key}', body: '{value}' } },
    });
  });

  it('loads profiles in layers and reports commands that name unknown profiles', async () => {
    await writeFile(
      path.join(defaultsDir, 'mcp-profiles.yaml'),
      'default_profile: lookup\nprofiles:\n  lookup: { servers: [a, b] }\n  fix: { servers: [a], parallel_init: false }\ncommands:\n  lookup: lookup\n',
    );
    await writeFile(
      path.join(userDir, 'mcp-profiles.yaml'),
      'profiles:\n  lookup: { servers: [c] }\ncommands:\n  find-fix: fix\n  review: nowhere\n',
    );
    const { config, errors } = await new ProfilesConfigLoader({ defaultsDir, userDir, workspaceDir }).load();
    assert.deepEqual(config.profiles, [
      {
        name: 'lookup',
        description: '',
        servers: ['c'],
        parallelInit: true,
        tools: { servers: [], allow: [], deny: [] },
      },
      {
        name: 'fix',
        description: '',
        servers: ['a'],
        parallelInit: false,
        tools: { servers: [], allow: [], deny: [] },
      },
    ]);
    assert.deepEqual(config.commands, { lookup: 'lookup', 'find-fix': 'fix' });
    assert.deepEqual(
      errors.map((e) => `${e.line}:${e.column} ${e.keyPath} ${e.detail}`),
      ['5:11 commands.review unknown profile "nowhere"'],
    );
  });

  it('replaces an unknown default profile by the first profile, with an error', async () => {
    await writeFile(
      path.join(defaultsDir, 'mcp-profiles.yaml'),
      'default_profile: ghost\nprofiles:\n  docs: { servers: [context7] }\n',
    );
    const { config, errors } = await new ProfilesConfigLoader({ defaultsDir }).load();
    assert.equal(config.defaultProfile, 'docs');
    assert.deepEqual(
      errors.map((e) => `${e.line}:${e.column} ${e.keyPath}`),
      ['1:18 default_profile'],
    );
  });
});
