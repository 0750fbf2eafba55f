import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadYamlFile, loadYamlText, MAX_CONFIG_BYTES } from '../../../src/core/config/yaml-loader';
import { MCP_CONFIG_RECOVERABLE, mcpConfigSchema } from '../../../src/core/config/mcp-config-schema';
import { ConfigError } from '../../../src/core/errors';

const load = (text: string) =>
  loadYamlText('mcp-config.yaml', text, mcpConfigSchema, { recoverable: MCP_CONFIG_RECOVERABLE });
const where = (e: ConfigError) => `${e.line}:${e.column} ${e.keyPath}`;

const trigger = (pattern: string, confidence = 0.9) => `    - pattern: "${pattern}"
      mcp: context7
      type: library_api
      confidence: ${confidence}
`;

describe('config/yaml-loader', () => {
  it('accepts an empty file as "override nothing" and fills every default', () => {
    const { value, errors } = load('');
    assert.deepEqual(errors, []);
    assert.equal(value?.enabled, true);
    assert.equal(value.knowledge_hierarchy.mode, 'sequential');
    assert.equal(value.preload.concurrency, 2);
  });

  it('reports a YAML syntax error with line and column and no key path', () => {
    const { value, errors } = load('enabled: true\nservers: [1, 2\n');
    assert.equal(value, undefined);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof ConfigError);
    assert.equal(errors[0].file, 'mcp-config.yaml');
    assert.equal(errors[0].keyPath, '');
    assert.ok(errors[0].line >= 2, `line ${errors[0].line}`);
  });

  it('reports a wrong type at the value with its dotted key path', () => {
    const { value, errors } = load('cache:\n  memory_max_entries: lots\n');
    assert.equal(value, undefined);
    assert.deepEqual(errors.map(where), ['2:23 cache.memory_max_entries']);
    assert.match(errors[0]?.detail ?? '', /expected number/);
    assert.equal(errors[0]?.message, 'mcp-config.yaml:2:23: cache.memory_max_entries: ' + errors[0]?.detail);
  });

  it('reports each unknown key at the key itself', () => {
    const { errors } = load('preload:\n  strategy: off\n  turbo: true\nbogus: 1\n');
    assert.deepEqual(errors.map(where).sort(), ['3:3 preload.turbo', '4:1 bogus']);
    assert.ok(errors.every((e) => /unknown key/.test(e.detail)));
  });

  it('reports an invalid enum value listing the allowed ones', () => {
    const { errors } = load('knowledge_hierarchy:\n  mode: fastest\n');
    assert.deepEqual(errors.map(where), ['2:9 knowledge_hierarchy.mode']);
    assert.match(errors[0]?.detail ?? '', /"sequential", "hedged"/);
  });

  it('reports a missing required key at the object that lacks it, with array indices in the path', () => {
    const { value, errors } = load('knowledge_hierarchy:\n  layers:\n    - name: memory\n      priority: 1\n');
    assert.equal(value, undefined);
    assert.deepEqual(errors.map(where), ['3:7 knowledge_hierarchy.layers[0].latency_target_ms']);
    assert.match(errors[0]?.detail ?? '', /missing/);
  });

  it('reports duplicate keys with the path of the duplicate', () => {
    const { value, errors } = load('servers:\n  a:\n    command: x\n    command: y\n');
    assert.equal(value, undefined);
    assert.deepEqual(errors.map(where), ['4:5 servers.a.command']);
    assert.equal(errors[0]?.detail, 'duplicate key');
  });

  it('drops only the trigger with an invalid regex and keeps the rest of the file', () => {
    const text = `enabled: false\nsmart_triggers:\n  patterns:\n${trigger('([a-z')}${trigger('numpy')}${trigger('x(', 0.5)}`;
    const { value, errors } = load(text);
    assert.deepEqual(errors.map(where), [
      '4:16 smart_triggers.patterns[0].pattern',
      '12:16 smart_triggers.patterns[2].pattern',
    ]);
    assert.match(errors[0]?.detail ?? '', /invalid regular expression/);
    assert.equal(value?.enabled, false);
    assert.deepEqual(
      value.smart_triggers.patterns.map((p) => p.pattern),
      ['numpy'],
    );
  });

  it('maps indices back to the file after dropping entries in several rounds', () => {
    // Entry 1 fails the regex check; entry 3 fails the object-level refinement only after that.
    const text = `smart_triggers:\n  patterns:\n${trigger('ok')}${trigger('(')}${trigger('fine')}    - mcp: context7\n      type: library_api\n      confidence: 0.5\n`;
    const { value, errors } = load(text);
    assert.deepEqual(errors.map(where), ['7:16 smart_triggers.patterns[1].pattern', '15:7 smart_triggers.patterns[3]']);
    assert.deepEqual(
      value?.smart_triggers.patterns.map((p) => p.pattern),
      ['ok', 'fine'],
    );
  });

  it('drops one malformed server but keeps the others', () => {
    const { value, errors } = load(
      'servers:\n  good:\n    command: npx\n  bad:\n    command: npx\n    timeouts:\n      call_ms: -5\n',
    );
    assert.deepEqual(errors.map(where), ['7:16 servers.bad.timeouts.call_ms']);
    assert.deepEqual(Object.keys(value?.servers ?? {}), ['good']);
  });

  it('treats an error outside recoverable entries as fatal', () => {
    const { value, errors } = load(`rollout_percent: 150\nsmart_triggers:\n  patterns:\n${trigger('ok')}`);
    assert.equal(value, undefined);
    assert.deepEqual(errors.map(where), ['1:18 rollout_percent']);
  });

  it('refuses files above the size cap', () => {
    const { value, errors } = load(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    assert.equal(value, undefined);
    assert.match(errors[0]?.detail ?? '', /larger than/);
  });

  it('is generic over the schema', () => {
    const schema = z.strictObject({ name: z.string(), tags: z.array(z.string()) });
    assert.deepEqual(loadYamlText('x.yaml', 'name: a\ntags: [b]\n', schema), {
      value: { name: 'a', tags: ['b'] },
      errors: [],
    });
    const bad = loadYamlText('x.yaml', 'name: a\ntags: [b, 3]\n', schema);
    assert.deepEqual(bad.errors.map(where), ['2:11 tags[1]']);
  });

  describe('loadYamlFile', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-yaml-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports a missing file as missing, without errors', async () => {
      assert.deepEqual(await loadYamlFile(path.join(dir, 'nope.yaml'), mcpConfigSchema), {
        value: undefined,
        errors: [],
        missing: true,
      });
    });

    it('loads an existing file and names it in errors', async () => {
      const file = path.join(dir, 'mcp-config.yaml');
      await writeFile(file, 'learning:\n  half_life_days: 0\n');
      const result = await loadYamlFile(file, mcpConfigSchema);
      assert.equal(result.missing, false);
      assert.equal(result.errors[0]?.file, file);
      assert.deepEqual(result.errors.map(where), ['2:19 learning.half_life_days']);
    });
  });
});
