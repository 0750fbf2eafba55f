/**
 * The deployment guide's load test, on the real context7 server over the loopback API.
 *
 * hits — 1000 concurrent `fetch` calls answered by the local cache, as requests per second, next to
 *   1000 concurrent bare SDK `callTool('query-docs')` calls to context7 (no API delay): what the same
 *   burst costs without the hierarchy. Rounds alternate between the two.
 * single-flight — 1000 concurrent identical cold questions (API delay 150 ms): how many upstream
 *   calls they cause, counted at the adapter and at the API's request log. The goal is exactly one.
 *
 * Run: `npm run bench -- load` (add `--quick` for a short run).
 */
import { Context7Adapter } from '../src/core/adapters/context7';
import { KnowledgeHierarchy } from '../src/core/hierarchy/knowledge-hierarchy';
import type { KnowledgeAdapter } from '../src/core/knowledge';
import { context7Server } from '../test/helpers/servers';
import { apiRequests, DOCS_PATH, startContext7Api, startDirect, startPool } from './lib/servers';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { fmtMs, goal, ratio, summarize, writeResults } from './lib/stats';

const BURST = 1000;
const LIBRARY_ID = '/facebook/react';
const ADDRESS = { contextType: 'library_api', libraryId: LIBRARY_ID } as const;
/** Distinct cached questions the hit burst spreads over. */
const CACHED_QUESTIONS = 100;
const UPSTREAM_DELAY_MS = 150;

const line = (text: string): void => void process.stdout.write(`${text}\n`);

/** Wraps an adapter to count the `fetch` calls that reach it (one per upstream call). */
function counting(adapter: KnowledgeAdapter): { adapter: KnowledgeAdapter; calls: () => number } {
  let calls = 0;
  const wrapped: KnowledgeAdapter = {
    serverName: adapter.serverName,
    kind: adapter.kind,
    writable: adapter.writable,
    fetch: (query, options) => {
      calls++;
      return adapter.fetch(query, options);
    },
    store: (key, value, options) => adapter.store(key, value, options),
    invalidate: (key, options) => adapter.invalidate(key, options),
  };
  return { adapter: wrapped, calls: () => calls };
}

/** Runs `burst` concurrently and returns requests per second. */
async function throughput(burst: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await Promise.all(Array.from({ length: BURST }, (_, i) => burst(i)));
  return BURST / ((performance.now() - start) / 1000);
}

async function openHierarchy(scope: BenchScope, adapter: KnowledgeAdapter): Promise<KnowledgeHierarchy> {
  const hierarchy = await KnowledgeHierarchy.create({
    layers: [{ name: 'docs', priority: 3, latencyTargetMs: 500, timeoutMs: 10_000, adapters: [adapter] }],
    authority: { library_api: ['docs'] },
    ttlByType: { library_api: 604_800 },
    cache: { cacheDir: scope.tempDir('cache') },
  });
  return scope.own(hierarchy, (h) => h.shutdown());
}

