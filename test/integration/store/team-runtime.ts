/** A runtime on a team Redis, as each teammate's editor or CLI runs one: own storage, config and memory-bank. */
import { strict as assert } from 'node:assert';
import type { McpIntegrationApi } from '../../../src/core/api';
import { writeTestConfig } from '../../helpers/config-files';
import { type RuntimeTracker, testHost } from '../runtime/host';

export interface TeamRuntimeOptions {
  tracker: RuntimeTracker;
  /** Makes a temp folder removed after the suite (`cleanTempDirsAfter()`). */
  makeDir: (prefix: string) => string;
  context7ApiUrl: string;
  redisUrl: string;
  prefix: string;
  partition: string;
  /** More `shared_cache` keys (e.g. `team_memory`). */
  sharedCache?: Record<string, unknown>;
}

/** Opens the runtime and checks that its configuration is clean and its shared level up. */
export async function openTeamRuntime(options: TeamRuntimeOptions): Promise<McpIntegrationApi> {
  const { partition, makeDir } = options;
  const configDir = makeDir(`team-config-${partition}-`);
  writeTestConfig(configDir, {
    context7ApiUrl: options.context7ApiUrl,
    memoryTimeoutMs: 10_000,
    preloadStrategy: 'off',
    extra: {
      // Generous bounds: the machine running the tests is shared. The store tests prove the tight ones.
      shared_cache: {
        url: options.redisUrl,
        prefix: options.prefix,
        partition,
        op_timeout_ms: 1_000,
        ...options.sharedCache,
      },
    },
  });
  const storageDir = makeDir(`team-storage-${partition}-`);
  const runtime = await options.tracker.create(testHost({ storageDir, configDir }));
  assert.deepEqual(
    runtime.configErrors.map((e) => e.message),
    [],
  );
  assert.equal(runtime.getDashboardData().sharedCache?.state, 'up');
  return runtime;
}
