/**
 * KnowledgeHierarchy benchmarks.
 *
 * hit-latency — `fetch` answered by the local cache (memory level; and disk level, in a fresh
 *   instance over the same folder) next to one stdio round trip to the real memory-bank server
 *   (`list_projects` through a bare SDK client): the floor under any uncached answer.
 * miss-overhead — the cold path (unique questions, one docs layer: the real context7 over the
 *   loopback API, through our pool and adapter) next to a bare SDK `callTool('query-docs')` with the
 *   same arguments to another context7 process on the same API.
 *
 * Run: `npm run bench -- hit-latency miss-overhead` (add `--quick` for a short run).
 */
import { Context7Adapter } from '../src/core/adapters/context7';
import { KnowledgeHierarchy } from '../src/core/hierarchy/knowledge-hierarchy';
import type { FetchResult } from '../src/core/knowledge';
import { context7Server, memoryBankServer } from '../test/helpers/servers';
import { interleaved, type PairedSamples } from './lib/interleave';
import { apiRequests, DOCS_PATH, startContext7Api, startDirect, startPool } from './lib/servers';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { fmtMs, goal, ratio, summarize, writeResults, type Summary } from './lib/stats';

const LIBRARY_ID = '/facebook/react';
const ADDRESS = { contextType: 'library_api', libraryId: LIBRARY_ID } as const;
/** About the size of a context7 docs answer. */
const CACHED_DOCS = `### React: hooks\n\n${'useEffect runs after render; return a cleanup function to undo it. '.repeat(60)}`;

/** Consecutive calls per side when timing microsecond hits against round trips (see interleaved). */
const BLOCK = 25;
/** Distinct keys the memory-hit loop rotates over (the memory level keeps 2000 by default). */
const HOT_KEYS = 500;

const line = (text: string): void => void process.stdout.write(`${text}\n`);

function expectCacheHit(result: FetchResult, level: 'memory' | 'disk'): void {
  const detail = result.trail[0]?.detail;
  if (!result.cached || detail !== level)
    throw new Error(`expected a ${level} hit, got ${result.source} (${detail ?? 'no detail'})`);
}

function row(label: string, s: Summary): string {
  return `  ${label.padEnd(42)} p50 ${fmtMs(s.p50).padStart(10)}  p99 ${fmtMs(s.p99).padStart(10)}  mean ${fmtMs(s.mean).padStart(10)}  (n=${s.n})`;
}

/** Writes the results unless told not to; returns them either way. */
function finish<T extends object>(name: string, options: BenchOptions, results: T): T {
  if (options.write !== false) line(`  wrote ${writeResults(name, results)}`);
  return results;
}

export async function runHitLatencyBench(options: BenchOptions = {}): Promise<object> {
  const iterations = options.quick ? 300 : 3000;
  line(
    `hit-latency: local-cache hits vs one stdio round trip (memory-bank list_projects), ${iterations} interleaved pairs each`,
  );
  return withScope(async (scope) => {
    const roundTrip = await startDirect(scope, memoryBankServer(scope.tempDir('memory-bank')));
    const listProjects = (): Promise<unknown> => roundTrip.callTool('list_projects', {});
    const cacheDir = scope.tempDir('cache');

    // Memory level: one hierarchy, questions stored once, asked again and again.
    const warm = await openHierarchy(scope, cacheDir);
    const keys = Array.from({ length: iterations }, (_, i) => `react hooks question ${i}`);
    for (const key of keys) await warm.store(key, CACHED_DOCS, ADDRESS);
    await warm.flush();
    // The memory hits rotate over the most recent keys, well inside the memory level's default bound.
    const hot = keys.slice(-HOT_KEYS);
    const memoryHit = async (i: number): Promise<void> =>
      expectCacheHit(await warm.fetch(hot[Math.abs(i) % hot.length] ?? '', ADDRESS), 'memory');
    // Hits are microseconds: let the JIT settle first so the first side measured is not penalised.
    for (let i = 0; i < 20 * HOT_KEYS; i++) await memoryHit(i);
    const memory = await interleaved(listProjects, memoryHit, iterations, 50, BLOCK);
    // The same, strictly alternating: every hit runs right after a round trip's pipe I/O (cold CPU caches).
    const memoryAfterIo = await interleaved(listProjects, memoryHit, iterations, 0, 1);

    // Disk level: a fresh instance over the same folder; every key is read once (a disk hit promotes
    // to memory, so a second read would be a memory hit).
    const fresh = await openHierarchy(scope, cacheDir);
    const diskHit = async (i: number): Promise<void> => {
      if (i < 0) return; // no warm-up reads: they would use up keys
      expectCacheHit(await fresh.fetch(keys[i] ?? '', ADDRESS), 'disk');
    };
    const disk = await interleaved(listProjects, diskHit, iterations, 20, BLOCK);

    const measured = {
      memoryHit: compare(memory),
      memoryHitAfterIo: compare(memoryAfterIo),
      diskHit: compare(disk),
    };
    line(
      row(
        'stdio round trip (list_projects)',
        summarize([...memory.baseline, ...memoryAfterIo.baseline, ...disk.baseline]),
      ),
    );
    line(row(`memory hit (blocks of ${BLOCK})`, measured.memoryHit.latencyMs));
    line(row('memory hit (right after pipe I/O)', measured.memoryHitAfterIo.latencyMs));
    line(row(`disk hit (fresh instance, blocks of ${BLOCK})`, measured.diskHit.latencyMs));
    for (const [name, m] of Object.entries(measured)) {
      line(
        `  ${name}: ${m.speedupP50.toFixed(1)}× faster than its paired round trips at p50, ${m.speedupP99.toFixed(1)}× at p99`,
      );
    }
    const { memoryHit: mem, memoryHitAfterIo: cold, diskHit: dsk } = measured;
    const goals = [
      goal(
        'memory hit ≥ 20× faster than one stdio round trip (p50)',
        mem.speedupP50 >= 20,
        `${mem.speedupP50.toFixed(1)}× (p99 ${mem.speedupP99.toFixed(1)}×; right after pipe I/O ${cold.speedupP50.toFixed(1)}×)`,
      ),
      goal(
        'disk hit faster than one stdio round trip (p50)',
        dsk.speedupP50 > 1,
        `${dsk.speedupP50.toFixed(1)}× (p99 ${dsk.speedupP99.toFixed(1)}×)`,
      ),
    ];
    return finish('hit-latency', options, {
      quick: options.quick === true,
      iterations,
      block: BLOCK,
      hotKeys: HOT_KEYS,
      cachedAnswerBytes: Buffer.byteLength(CACHED_DOCS),
      baseline: 'memory-bank list_projects via a bare SDK Client over stdio, interleaved with each candidate',
      ...measured,
      goals,
    });
  });
}

