import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LearningSystem, type LearningSystemOptions } from '../../../src/core/learning/learning-system';
import { OutcomeType } from '../../../src/core/learning/outcome';
import type { Logger } from '../../../src/core/ports';
import { waitFor } from '../../helpers/wait';

const DAY = 86_400_000;

describe('LearningSystem', () => {
  const dirs: string[] = [];
  const systems: LearningSystem[] = [];
  let t: number;
  const now = (): number => t;
  const fileIn = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'learning-'));
    dirs.push(dir);
    return path.join(dir, 'learning.json');
  };
  const create = async (over: Partial<LearningSystemOptions> = {}): Promise<LearningSystem> => {
    const system = await LearningSystem.create({
      file: over.file ?? fileIn(),
      halfLifeDays: 14,
      now,
      saveDebounceMs: 60_000,
      ...over,
    });
    systems.push(system);
    return system;
  };
  const outcomes = (
    system: LearningSystem,
    server: string,
    outcome: OutcomeType,
    n: number,
    latencyMs = 100,
    contextType = 'library_api',
  ): void => {
    for (let i = 0; i < n; i++)
      system.trackSuccess({ query: 'q', contextType, mcpsUsed: [server], outcome, latencyMs });
  };

  beforeEach(() => {
    t = Date.UTC(2025, 0, 1);
  });
  afterEach(async () => {
    await Promise.all(systems.splice(0).map((s) => s.dispose()));
  });
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("halves an observation's weight every half-life", async () => {
    const system = await create();
    outcomes(system, 'context7', OutcomeType.SUCCESS, 4);
    assert.equal(system.estimate('library_api', 'context7')?.samples, 4);
    t += 14 * DAY;
    assert.ok(Math.abs((system.estimate('library_api', 'context7')?.samples ?? 0) - 2) < 1e-9);
    t += 14 * DAY;
    assert.ok(Math.abs((system.estimate('library_api', 'context7')?.samples ?? 0) - 1) < 1e-9);
  });

  it('estimates success rate (partial counts half) and mean latency', async () => {
    const system = await create();
    outcomes(system, 's', OutcomeType.SUCCESS, 6, 100);
    outcomes(system, 's', OutcomeType.PARTIAL, 2, 300);
    outcomes(system, 's', OutcomeType.FAILURE, 2, 300);
    const estimate = system.estimate('library_api', 's');
    assert.ok(Math.abs((estimate?.successRate ?? 0) - (7 + 1) / (10 + 2)) < 1e-9);
    assert.ok(Math.abs((estimate?.meanLatencyMs ?? 0) - 180) < 1e-9);
  });

  it('leaves the given order alone until a server has the minimum samples', async () => {
    const system = await create({ minSamples: 5 });
    outcomes(system, 'a', OutcomeType.FAILURE, 4);
    outcomes(system, 'b', OutcomeType.SUCCESS, 4);
    assert.deepEqual(system.routingOrder('library_api', ['a', 'b']), ['a', 'b']);
    outcomes(system, 'a', OutcomeType.FAILURE, 1);
    outcomes(system, 'b', OutcomeType.SUCCESS, 1);
    assert.deepEqual(system.routingOrder('library_api', ['a', 'b']), ['b', 'a']);
    assert.deepEqual(system.routingOrder('error_solution', ['a', 'b']), ['a', 'b'], 'estimates are per context type');
  });

  it('prefers the faster of two equally reliable servers', async () => {
    const system = await create({ minSamples: 3 });
    outcomes(system, 'slow', OutcomeType.SUCCESS, 5, 2000);
    outcomes(system, 'fast', OutcomeType.SUCCESS, 5, 50);
    assert.deepEqual(system.routingOrder('library_api', ['slow', 'fast']), ['fast', 'slow']);
  });

  it('keeps unknown servers in their places and reorders only the known ones', async () => {
    const system = await create({ minSamples: 3 });
    outcomes(system, 'a', OutcomeType.FAILURE, 5);
    outcomes(system, 'b', OutcomeType.SUCCESS, 5);
    assert.deepEqual(system.routingOrder('library_api', ['x', 'a', 'y', 'b']), ['x', 'b', 'y', 'a']);
  });

  it('follows a server that got worse: old successes fade behind recent failures', async () => {
    const system = await create({ minSamples: 3 });
    outcomes(system, 'a', OutcomeType.SUCCESS, 20);
    outcomes(system, 'b', OutcomeType.SUCCESS, 10);
    outcomes(system, 'b', OutcomeType.FAILURE, 5);
    assert.deepEqual(system.routingOrder('library_api', ['b', 'a']), ['a', 'b']);
    t += 60 * DAY;
    outcomes(system, 'a', OutcomeType.FAILURE, 5);
    outcomes(system, 'b', OutcomeType.SUCCESS, 5);
    assert.deepEqual(system.routingOrder('library_api', ['a', 'b']), ['b', 'a']);
  });

  it('predicts the libraries a command uses most, with decay, ignoring failures', async () => {
    const system = await create();
    const use = (libraries: string[], outcome: OutcomeType = OutcomeType.SUCCESS): void =>
      system.trackSuccess({ query: 'q', mcpsUsed: ['context7'], outcome, command: 'fix', libraries });
    use(['/numpy/numpy', '/pytorch/pytorch']);
    use(['/numpy/numpy']);
    use(['/pandas/pandas'], OutcomeType.FAILURE);
    assert.deepEqual(system.predictLibraries('fix', 5), ['/numpy/numpy', '/pytorch/pytorch']);
    assert.deepEqual(system.predictLibraries('fix', 1), ['/numpy/numpy']);
    assert.deepEqual(system.predictLibraries('lookup', 5), []);
    t += 30 * DAY;
    use(['/pytorch/pytorch']);
    assert.deepEqual(system.predictLibraries('fix', 2), ['/pytorch/pytorch', '/numpy/numpy']);
  });

  it('persists across instances', async () => {
    const file = fileIn();
    const first = await create({ file });
    outcomes(first, 'a', OutcomeType.FAILURE, 6);
    outcomes(first, 'b', OutcomeType.SUCCESS, 6);
    first.trackSuccess({
      query: 'q',
      mcpsUsed: ['context7'],
      outcome: OutcomeType.SUCCESS,
      command: 'fix',
      libraries: ['/numpy/numpy'],
    });
    await first.flush();
    const second = await create({ file });
    assert.deepEqual(second.routingOrder('library_api', ['a', 'b']), ['b', 'a']);
    assert.deepEqual(second.predictLibraries('fix', 3), ['/numpy/numpy']);
    assert.deepEqual(second.snapshot(), first.snapshot());
  });

  it('keeps what two instances on one file learned, in any order of saves', async () => {
    const file = fileIn();
    const first = await create({ file });
    const second = await create({ file });
    outcomes(first, 'a', OutcomeType.SUCCESS, 5);
    outcomes(second, 'b', OutcomeType.FAILURE, 3);
    outcomes(second, 'a', OutcomeType.SUCCESS, 2);
    first.trackSuccess({
      query: 'q',
      mcpsUsed: ['c'],
      outcome: OutcomeType.SUCCESS,
      command: 'fix',
      libraries: ['/x/y'],
    });
    await first.flush();
    await second.flush();
    await first.flush();
    const third = await create({ file });
    const samples = (system: LearningSystem, server: string): number =>
      system.snapshot().estimates.find((e) => e.server === server && e.contextType === 'library_api')?.samples ?? 0;
    assert.equal(Math.round(samples(third, 'a')), 7);
    assert.equal(Math.round(samples(third, 'b')), 3);
    assert.deepEqual(third.predictLibraries('fix', 1), ['/x/y']);
    assert.deepEqual(third.snapshot().outcomes, { success: 8, partial: 0, failure: 3 });
    // Each instance now also knows what the other learned.
    assert.equal(Math.round(samples(second, 'a')), 7);
  });

  it('saves on its own after the debounce delay', async () => {
    const file = fileIn();
    const system = await create({ file, saveDebounceMs: 5 });
    outcomes(system, 'a', OutcomeType.SUCCESS, 1);
    assert.equal(existsSync(file), false);
    await waitFor(() => existsSync(file), { what: 'the debounced save to write the file', timeoutMs: 1000 });
    assert.equal(existsSync(file), true);
  });

  it('ignores an outcome of an unknown type instead of poisoning the estimates', async () => {
    const system = await create();
    system.trackSuccess({ query: 'q', mcpsUsed: ['a'], outcome: 'maybe' as OutcomeType });
    assert.equal(system.estimate('general', 'a'), undefined);
  });

  for (const [what, content] of [
    ['unparseable JSON', '{"version": 1, "estim'],
    ['JSON of the wrong shape', '{"version": 1, "estimates": "lots"}'],
  ] as const) {
    it(`resets ${what} with a warning instead of crashing`, async () => {
      const file = fileIn();
      writeFileSync(file, content);
      const warnings: string[] = [];
      const logger: Logger = {
        trace() {},
        debug() {},
        info() {},
        error() {},
        warn: (m: string) => void warnings.push(m),
      };
      const system = await create({ file, logger });
      assert.deepEqual(system.snapshot(), {
        estimates: [],
        commands: [],
        outcomes: { success: 0, partial: 0, failure: 0 },
      });
      assert.equal(warnings.length, 1);
      assert.ok(readdirSync(path.dirname(file)).some((f) => f.startsWith('learning.json.corrupt-')));
      outcomes(system, 'a', OutcomeType.SUCCESS, 1);
      await system.flush();
      assert.equal((await create({ file })).estimate('library_api', 'a')?.samples, 1);
    });
  }
});