export async function runLoadBench(options: BenchOptions = {}): Promise<object> {
  const hitRounds = options.quick ? 5 : 30;
  const directRounds = options.quick ? 1 : 5;
  const flightRounds = options.quick ? 1 : 5;
  line(
    `load: ${BURST} concurrent lookups — hits (${hitRounds} rounds) vs bare callTool (${directRounds} rounds); identical cold questions (${flightRounds} rounds)`,
  );
  return withScope(async (scope) => {
    const api = await startContext7Api(scope);
    const direct = await startDirect(scope, context7Server(api.apiUrl, { name: 'context7-direct' }));
    const pool = startPool(scope, [context7Server(api.apiUrl)]);
    const upstream = counting(new Context7Adapter({ caller: pool.caller('context7') }));
    const hierarchy = await openHierarchy(scope, upstream.adapter);

    // Hits: answers cached by asking each question once (this also starts the pooled server).
    const questions = Array.from({ length: CACHED_QUESTIONS }, (_, i) => `state management question ${i}`);
    for (const question of questions) {
      const result = await hierarchy.fetch(question, ADDRESS);
      if (!result.success) throw new Error(`could not prime the cache: ${result.error ?? ''}`);
    }
    let notCached = 0;
    const hitBurst = async (i: number): Promise<void> => {
      const result = await hierarchy.fetch(questions[i % questions.length] ?? '', ADDRESS);
      if (!result.cached) notCached++;
    };
    const directBurst = async (): Promise<void> => {
      const result = await direct.callTool('query-docs', { libraryId: LIBRARY_ID, query: 'state management' });
      if (result.isError) throw new Error('a direct call failed');
    };
    await throughput(hitBurst); // warm-up
    await throughput(directBurst);
    const hitRates: number[] = [];
    const directRates: number[] = [];
    let directApiRequests = 0;
    for (let round = 0; round < hitRounds; round++) {
      hitRates.push(await throughput(hitBurst));
      if (round < directRounds) {
        const before = apiRequests(api, DOCS_PATH);
        directRates.push(await throughput(directBurst));
        directApiRequests += apiRequests(api, DOCS_PATH) - before;
      }
    }
    if (notCached > 0) throw new Error(`${notCached} lookups in the hit bursts were not cache hits`);
    const hits = summarize(hitRates);
    const directs = summarize(directRates);
    // Throughput: more is better, so the ratio is candidate / baseline.
    const speedup = ratio(hits.p50, directs.p50);
    line(
      `  hits: ${Math.round(hits.p50).toLocaleString('en')} req/s (median of ${hits.n}; min ${Math.round(hits.min).toLocaleString('en')})`,
    );
    line(
      `  bare callTool: ${Math.round(directs.p50).toLocaleString('en')} req/s (median of ${directs.n}), ${directApiRequests} API requests for ${directs.n * BURST} calls`,
    );
    line(`  hits serve ${speedup.toFixed(1)}× the requests per second`);

    // Single-flight: identical cold questions in a burst, with a realistic upstream delay.
    api.delayMs = UPSTREAM_DELAY_MS;
    const flights: Array<{
      question: string;
      adapterCalls: number;
      apiRequests: number;
      answered: number;
      distinctAnswers: number;
      wallMs: number;
    }> = [];
    for (let round = 0; round < flightRounds; round++) {
      const question = `suspense boundaries round ${round}`;
      const callsBefore = upstream.calls();
      const apiBefore = apiRequests(api, DOCS_PATH);
      const start = performance.now();
      const results = await Promise.all(Array.from({ length: BURST }, () => hierarchy.fetch(question, ADDRESS)));
      const wallMs = performance.now() - start;
      flights.push({
        question,
        adapterCalls: upstream.calls() - callsBefore,
        apiRequests: apiRequests(api, DOCS_PATH) - apiBefore,
        answered: results.filter((r) => r.success).length,
        distinctAnswers: new Set(results.map((r) => r.content)).size,
        wallMs,
      });
    }
    api.delayMs = 0;
    const worst = flights.reduce((max, f) => Math.max(max, f.adapterCalls, f.apiRequests), 0);
    const allAnswered = flights.every((f) => f.answered === BURST && f.distinctAnswers === 1);
    const wall = summarize(flights.map((f) => f.wallMs));
    line(
      `  ${BURST} identical cold questions × ${flights.length}: upstream calls per burst ${flights.map((f) => f.apiRequests).join(', ')} (adapter ${flights.map((f) => f.adapterCalls).join(', ')}), all answered: ${allAnswered}, wall p50 ${fmtMs(wall.p50)}`,
    );
    line(`  without single-flight (bare callTool): ${BURST} calls → ${BURST} upstream calls`);

    const goals = [
      goal(
        `${BURST} concurrent hits serve more requests per second than bare callTool`,
        speedup > 1,
        `${Math.round(hits.p50)} vs ${Math.round(directs.p50)} req/s (${speedup.toFixed(1)}×)`,
      ),
      goal(
        `${BURST} identical cold questions cause exactly 1 upstream call`,
        worst === 1 && allAnswered,
        `max ${worst} per burst over ${flights.length} bursts; all answered identically: ${allAnswered}`,
      ),
    ];
    const results = {
      quick: options.quick === true,
      burst: BURST,
      hits: { requestsPerSecond: hits, rounds: hitRounds, cachedQuestions: CACHED_QUESTIONS },
      baseline: {
        what: 'query-docs via a bare SDK Client over stdio to a second context7 process, loopback API without delay',
        requestsPerSecond: directs,
        rounds: directRounds,
        apiRequests: directApiRequests,
        calls: directRounds * BURST,
      },
      hitsSpeedup: speedup,
      singleFlight: {
        upstreamDelayMs: UPSTREAM_DELAY_MS,
        bursts: flights,
        wallMs: wall,
        maxUpstreamCallsPerBurst: worst,
        allAnswered,
      },
      goals,
    };
    if (options.write !== false) line(`  wrote ${writeResults('load', results)}`);
    return results;
  });
}