/** A candidate's latency next to the round trips it was interleaved with. */
function compare(samples: PairedSamples): {
  latencyMs: Summary;
  roundTripMs: Summary;
  speedupP50: number;
  speedupP99: number;
} {
  const latencyMs = summarize(samples.candidate);
  const roundTripMs = summarize(samples.baseline);
  return {
    latencyMs,
    roundTripMs,
    speedupP50: ratio(roundTripMs.p50, latencyMs.p50),
    speedupP99: ratio(roundTripMs.p99, latencyMs.p99),
  };
}

/** Candidate vs baseline for a cost (lower is better): ratios above 1 are overhead. */
function overhead(samples: PairedSamples): {
  baselineMs: Summary;
  candidateMs: Summary;
  ratioP50: number;
  ratioMean: number;
  extraMsP50: number;
  extraMsMean: number;
} {
  const baselineMs = summarize(samples.baseline);
  const candidateMs = summarize(samples.candidate);
  return {
    baselineMs,
    candidateMs,
    ratioP50: candidateMs.p50 / baselineMs.p50,
    ratioMean: candidateMs.mean / baselineMs.mean,
    extraMsP50: candidateMs.p50 - baselineMs.p50,
    extraMsMean: candidateMs.mean - baselineMs.mean,
  };
}

const signedMs = (ms: number): string => `${ms < 0 ? '−' : '+'}${fmtMs(Math.abs(ms))}`;

async function openHierarchy(scope: BenchScope, cacheDir: string): Promise<KnowledgeHierarchy> {
  const hierarchy = await KnowledgeHierarchy.create({
    layers: [],
    ttlByType: { library_api: 604_800 },
    cache: { cacheDir },
  });
  return scope.own(hierarchy, (h) => h.shutdown());
}

