/**
 * Mocha root hook (unit configuration): the temporary folders each run's tests made are removed
 * when the run ends, not only at process exit — the mutation-testing runner reuses one process for
 * thousands of runs and kills it at the end, so exit-time cleanup alone would leave them all.
 */
import type { RootHookObject } from 'mocha';
import { beginTempDirRun, endTempDirRun } from './temp';

export const mochaHooks: RootHookObject = {
  beforeAll: beginTempDirRun,
  afterAll: endTempDirRun,
};
