import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { ensureCliBundle, runCli, type CliRun } from './cli-runner';

/** Checks Prometheus text exposition line by line; returns the sample lines. */
function assertPrometheusText(text: string): string[] {
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const samples: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) assert.match(line, new RegExp(`^# HELP ${name} .+`), line);
    else if (line.startsWith('# TYPE '))
      assert.match(line, new RegExp(`^# TYPE ${name} (counter|gauge|histogram|summary|untyped)$`), line);
    else {
      assert.match(
        line,
        new RegExp(`^${name}(\\{(${name}="(?:[^"\\\\]|\\\\.)*",?)*\\})? (-?[0-9.e+-]+|NaN|[+-]Inf)( -?\\d+)?$`),
        line,
      );
      samples.push(line);
    }
  }
  return samples;
}

describe('mcp-integration CLI (dist/cli.js) against the real servers', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let global: string[];
  let workspace: string;

  const cli = (...args: string[]): Promise<CliRun> => runCli([...global, ...args]);
  const json = <T>(run: CliRun): T => {
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as T;
  };

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
    api = await FakeContext7Api.start();
    const configDir = makeDir('cli-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    workspace = makeDir('cli-workspace-');
    global = ['--config', configDir, '--storage', makeDir('cli-storage-'), '--workspace', workspace];
  });

  after(async () => {
    await api.close();
  });

  describe('lookup and store', () => {
    it('lookup --json prints the FetchResult and exits 0; the second run is cached', async () => {
      const first = json<Record<string, unknown>>(await cli('lookup', 'how to use fastapi dependencies', '--json'));
      assert.deepEqual(Object.keys(first).sort(), [
        'cached',
        'content',
        'contextType',
        'latencyMs',
        'source',
        'success',
        'trail',
      ]);
      assert.equal(first['success'], true);
      assert.equal(first['source'], 'docs');
      assert.equal(first['cached'], false);
      assert.equal(first['contextType'], 'library_api');
      assert.match(String(first['content']), /FastAPI: how to use fastapi dependencies/);
      assert.equal(typeof first['latencyMs'], 'number');

      const second = json<Record<string, unknown>>(await cli('lookup', 'how to use fastapi dependencies', '--json'));
      assert.equal(second['cached'], true);
      assert.equal(second['source'], 'local-cache');
      assert.equal(second['content'], first['content']);
      assert.equal(api.requests.filter((r) => r.path === '/api/v2/context').length, 1);
    });

    it('the human-readable lookup names the source and the trail', async () => {
      const run = await cli('lookup', 'how to use fastapi dependencies');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^source: local-cache .*cached: yes/);
      assert.match(run.stdout, /trail:\n {2}local-cache +hit/);
    });

    it('store KEY VALUE --type T, then lookup KEY --type T finds it', async () => {
      const stored = await cli(
        'store',
        'release-checklist',
        'Tag, build, publish, announce',
        '--type',
        'project_memory',
      );
      assert.equal(stored.code, 0, stored.stderr);
      assert.match(stored.stdout, /stored release-checklist/);
      const found = json<{ success: boolean; content: string; contextType: string }>(
        await cli('lookup', 'release-checklist', '--type', 'project_memory', '--json'),
      );
      assert.equal(found.success, true);
      assert.equal(found.content, 'Tag, build, publish, announce');
      assert.equal(found.contextType, 'project_memory');
    });

    it('a lookup nobody can answer exits 1', async () => {
      const run = await cli('lookup', 'zz-unknown-key-42', '--type', 'project_memory', '--json');
      assert.equal(run.code, 1);
      assert.equal((JSON.parse(run.stdout) as { success: boolean }).success, false);
    });
  });

  describe('health and metrics', () => {
    it('servers --json lists the configured servers with their state', async () => {
      const servers = json<Array<{ name: string; kind: string; state: string; circuit: string }>>(
        await cli('servers', '--json'),
      );
      const byName = new Map(servers.map((s) => [s.name, s]));
      assert.equal(byName.get('memory-bank')?.kind, 'memory-bank');
      assert.equal(byName.get('context7')?.kind, 'context7');
      for (const server of servers) assert.equal(typeof server.state, 'string');
    });

    it('servers --start --json starts them and lists their tools', async () => {
      const servers = json<Array<{ name: string; state: string; toolNames: string[] }>>(
        await cli('servers', '--start', '--json'),
      );
      const context7 = servers.find((s) => s.name === 'context7');
      assert.equal(context7?.state, 'ready');
      assert.ok(context7.toolNames.includes('query-docs'), JSON.stringify(context7));
    });

    it('stats --json has the summary and the hierarchy', async () => {
      const stats = json<{ summary: Record<string, number>; hierarchy: { mode: string; entries: number } }>(
        await cli('stats', '--json'),
      );
      for (const key of ['totalCalls', 'cacheHits', 'cacheLookups', 'errorRate', 'p95LatencyMs'])
        assert.equal(typeof stats.summary[key], 'number', key);
      assert.equal(stats.hierarchy.mode, 'sequential');
      assert.ok(stats.hierarchy.entries >= 1, 'the persisted cache holds the earlier answers');
    });

    it('export-metrics --format prometheus prints valid exposition text', async () => {
      const run = await cli('export-metrics', '--format', 'prometheus');
      assert.equal(run.code, 0, run.stderr);
      assertPrometheusText(run.stdout);
      assert.match(run.stdout, /^# TYPE mcp_integration_calls_total counter$/m);
    });

    it('export-metrics --format json --out FILE writes JSON', async () => {
      const out = path.join(makeDir('cli-metrics-'), 'metrics.json');
      const run = await cli('export-metrics', '--format', 'json', '--out', out);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '');
      const data = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
      assert.equal(typeof data, 'object');
      assert.ok(Object.keys(data).length > 0);
    });

    it('cache clear empties the local cache: the next lookup comes from the memory layer', async () => {
      const run = await cli('cache', 'clear');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /cache cleared/);
      const after = json<{ cached: boolean; source: string }>(
        await cli('lookup', 'how to use fastapi dependencies', '--json'),
      );
      assert.equal(after.cached, false);
      assert.equal(after.source, 'memory');
    });
  });

  describe('detect and preload', () => {
    let python: string;
    let typescript: string;

    before(() => {
      mkdirSync(path.join(workspace, 'app'), { recursive: true });
      python = path.join(workspace, 'app', 'train.py');
      typescript = path.join(workspace, 'app', 'server.ts');
      writeFileSync(
        python,
        'import os\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression\n' +
          '# np.ones(2) in a comment\nmodel = LinearRegression()\nx = np.linalg.norm(np.zeros(3))\n',
      );
      writeFileSync(
        typescript,
        "import express from 'express';\nimport { readFile } from 'node:fs/promises';\nconst app = express();\napp.use(express.json());\n",
      );
    });

    it('detect FILE... --json lists modules, members used and libraries, standard library excluded', async () => {
      type Detected = {
        file: string;
        language: string;
        modules: Array<{ name: string; stdlib: boolean }>;
        members: string[];
        libraries: string[];
      };
      const results = json<Detected[]>(await cli('detect', python, typescript, '--json'));
      assert.deepEqual(
        results.map((r) => Object.keys(r).sort()),
        [
          ['file', 'language', 'libraries', 'members', 'modules'],
          ['file', 'language', 'libraries', 'members', 'modules'],
        ],
      );
      const [py, ts] = results;
      assert.equal(py?.file, python);
      assert.equal(py.language, 'python');
      assert.ok(py.modules.some((m) => m.name === 'os' && m.stdlib));
      assert.deepEqual(py.libraries.sort(), ['/numpy/numpy', '/scikit-learn/scikit-learn']);
      assert.deepEqual(py.members.sort(), [
        'numpy.linalg.norm',
        'numpy.zeros',
        'sklearn.linear_model.LinearRegression',
      ]);
      assert.deepEqual(ts?.members, ['express.json']);
      assert.equal(ts.language, 'typescript');
      assert.ok(
        ts.modules.some((m) => m.name === 'node:fs/promises' && m.stdlib),
        JSON.stringify(ts.modules),
      );
      assert.deepEqual(ts.libraries, ['/expressjs/express']);
    });

    it('preload DIR prints a summary', async () => {
      const run = await cli('preload', workspace);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^preloaded 3 of 3 libraries \(0 already cached, 0 failed\) in /);
      const docsRequests = api.requests.filter((r) => r.path === '/api/v2/context').length;
      const again = await cli('preload', workspace);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^preloaded 0 of 3 libraries \(3 already cached, 0 failed\)/);
      assert.equal(
        api.requests.filter((r) => r.path === '/api/v2/context').length,
        docsRequests,
        'the second run is served by the persisted cache',
      );
    });
  });

  describe('errors', () => {
    it('an unknown command exits 2 with a message', async () => {
      const run = await cli('frobnicate');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /unknown command 'frobnicate'/);
    });

    it('a bad option exits 2 with a message', async () => {
      const run = await cli('lookup', 'x', '--bogus');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /unknown option '--bogus'/);
      const missing = await cli('lookup');
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /missing required argument 'query'/);
    });

    it('a malformed config is reported as file:line:column', async () => {
      const configDir = makeDir('cli-bad-config-');
      const file = path.join(configDir, 'mcp-config.yaml');
      writeFileSync(file, 'enabled: true\npreload:\n  strategy: balanced\n   concurrency: 2\n');
      const run = await runCli([
        '--config',
        configDir,
        '--storage',
        makeDir('cli-bad-storage-'),
        '--workspace',
        workspace,
        'servers',
        '--json',
      ]);
      assert.ok(run.stderr.includes(`${file}:3:13:`), run.stderr);
    });

    it('detect of a missing file exits 2', async () => {
      const missing = path.join(workspace, 'nope.py');
      const run = await cli('detect', missing);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /nope\.py: no such file/);
    });
  });
});