export async function runMissOverheadBench(options: BenchOptions = {}): Promise<object> {
  const iterations = options.quick ? 60 : 1000;
  line(
    `miss-overhead: hierarchy cold path (one docs layer, real context7) vs bare callTool, ${iterations} interleaved pairs`,
  );
  return withScope(async (scope) => {
    const api = await startContext7Api(scope);
    const direct = await startDirect(scope, context7Server(api.apiUrl, { name: 'context7-direct' }));
    const pool = startPool(scope, [context7Server(api.apiUrl)]);
    const hierarchy = scope.own(
      await KnowledgeHierarchy.create({
        layers: [
          {
            name: 'docs',
            priority: 3,
            latencyTargetMs: 500,
            timeoutMs: 10_000,
            adapters: [new Context7Adapter({ caller: pool.caller('context7') })],
          },
        ],
        authority: { library_api: ['docs'] },
        ttlByType: { library_api: 604_800 },
        cache: { cacheDir: scope.tempDir('cache') },
      }),
      (h) => h.shutdown(),
    );

    // Both sides send the same arguments; every question is new to the hierarchy (warm-up rounds
    // use their own negative indices), and the API and bare client cache nothing.
    const topic = (i: number): string => `hook question ${i}`;
    let directMissing = 0;
    const samples = await interleaved(
      async (i) => {
        const result = await direct.callTool('query-docs', { libraryId: LIBRARY_ID, query: topic(i) });
        if (result.isError) directMissing++;
      },
      async (i) => {
        const result = await hierarchy.fetch(topic(i), ADDRESS);
        if (!result.success || result.cached || result.source !== 'docs')
          throw new Error(`expected a docs answer, got ${result.source}: ${result.error ?? ''}`);
      },
      iterations,
      20,
      1,
      // The answer's persistence to the disk cache runs after the caller has it; let it finish
      // untimed so it slows neither side's next call.
      () => hierarchy.flush(),
    );
    if (directMissing > 0) throw new Error(`${directMissing} direct calls failed`);
    const docsRequests = apiRequests(api, DOCS_PATH);

    // Where the overhead sits: the pool alone (same tool call through ConnectionPool, no adapter,
    // no hierarchy) against the same bare client. Informational; half as many pairs.
    const pooled = pool.caller('context7');
    const poolPairs = Math.ceil(iterations / 2);
    const poolOnly = await interleaved(
      (i) => direct.callTool('query-docs', { libraryId: LIBRARY_ID, query: `pool ${topic(i)}` }),
      (i) => pooled.callTool('query-docs', { libraryId: LIBRARY_ID, query: `pool ${topic(i)}` }),
      poolPairs,
      10,
    );

    // Our in-process share, exactly: the same hierarchy and adapter over the bare client itself, so
    // both sides talk to one server process. Informational; half as many pairs.
    const sameProcess = scope.own(
      await KnowledgeHierarchy.create({
        layers: [
          {
            name: 'docs',
            priority: 3,
            latencyTargetMs: 500,
            timeoutMs: 10_000,
            adapters: [new Context7Adapter({ caller: direct.asToolCaller() })],
          },
        ],
        authority: { library_api: ['docs'] },
        ttlByType: { library_api: 604_800 },
        cache: { cacheDir: scope.tempDir('cache-same-process') },
      }),
      (h) => h.shutdown(),
    );
    const inProcess = await interleaved(
      (i) => direct.callTool('query-docs', { libraryId: LIBRARY_ID, query: `same ${topic(i)}` }),
      async (i) => {
        const result = await sameProcess.fetch(`same process ${topic(i)}`, ADDRESS);
        if (!result.success || result.cached) throw new Error(`expected a docs answer: ${result.error ?? ''}`);
      },
      poolPairs,
      10,
      1,
      () => sameProcess.flush(),
    );

    const hierarchyVsDirect = overhead(samples);
    const poolVsDirect = overhead(poolOnly);
    const sameProcessVsDirect = overhead(inProcess);
    line(row('bare SDK callTool(query-docs)', hierarchyVsDirect.baselineMs));
    line(row('hierarchy.fetch, cache miss', hierarchyVsDirect.candidateMs));
    line(
      `  overhead: ${hierarchyVsDirect.ratioP50.toFixed(3)}× at p50 (${signedMs(hierarchyVsDirect.extraMsP50)}), ${hierarchyVsDirect.ratioMean.toFixed(3)}× on the mean (${signedMs(hierarchyVsDirect.extraMsMean)})`,
    );
    line(
      `  same server process (hierarchy + adapter over the bare client, ${poolPairs} pairs): ${sameProcessVsDirect.ratioP50.toFixed(3)}× at p50 (${signedMs(sameProcessVsDirect.extraMsP50)}), ${sameProcessVsDirect.ratioMean.toFixed(3)}× on the mean`,
    );
    line(
      `  the pool alone (pool.caller().callTool vs bare, ${poolPairs} pairs): ${poolVsDirect.ratioP50.toFixed(3)}× at p50 (${signedMs(poolVsDirect.extraMsP50)}), ${poolVsDirect.ratioMean.toFixed(3)}× on the mean`,
    );
    const goals = [
      goal(
        'cold-path overhead under 1.1× a bare callTool (p50)',
        hierarchyVsDirect.ratioP50 < 1.1,
        `${hierarchyVsDirect.ratioP50.toFixed(3)}× p50 (${signedMs(hierarchyVsDirect.extraMsP50)}), ${hierarchyVsDirect.ratioMean.toFixed(3)}× mean`,
      ),
    ];
    return finish('miss-overhead', options, {
      quick: options.quick === true,
      iterations,
      apiDelayMs: 0,
      baseline:
        'query-docs via a bare SDK Client over stdio to a second context7 process on the same loopback API (no delay: the worst case for relative overhead)',
      candidate:
        'KnowledgeHierarchy.fetch (unique question, memory+disk cache miss, docs layer via ConnectionPool + Context7Adapter), same arguments',
      hierarchyVsDirect,
      sameProcessVsDirect: {
        pairs: poolPairs,
        what: 'hierarchy + Context7Adapter over the bare client itself (one server process for both sides): our in-process overhead',
        ...sameProcessVsDirect,
      },
      poolVsDirect: {
        pairs: poolPairs,
        what: 'pool.caller().callTool vs the bare client (two server processes)',
        ...poolVsDirect,
      },
      docsApiRequests: docsRequests,
      docsApiRequestsExpected: 2 * (iterations + 20),
      goals,
    });
  });
}
