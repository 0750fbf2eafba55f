import { strict as assert } from 'node:assert';
import type { McpIntegrationApi } from '../../../src/core/api';
import type { FetchResult } from '../../../src/core/knowledge';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig, type TestConfigOptions } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';

describe('Runtime faults: broken layers through the whole runtime', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;

  /** A runtime over a fresh config, with every server already started (so start-up is not timed). */
  const runtimeWith = async (options: Omit<TestConfigOptions, 'context7ApiUrl'>): Promise<McpIntegrationApi> => {
    const configDir = makeDir('runtime-faults-config-');
    writeTestConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      preloadStrategy: 'off',
      memoryTimeoutMs: 1000,
      ...options,
    });
    const runtime = await tracker.create(testHost({ storageDir: makeDir('runtime-faults-storage-'), configDir }));
    await runtime.restartServers();
    return runtime;
  };
  const outcomeOf = (result: FetchResult, layer: string): string | undefined =>
    result.trail.find((t) => t.layer === layer)?.outcome;

  before(async () => {
    api = await FakeContext7Api.start();
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it('a memory server that hangs times out at the layer limit and docs still answer', async () => {
    const runtime = await runtimeWith({ memoryFault: 'hang-on-call' });
    assert.equal(runtime.getServerStatuses().find((s) => s.name === 'memory-bank')?.state, 'ready');
    const result = await runtime.lookup('how to use numpy broadcasting');
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'docs');
    assert.equal(outcomeOf(result, 'memory'), 'timeout');
    const memory = result.trail.find((t) => t.layer === 'memory');
    // Bounded by the 1 s layer timeout, with room for a loaded machine; the server's 5 s call timeout never applies.
    assert.ok((memory?.latencyMs ?? Infinity) < 4_000, `memory layer took ${memory?.latencyMs} ms`);
  });

  it('a memory server that exits mid-call is an error in the trail and docs still answer', async () => {
    const runtime = await runtimeWith({ memoryFault: 'exit-on-call' });
    const result = await runtime.lookup('how to use pandas merge');
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'docs');
    assert.equal(outcomeOf(result, 'memory'), 'error');
    assert.match(result.content ?? '', /pandas/);
  });

  it('with every layer broken the lookup fails with a clear error instead of hanging', async () => {
    const runtime = await runtimeWith({ memoryFault: 'hang-on-call', context7Unreachable: true });
    const startedAt = Date.now();
    const result = await runtime.lookup('how to use react hooks');
    assert.ok(Date.now() - startedAt < 20_000, 'bounded by the layer timeouts');
    assert.equal(result.success, false);
    assert.equal(result.content, null);
    assert.equal(result.cached, false);
    assert.equal(outcomeOf(result, 'memory'), 'timeout');
    assert.equal(outcomeOf(result, 'docs'), 'error');
    assert.match(result.error ?? '', /No layer had an answer/);
    assert.match(result.error ?? '', /memory \(memory-bank\): timeout/);
    assert.match(result.error ?? '', /docs \(context7\): error/);
    const again = await runtime.lookup('how to use react hooks');
    assert.equal(again.cached, false, 'errors are never cached');
  });
});
