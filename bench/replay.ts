/**
 * Replayed session: a deterministic, skewed mix of library questions (Zipf over 60 questions, fixed
 * seed) through the full runtime (`createRuntime`: configuration, pool, memory-bank + context7
 * layers, local cache, learning, monitor) next to direct calls to the real context7 server, with
 * the loopback API adding 150 ms to every request, as a remote docs API would.
 *
 * The two sides alternate request by request. The direct side asks every request in the full run
 * and every 10th in the quick run (it costs ~150 ms each, cached or not), which the JSON states.
 *
 * Run: `npm run bench -- replay` (add `--quick` for a short run).
 */
import path from 'node:path';
import type { McpIntegrationApi } from '../src/core/api';
import type { HostPorts } from '../src/core/ports';
import { silentLogger } from '../src/core/ports';
import { createRuntime } from '../src/core/runtime';
import { writeMcpConfig } from '../test/e2e/harness/mcp-config';
import { context7Server, memoryBankServer } from '../test/helpers/servers';
import { apiRequests, DOCS_PATH, startContext7Api, startDirect } from './lib/servers';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { fmtMs, goal, ratio, summarize, writeResults } from './lib/stats';
import { seededRandom, shuffled, zipfIndices } from './lib/workload';

const SEED = 20_240_611;
const REQUESTS = 500;
const ZIPF_EXPONENT = 1;
const UPSTREAM_DELAY_MS = 150;

/** Library names as a developer types them, with the context7 ids the loopback API knows. */
const LIBRARIES: ReadonlyArray<readonly [name: string, id: string]> = [
  ['numpy', '/numpy/numpy'],
  ['pandas', '/pandas-dev/pandas'],
  ['torch', '/pytorch/pytorch'],
  ['requests', '/psf/requests'],
  ['react', '/facebook/react'],
  ['express', '/expressjs/express'],
  ['zod', '/colinhacks/zod'],
  ['lodash', '/lodash/lodash'],
  ['axios', '/axios/axios'],
  ['sklearn', '/scikit-learn/scikit-learn'],
  ['matplotlib', '/matplotlib/matplotlib'],
  ['fastapi', '/fastapi/fastapi'],
];
const TOPICS = ['error handling', 'configuration options', 'performance tips', 'testing', 'migration guide'];

interface Question {
  text: string;
  libraryId: string;
}

const line = (text: string): void => void process.stdout.write(`${text}\n`);

/** The session: which question each request asks, the same on every run. */
export function replaySession(): { questions: Question[]; sequence: number[] } {
  const random = seededRandom(SEED);
  const all = LIBRARIES.flatMap(([name, libraryId]) =>
    TOPICS.map((topic) => ({ text: `${name} ${topic}`, libraryId })),
  );
  const questions = shuffled(all, random);
  return { questions, sequence: zipfIndices(questions.length, REQUESTS, ZIPF_EXPONENT, random) };
}

interface RuntimeDirs {
  /** User configuration folder declaring the two real servers. */
  userDir: string;
  storageDir: string;
}

function runtimeDirs(scope: BenchScope, apiUrl: string): RuntimeDirs {
  const userDir = scope.tempDir('config');
  writeMcpConfig(userDir, [memoryBankServer(scope.tempDir('memory-bank')), context7Server(apiUrl)]);
  return { userDir, storageDir: scope.tempDir('storage') };
}

