import { strict as assert } from 'node:assert';
import type { DiagnosticInfo, McpIntegrationApi } from '../../../src/core/api';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';

describe('Runtime lookups over the real memory-bank and context7', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;
  let configDir: string;
  let storageDir: string;
  let runtime: McpIntegrationApi;

  const question = 'how to use numpy broadcasting';
  const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;
  const open = (): Promise<McpIntegrationApi> => tracker.create(testHost({ storageDir, configDir }));

  before(async () => {
    api = await FakeContext7Api.start();
    configDir = makeDir('runtime-config-');
    storageDir = makeDir('runtime-storage-');
    // A generous memory timeout: the first call also pays memory-bank's start-up on a busy machine.
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    runtime = await open();
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it('loads the test configuration without errors', () => {
    assert.deepEqual(
      runtime.configErrors.map((e) => e.message),
      [],
    );
  });

  it('answers the first lookup from docs: local-cache miss, memory miss, docs hit', async () => {
    const result = await runtime.lookup(question);
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'docs');
    assert.equal(result.cached, false);
    assert.equal(result.contextType, 'library_api');
    assert.match(result.content ?? '', /NumPy: how to use numpy broadcasting/);
    assert.deepEqual(
      result.trail.map((t) => [t.layer, t.outcome]),
      [
        ['local-cache', 'miss'],
        ['memory', 'miss'],
        ['docs', 'hit'],
      ],
    );
    const docs = api.requests.filter((r) => r.path === '/api/v2/context');
    assert.equal(docs.length, 1);
    assert.equal(docs[0]?.query['libraryId'], '/numpy/numpy', 'the registry id was used, no resolve call needed');
  });

  it('answers the identical second lookup from the local cache without going upstream', async () => {
    const before = docsRequests();
    const result = await runtime.lookup(question);
    assert.equal(result.cached, true);
    assert.equal(result.source, 'local-cache');
    assert.deepEqual(
      result.trail.map((t) => [t.layer, t.outcome]),
      [['local-cache', 'hit']],
    );
    assert.equal(docsRequests(), before);
    const stats = runtime.getDashboardData();
    assert.ok(stats.summary.cacheHits >= 1, 'the monitor counted the hit');
  });

  it('a new runtime over the same storage answers from the disk cache and starts no server', async () => {
    await tracker.shutdownAll();
    runtime = await open();
    const result = await runtime.lookup(question);
    assert.equal(result.cached, true);
    assert.equal(result.source, 'local-cache');
    // The persisted cache is the only place this answer can come from in a fresh runtime.
    assert.deepEqual(
      result.trail.map((t) => [t.layer, t.outcome]),
      [['local-cache', 'hit']],
    );
    assert.equal(docsRequests(), 1);
    assert.deepEqual(
      runtime
        .getServerStatuses()
        .filter((s) => s.pid !== undefined)
        .map((s) => s.name),
      [],
    );
  });

  it('after clearCache the answer comes from the memory layer, which got the write-back', async () => {
    await runtime.clearCache();
    const before = docsRequests();
    const result = await runtime.lookup(question);
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'memory');
    assert.equal(result.cached, false);
    assert.deepEqual(
      result.trail.map((t) => [t.layer, t.outcome]),
      [
        ['local-cache', 'miss'],
        ['memory', 'hit'],
      ],
    );
    assert.match(result.content ?? '', /NumPy: how to use numpy broadcasting/);
    assert.equal(docsRequests(), before, 'docs were not asked again');
  });

  describe('fixes', () => {
    const seen: DiagnosticInfo = {
      message: "Cannot find name 'fetchUser' (line 12).",
      source: 'ts',
      code: '2304',
      language: 'typescript',
    };
    const similar: DiagnosticInfo = {
      message: "Cannot find name 'loadOrders' (line 480).",
      source: 'ts',
      code: '2304',
      language: 'typescript',
    };
    const edit = {
      startLine: 3,
      startCharacter: 0,
      endLine: 3,
      endCharacter: 0,
      newText: "import { fetchUser } from './api';\n",
    };

    it('rememberFix then findFix for a diagnostic differing only in names and numbers finds the solution and its edit', async () => {
      const signature = await runtime.rememberFix(seen, 'Import the function from ./api', edit);
      assert.equal(runtime.errorSignature(similar), signature);
      const fix = await runtime.findFix(similar);
      assert.equal(fix.success, true, fix.error);
      assert.equal(fix.signature, signature);
      assert.equal(fix.content, 'Import the function from ./api');
      assert.deepEqual(fix.edit, edit);
    });

    it('finds the fix in memory-bank once the local cache is gone', async () => {
      await runtime.clearCache();
      const fix = await runtime.findFix(similar);
      assert.equal(fix.success, true, fix.error);
      assert.equal(fix.source, 'memory');
      assert.equal(fix.content, 'Import the function from ./api');
      assert.deepEqual(fix.edit, edit);
    });

    it('a different diagnostic finds nothing', async () => {
      const fix = await runtime.findFix({ message: 'Unexpected token', source: 'ts', code: '1005' });
      assert.equal(fix.success, false);
      assert.equal(fix.content, null);
      assert.equal(fix.edit, undefined);
    });
  });
});
