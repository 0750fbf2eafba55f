import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { McpIntegrationApi } from '../../../src/core/api';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { stringify } from 'yaml';
import { testConfig, writeTestConfig } from '../../helpers/config-files';
import { isPidAlive, waitForPidGone } from '../../helpers/processes';
import { faultyServer } from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost, type TestHostOptions } from './host';

describe('Runtime configuration, switches, trust and shutdown', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;

  const hostOptions = (extra: Partial<TestHostOptions> = {}): TestHostOptions => {
    const configDir = makeDir('runtime-control-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, preloadStrategy: 'off', memoryTimeoutMs: 10_000 });
    return { storageDir: makeDir('runtime-control-storage-'), configDir, ...extra };
  };
  const runningPids = (runtime: McpIntegrationApi): number[] =>
    runtime.getServerStatuses().flatMap((s) => (s.pid === undefined ? [] : [s.pid]));

  before(async () => {
    api = await FakeContext7Api.start();
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  describe('an invalid workspace mcp-config.yaml', () => {
    let workspace: string;
    let workspaceFile: string;
    let runtime: McpIntegrationApi;
    const zebraTrigger =
      'smart_triggers:\n  patterns:\n    - pattern: "zebra"\n      mcp: memory-bank\n      type: project_memory\n      confidence: 0.95\n';

    before(async () => {
      workspace = makeDir('runtime-control-workspace-');
      mkdirSync(path.join(workspace, '.mcp-integration'));
      workspaceFile = path.join(workspace, '.mcp-integration', 'mcp-config.yaml');
      // Line 4 is indented one space deeper than line 3: a YAML syntax error the parser places at 3:13.
      writeFileSync(workspaceFile, 'enabled: true\npreload:\n  strategy: balanced\n   concurrency: 2\n');
      runtime = await tracker.create(testHost(hostOptions({ workspaceDir: workspace })));
    });

    it('is reported with file, line and column', () => {
      const errors = runtime.configErrors.filter((e) => e.file === workspaceFile);
      assert.ok(errors.length > 0, runtime.configErrors.map((e) => e.message).join('\n'));
      assert.deepEqual([errors[0]?.line, errors[0]?.column], [3, 13], errors[0]?.message);
      assert.ok(errors[0]?.message.startsWith(`${workspaceFile}:3:13: `), errors[0]?.message);
    });

    it('leaves the runtime working on the lower layers', async () => {
      const result = await runtime.lookup('how to use express routers');
      assert.equal(result.success, true, result.error);
      assert.equal(result.source, 'docs');
    });

    it('reloadConfig picks up the fixed file, and keeps its last good content when it breaks again', async () => {
      assert.notEqual(runtime.classify('zebra crossing')[0]?.contextType, 'project_memory');
      writeFileSync(workspaceFile, zebraTrigger);
      assert.deepEqual(
        (await runtime.reloadConfig()).map((e) => e.message),
        [],
      );
      assert.equal(runtime.classify('zebra crossing')[0]?.contextType, 'project_memory');

      writeFileSync(workspaceFile, `${zebraTrigger}  : broken: [\n`);
      const errors = await runtime.reloadConfig();
      assert.ok(
        errors.some((e) => e.file === workspaceFile && e.line >= 1),
        errors.map((e) => e.message).join('\n'),
      );
      assert.equal(
        runtime.classify('zebra crossing')[0]?.contextType,
        'project_memory',
        'the last good workspace file still applies',
      );
    });
  });

  describe('the rollback switch', () => {
    it('enabled: false answers "disabled" and starts no server; enabling again answers', async () => {
      const runtime = await tracker.create(testHost(hostOptions()));
      runtime.updateSettings({ enabled: false });
      const result = await runtime.lookup('how to use lodash debounce');
      assert.equal(result.success, false);
      assert.match(result.error ?? '', /disabled/);
      assert.deepEqual(result.trail, []);
      await assert.rejects(runtime.store('k', 'v'), /disabled/);
      assert.deepEqual(runningPids(runtime), []);
      assert.equal(api.requests.filter((r) => r.query['libraryId'] === '/lodash/lodash').length, 0);

      runtime.updateSettings({ enabled: true });
      const enabled = await runtime.lookup('how to use lodash debounce');
      assert.equal(enabled.success, true, enabled.error);
    });

    it('rolloutPercent 0 does the same', async () => {
      const runtime = await tracker.create(testHost(hostOptions()), { rolloutPercent: 0 });
      const result = await runtime.lookup('how to use axios interceptors');
      assert.equal(result.success, false);
      assert.match(result.error ?? '', /rollout/);
      await runtime.openDocument({ uri: '/w/a.py', languageId: 'python', text: 'import numpy\n' });
      assert.deepEqual(runningPids(runtime), [], 'neither the lookup nor preloading started anything');
    });
  });

  describe('workspace trust', () => {
    const workspaceWithServer = (startLog: string): string => {
      const workspace = makeDir('runtime-trust-workspace-');
      const server = faultyServer('ok', { startLog });
      assert.equal(server.transport.transport, 'stdio');
      const { command, args, env } = server.transport as {
        command: string;
        args: string[];
        env: Record<string, string>;
      };
      writeFileSync(
        path.join(workspace, '.mcp.json'),
        JSON.stringify({ mcpServers: { 'workspace-tool': { command, args, env } } }),
      );
      return workspace;
    };

    it('a server from the workspace .mcp.json does not start in an untrusted workspace', async () => {
      const startLog = path.join(makeDir('runtime-trust-log-'), 'starts.log');
      const workspace = workspaceWithServer(startLog);
      const runtime = await tracker.create(testHost(hostOptions({ workspaceDir: workspace, trusted: false })));
      await runtime.restartServers();
      assert.equal(existsSync(startLog), false, 'the workspace server never started');
      const status = runtime.getServerStatuses().find((s) => s.name === 'workspace-tool');
      assert.equal(status?.pid, undefined);
    });

    it('the same server starts once the workspace is trusted', async () => {
      const startLog = path.join(makeDir('runtime-trust-log-'), 'starts.log');
      const workspace = workspaceWithServer(startLog);
      const runtime = await tracker.create(testHost(hostOptions({ workspaceDir: workspace, trusted: true })));
      await runtime.restartServers();
      const status = runtime.getServerStatuses().find((s) => s.name === 'workspace-tool');
      assert.equal(status?.state, 'ready');
      assert.equal(readFileSync(startLog, 'utf8').trim(), String(status.pid));
    });
  });

  describe('a reload that fails', () => {
    const token = { value: 'first-token', failing: false };
    const secrets = {
      get: (name: string): Promise<string | undefined> =>
        token.failing
          ? Promise.reject(new Error('the keychain is locked'))
          : Promise.resolve(name === 'TEST_TOKEN' ? token.value : undefined),
    };
    const writeConfig = (configDir: string, extra: { hedged?: boolean; triggers?: unknown } = {}): void => {
      const base = testConfig(configDir, {
        context7ApiUrl: api.apiUrl,
        preloadStrategy: 'off',
        memoryTimeoutMs: 10_000,
      });
      const hierarchy = base['knowledge_hierarchy'] as Record<string, unknown>;
      const tool = faultyServer('ok', { name: 'secret-tool' });
      assert.equal(tool.transport.transport, 'stdio');
      const { command, args, env } = tool.transport as { command: string; args: string[]; env: Record<string, string> };
      const servers = {
        ...(base['servers'] as Record<string, unknown>),
        'secret-tool': { kind: 'generic', command, args, env: { ...env, TOKEN: '${secret:TEST_TOKEN}' } },
      };
      const changes = {
        ...(extra.triggers ? { smart_triggers: extra.triggers } : {}),
        knowledge_hierarchy: { ...hierarchy, ...(extra.hedged ? { mode: 'hedged' } : {}) },
      };
      writeFileSync(path.join(configDir, 'mcp-config.yaml'), stringify({ ...base, servers, ...changes }));
    };
    /** Everything a host can observe of the configuration in force. */
    const observe = (runtime: McpIntegrationApi): unknown => ({
      errors: runtime.configErrors.map((e) => e.message),
      zebra: runtime.classify('zebra crossing').map((m) => [m.server, m.contextType]),
      servers: runtime.getServerStatuses().map((s) => [s.name, s.state, s.pid]),
      profiles: runtime.listProfiles(),
      profile: runtime.activeProfile,
      mode: runtime.getDashboardData().hierarchy.mode,
    });

    it('leaves the runtime exactly as before and says why; the next good reload applies', async () => {
      const configDir = makeDir('runtime-reload-config-');
      writeConfig(configDir);
      const runtime = await tracker.create(
        testHost({ storageDir: makeDir('runtime-reload-storage-'), configDir, secrets }),
      );
      await runtime.restartServers();
      const answered = await runtime.lookup('how to use express routers');
      assert.equal(answered.success, true, answered.error);
      const before = observe(runtime);
      const pids = runningPids(runtime);
      assert.equal(pids.length, 3, JSON.stringify(runtime.getServerStatuses()));

      // A new trigger, a new mode and a changed server, and then the secret store fails.
      token.value = 'second-token';
      const zebra = { patterns: [{ pattern: 'zebra', mcp: 'memory-bank', type: 'project_memory', confidence: 0.95 }] };
      writeConfig(configDir, { triggers: zebra, hedged: true });
      token.failing = true;
      await assert.rejects(runtime.reloadConfig(), (error: Error) => {
        assert.equal(error.name, 'ReloadFailedError');
        assert.match(error.message, /previous one stays in force: .*the keychain is locked/);
        return true;
      });
      assert.deepEqual(observe(runtime), before);
      assert.ok(pids.every(isPidAlive), 'no server was stopped');
      const cached = await runtime.lookup('how to use express routers');
      assert.equal(cached.success, true, cached.error);
      assert.equal(cached.cached, true);

      token.failing = false;
      assert.deepEqual(
        (await runtime.reloadConfig()).map((e) => e.message),
        [],
      );
      assert.equal(runtime.classify('zebra crossing')[0]?.contextType, 'project_memory');
      assert.equal(runtime.getDashboardData().hierarchy.mode, 'hedged');
      const replaced = runtime.getServerStatuses().find((s) => s.name === 'secret-tool');
      assert.equal(replaced?.state, 'ready', 'the changed server was running, so its replacement started');
      assert.ok(replaced.pid !== undefined && !pids.includes(replaced.pid), 'the changed server was replaced');
      const unchanged = runtime
        .getServerStatuses()
        .filter((s) => s.name !== 'secret-tool')
        .map((s) => s.pid);
      assert.ok(
        unchanged.every((pid) => pid !== undefined && pids.includes(pid)),
        'the others kept running',
      );
    });
  });

  it('shutdown leaves no child process behind', async () => {
    const runtime = await tracker.create(testHost(hostOptions()));
    await runtime.restartServers();
    const pids = runningPids(runtime);
    assert.equal(pids.length, 2, JSON.stringify(runtime.getServerStatuses()));
    assert.ok(pids.every(isPidAlive));
    await runtime.shutdown();
    for (const pid of pids) assert.equal(await waitForPidGone(pid, 5_000), true, `pid ${pid} is still running`);
    await runtime.shutdown(); // safe to call twice
  });
});