/** The runtime as the CLI would build it. `stop()` shuts it down once (the scope calls it too). */
async function startRuntime(
  scope: BenchScope,
  { userDir, storageDir }: RuntimeDirs,
): Promise<{ runtime: McpIntegrationApi; stop: () => Promise<void> }> {
  const ports: HostPorts = {
    storageDir,
    logger: silentLogger,
    serverLogger: () => silentLogger,
    secrets: { get: async () => undefined },
    config: { defaultsDir: path.resolve(__dirname, '..', 'config'), userDir },
    isWorkspaceTrusted: () => true,
  };
  // Preloading off: the replay measures answering questions, not guessing them ahead.
  const runtime = await createRuntime(ports, {
    installationId: 'bench',
    preloadStrategy: 'off',
    hierarchyMode: 'sequential',
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= runtime.shutdown());
  scope.own(runtime, stop);
  if (runtime.configErrors.length > 0)
    throw new Error(`configuration: ${runtime.configErrors.map((e) => e.message).join('; ')}`);
  return { runtime, stop };
}

export async function runReplayBench(options: BenchOptions = {}): Promise<object> {
  const directStride = options.quick ? 10 : 1;
  const { questions, sequence } = replaySession();
  const distinct = new Set(sequence).size;
  line(
    `replay: ${REQUESTS} requests, Zipf(${ZIPF_EXPONENT}) over ${questions.length} questions (${distinct} asked), API delay ${UPSTREAM_DELAY_MS} ms; direct side on every ${directStride === 1 ? '' : `${directStride}th `}request`,
  );
  return withScope(async (scope) => {
    const api = await startContext7Api(scope, { delayMs: UPSTREAM_DELAY_MS });
    const direct = await startDirect(scope, context7Server(api.apiUrl, { name: 'context7-direct' }));
    const dirs = runtimeDirs(scope, api.apiUrl);
    const { runtime, stop } = await startRuntime(scope, dirs);

    // Warm-up outside the mix: starts the runtime's servers and the direct one's first request path.
    const warm = await runtime.lookup('react warm-up question', { contextType: 'library_api' });
    if (!warm.success) throw new Error(`runtime warm-up failed: ${warm.error ?? ''}`);
    await direct.callTool('query-docs', { libraryId: '/facebook/react', query: 'warm-up question' });

    const runtimeMs: number[] = [];
    const runtimeHitMs: number[] = [];
    const runtimeMissMs: number[] = [];
    const directMs: number[] = [];
    let runtimeApi = 0;
    let runtimeDocsApi = 0;
    let directApi = 0;
    let cached = 0;
    let failed = 0;
    const askRuntime = async (question: Question): Promise<void> => {
      const before = apiRequests(api);
      const beforeDocs = apiRequests(api, DOCS_PATH);
      const start = performance.now();
      const result = await runtime.lookup(question.text, { contextType: 'library_api' });
      const elapsed = performance.now() - start;
      runtimeMs.push(elapsed);
      (result.cached ? runtimeHitMs : runtimeMissMs).push(elapsed);
      runtimeApi += apiRequests(api) - before;
      runtimeDocsApi += apiRequests(api, DOCS_PATH) - beforeDocs;
      if (result.cached) cached++;
      if (!result.success) failed++;
    };
    const askDirect = async (question: Question): Promise<void> => {
      const before = apiRequests(api);
      const start = performance.now();
      const result = await direct.callTool('query-docs', { libraryId: question.libraryId, query: question.text });
      directMs.push(performance.now() - start);
      directApi += apiRequests(api) - before;
      if (result.isError) failed++;
    };
    for (const [i, index] of sequence.entries()) {
      const question = questions[index] as Question;
      if (i % directStride !== 0) await askRuntime(question);
      else if (i % 2 === 0) {
        await askRuntime(question);
        await askDirect(question);
      } else {
        await askDirect(question);
        await askRuntime(question);
      }
    }
    if (failed > 0) throw new Error(`${failed} requests failed`);

    await stop();

    // The next day: a restarted runtime over the same storage replays the same session. The direct
    // side has no cache, so its cost is the one measured above.
    const nextDay = await startRuntime(scope, dirs);
    const nextDayMs: number[] = [];
    const nextDayApiBefore = apiRequests(api);
    let nextDayCached = 0;
    for (const index of sequence) {
      const question = questions[index] as Question;
      const start = performance.now();
      const result = await nextDay.runtime.lookup(question.text, { contextType: 'library_api' });
      nextDayMs.push(performance.now() - start);
      if (!result.success) failed++;
      if (result.cached) nextDayCached++;
    }
    const nextDayApi = apiRequests(api) - nextDayApiBefore;
    await nextDay.stop();
    if (failed > 0) throw new Error(`${failed} requests failed on the next day`);

    const rt = summarize(runtimeMs);
    const dr = summarize(directMs);
    const meanSpeedup = ratio(dr.mean, rt.mean);
    const directApiPerRequest = directApi / directMs.length;
    const directApiSession = directApiPerRequest * REQUESTS;
    const upstreamRatio = ratio(directApiSession, runtimeApi);
    line(
      `  runtime: mean ${fmtMs(rt.mean)}, p50 ${fmtMs(rt.p50)}, p95 ${fmtMs(rt.p95)}, p99 ${fmtMs(rt.p99)}; ${cached}/${REQUESTS} from the local cache; ${runtimeApi} API requests (${runtimeDocsApi} docs)`,
    );
    const hitsOnly = summarize(runtimeHitMs);
    const missesOnly = summarize(runtimeMissMs);
    line(
      `    cached answers p50 ${fmtMs(hitsOnly.p50)}, p99 ${fmtMs(hitsOnly.p99)}; first asks (memory-bank miss, then context7) p50 ${fmtMs(missesOnly.p50)}, mean ${fmtMs(missesOnly.mean)}`,
    );
    line(
      `  direct:  mean ${fmtMs(dr.mean)}, p50 ${fmtMs(dr.p50)}, p95 ${fmtMs(dr.p95)}, p99 ${fmtMs(dr.p99)} (n=${dr.n}); ${directApi} API requests → ${directApiSession} for the session`,
    );
    // First asks are compulsory misses: even a perfect cache pays one upstream call for each.
    const compulsoryBound = REQUESTS / distinct;
    const nd = summarize(nextDayMs);
    const nextDaySpeedup = ratio(dr.mean, nd.mean);
    line(
      `  mean latency ${meanSpeedup.toFixed(1)}× lower; ${upstreamRatio.toFixed(1)}× fewer upstream calls (a perfect cold cache: ≤ ${compulsoryBound.toFixed(1)}×, ${distinct} first asks in ${REQUESTS})`,
    );
    line(
      `  next day (restarted runtime, same storage): mean ${fmtMs(nd.mean)}, p99 ${fmtMs(nd.p99)}, ${nextDayCached}/${REQUESTS} cached, ${nextDayApi} API requests → ${nextDaySpeedup.toFixed(0)}× lower mean latency`,
    );
    const goals = [
      goal(
        'replayed session: mean latency ≥ 10× lower than direct context7 calls',
        meanSpeedup >= 10,
        `${meanSpeedup.toFixed(1)}× (${fmtMs(rt.mean)} vs ${fmtMs(dr.mean)}), cold cache, bound ${compulsoryBound.toFixed(1)}×; upstream ${runtimeApi} vs ${directApiSession}`,
      ),
    ];
    const results = {
      quick: options.quick === true,
      session: {
        seed: SEED,
        requests: REQUESTS,
        zipfExponent: ZIPF_EXPONENT,
        questions: questions.length,
        distinctAsked: distinct,
        upstreamDelayMs: UPSTREAM_DELAY_MS,
      },
      runtime: {
        latencyMs: rt,
        cachedLatencyMs: hitsOnly,
        uncachedLatencyMs: missesOnly,
        cachedAnswers: cached,
        apiRequests: runtimeApi,
        docsApiRequests: runtimeDocsApi,
      },
      direct: {
        what: 'query-docs (library id known) via a bare SDK Client over stdio to a second context7 process on the same loopback API',
        sampled: `every ${directStride === 1 ? '' : `${directStride}th `}request of the same sequence, sequentially, alternating with the runtime`,
        requestsAsked: directMs.length,
        latencyMs: dr,
        apiRequests: directApi,
        apiRequestsPerSession: directApiSession,
      },
      nextDay: {
        what: 'the same session replayed by a restarted runtime over the same storage (disk cache, memory-bank)',
        latencyMs: nd,
        cachedAnswers: nextDayCached,
        apiRequests: nextDayApi,
        meanLatencyRatio: nextDaySpeedup,
      },
      compulsoryMissBound: compulsoryBound,
      meanLatencyRatio: meanSpeedup,
      upstreamCallsRatio: upstreamRatio,
      goals,
    };
    if (options.write !== false) line(`  wrote ${writeResults('replay', results)}`);
    return results;
  });
}
