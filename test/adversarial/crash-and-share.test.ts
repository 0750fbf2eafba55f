/**
 * Crash safety and sharing of the storage folder, with real processes: a writer killed with -9 at
 * random moments must never lose an acknowledged write or bring back an older one (cache entries
 * whose newer write has a shorter TTL included), and two writers on one folder — cache and
 * `learning.json` — must both keep everything they acknowledged.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { LearningSystem } from '../../src/core/learning/learning-system';
import { ResultCache } from '../../src/core/store/result-cache';
import { cleanTempDirsAfter, tempDir } from '../helpers/temp';
import { figures } from './figures';

const KILL_TRIALS = 20;
const KEYS = 30;

interface Acks {
  cache: Map<string, number>;
  learning: Map<string, number>;
  /** Acknowledgements received so far. */
  count: number;
}

/** Starts the writer; resolves once it is ready, with its acknowledgements collected as they come. */
function startWriter(
  bundle: string,
  args: string[],
): Promise<{ child: ChildProcess; acks: Acks; done: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acks: Acks = { cache: new Map(), learning: new Map(), count: 0 };
    let buffer = '';
    const done = new Promise<void>((settle) => child.once('exit', () => settle()));
    child.once('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [word, kind, key = '', value = ''] = line.split(' ');
        if (word === 'ack') acks.count++;
        if (word === 'ready') resolve({ child, acks, done });
        else if (word === 'ack' && kind === 'cache') acks.cache.set(key, Number(value));
        else if (word === 'ack' && kind === 'learning') acks.learning.set(key, Number(value));
      }
    });
  });
}

async function checkCache(storage: string, acks: Map<string, number>): Promise<void> {
  const cache = new ResultCache({ cacheDir: path.join(storage, 'cache') });
  for (const [key, version] of acks) {
    figures.entriesChecked++;
    const hit = await cache.get(key);
    assert.ok(hit, `acknowledged ${key}@${version} was lost`);
    const found = Number(hit.value.content.split('@')[1]);
    assert.ok(found >= version, `${key}: acknowledged version ${version}, found the older ${found}`);
  }
}

async function learnedSamples(storage: string, server: string): Promise<number> {
  const learning = await LearningSystem.create({ file: path.join(storage, 'learning.json') });
  const estimate = learning.snapshot().estimates.find((e) => e.server === server);
  await learning.dispose();
  return Math.round(estimate?.samples ?? 0);
}

describe('adversarial: kill -9 during writes, two processes on one storage folder', function () {
  this.timeout(120_000);
  const makeDir = cleanTempDirsAfter();
  let bundle: string;

  before(async () => {
    // Bundled once, so each trial's process starts in a fraction of a second.
    bundle = path.join(tempDir('writer-bundle-'), 'storage-writer.cjs');
    await build({
      entryPoints: [path.join(__dirname, 'fixtures', 'storage-writer.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
  });

  it(`${KILL_TRIALS} writers killed with -9 at random moments lose nothing they acknowledged`, async () => {
    const storage = makeDir('kill-storage-');
    const acknowledged = new Map<string, number>();
    let learned = 0;
    for (let trial = 0; trial < KILL_TRIALS; trial++) {
      const { child, acks, done } = await startWriter(bundle, [storage, 'k', String(KEYS), '0']);
      // Let it write for a random while (some acks, some writes in flight), then kill it.
      const target = 5 + Math.floor(Math.random() * 100);
      const started = Date.now();
      while (acks.count < target && Date.now() - started < 5_000) await new Promise((resolve) => setImmediate(resolve));
      child.kill('SIGKILL');
      await done;
      figures.faultsInjected++;
      figures.killsSurvived++;
      // Versions restart at 1 in each process: keep the newest acknowledged write per key across trials.
      for (const [key, version] of acks.cache) acknowledged.set(key, version + trial * 1_000_000);
      learned += acks.learning.get('k') ?? 0;
      // Every acknowledged entry is there and not older, after every kill.
      const cache = new ResultCache({ cacheDir: path.join(storage, 'cache') });
      for (const [key, version] of acks.cache) {
        figures.entriesChecked++;
        const hit = await cache.get(key);
        assert.ok(hit, `trial ${trial}: acknowledged ${key}@${version} was lost`);
        assert.ok(Number(hit.value.content.split('@')[1]) >= version, `trial ${trial}: ${key} came back older`);
      }
      // A write acknowledged in an earlier trial and not rewritten since must still be there too.
      for (const key of acknowledged.keys()) {
        figures.entriesChecked++;
        assert.ok(await cache.get(key), `trial ${trial}: ${key} from an earlier trial was lost`);
      }
      figures.entriesChecked++;
      assert.ok((await learnedSamples(storage, 'k')) >= learned, `trial ${trial}: acknowledged learning was lost`);
    }
  });

  it('two processes writing one storage folder (cache and learning.json) both keep everything', async () => {
    const storage = makeDir('shared-storage-');
    const rounds = 15;
    const [a, b] = await Promise.all([
      startWriter(bundle, [storage, 'a', '20', String(rounds)]),
      startWriter(bundle, [storage, 'b', '20', String(rounds)]),
    ]);
    await Promise.all([a.done, b.done]);
    figures.attacksTried++;
    await checkCache(storage, a.acks.cache);
    await checkCache(storage, b.acks.cache);
    assert.equal(a.acks.cache.size + b.acks.cache.size, 40);
    figures.entriesChecked += 2;
    assert.equal(await learnedSamples(storage, 'a'), rounds, "a's learning was lost");
    assert.equal(await learnedSamples(storage, 'b'), rounds, "b's learning was lost");
  });
});
