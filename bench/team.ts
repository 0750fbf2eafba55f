/**
 * The team gateway: real `mcp-integration serve --http` processes (the built CLI) on one real Redis,
 * in front of real context7 on the loopback API; the load is HTTP `tools/call` requests over
 * keep-alive connections, as a load balancer sends them.
 *
 * - *hit throughput*: cached docs calls (answered from each instance's memory level) sent to one
 *   instance, then spread over three; requests per second, rounds alternating, ratio three / one.
 * - *two-person session*: two people asking overlapping questions at the same time (API delay
 *   150 ms, as agent-session), each through an instance of their own: two instances sharing one
 *   Redis against two instances with separate caches (no Redis). Upstream calls and mean latency.
 *
 * Run: `npm run bench -- team` (add `--quick` for a short run).
 */
import { cpus } from 'node:os';
import { FakeContext7Api } from '../test/fixtures/context7-api';
import { jsonRpcMessage } from '../test/helpers/mcp-http-call';
import { TestRedis } from '../test/helpers/redis-server';
import type { ServeProcess } from '../test/helpers/serve-process';
import { startTeamInstance, untilContext7Answers, writeTokenFile } from '../test/helpers/team-gateway';
import { ensureCliBundle } from '../test/integration/cli/cli-runner';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { apiRequests, DOCS_PATH } from './lib/servers';
import { fmtMs, goal, ratio, summarize, writeResults } from './lib/stats';
import { seededRandom, shuffled } from './lib/workload';

const UPSTREAM_DELAY_MS = 150;
/** Keys the hit load cycles through, each cached on every instance before it is measured. */
const HIT_KEYS = 20;
const HIT_CONCURRENCY = 48;
/** Goals: three instances serve hits at least 1.5× as fast as one; the shared cache saves the overlap. */
const THROUGHPUT_GOAL = 1.5;

const line = (text: string): void => void process.stdout.write(`${text}\n`);

type Args = Record<string, unknown>;

/** A `tools/call` over a keep-alive connection (fetch's pool); throws on anything but a tool answer. */
async function callTool(url: string, token: string, name: string, args: Args): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body = await response.text();
  const result = jsonRpcMessage(body)?.result as { isError?: boolean } | undefined;
  if (response.status !== 200 || !result || result.isError === true)
    throw new Error(`${name} answered ${response.status}: ${body.slice(0, 200)}`);
}

const docs = (libraryId: string, query: string): Args => ({ libraryId, query });

/** Sends `total` requests, `concurrency` at a time, request i to `urls[i % urls.length]`; requests per second. */
async function throughput(urls: string[], token: string, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      await callTool(urls[i % urls.length] as string, token, 'context7__query-docs', hitKey(i % HIT_KEYS));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

const hitKey = (i: number): Args => docs('/numpy/numpy', `hit throughput key ${i}`);

/** Two people's questions: `perPerson` each, half of them asked by both, in a seeded order. */
export function twoPersonSession(perPerson: number): { a: Args[]; b: Args[]; distinct: number } {
  const libraries = ['/pandas-dev/pandas', '/facebook/react', '/expressjs/express', '/colinhacks/zod'];
  const question = (tag: string, i: number): Args =>
    docs(libraries[i % libraries.length] as string, `${tag} question ${i}`);
  const overlap = Math.floor(perPerson / 2);
  const common = Array.from({ length: overlap }, (_, i) => question('team', i));
  const own = (who: string): Args[] => Array.from({ length: perPerson - overlap }, (_, i) => question(who, i));
  const random = seededRandom(11);
  return {
    a: shuffled([...common, ...own('alice')], random),
    b: shuffled([...common, ...own('bob')], random),
    distinct: overlap + 2 * (perPerson - overlap),
  };
}

interface SessionFigures {
  upstreamCalls: number;
  latencyMs: ReturnType<typeof summarize>;
}

/** Both people at once, each asking in order through their own instance. */
async function replay(
  api: FakeContext7Api,
  urls: [string, string],
  token: string,
  session: { a: Args[]; b: Args[] },
): Promise<SessionFigures> {
  const before = apiRequests(api, DOCS_PATH);
  const latencies: number[] = [];
  const person = async (url: string, questions: Args[]): Promise<void> => {
    for (const args of questions) {
      const started = performance.now();
      await callTool(url, token, 'context7__query-docs', args);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all([person(urls[0], session.a), person(urls[1], session.b)]);
  return { upstreamCalls: apiRequests(api, DOCS_PATH) - before, latencyMs: summarize(latencies) };
}

async function startInstances(scope: BenchScope, api: FakeContext7Api, redis: TestRedis) {
  const token = writeTokenFile(scope.tempDir('team-token'));
  const start = async (redisUrl: string | undefined): Promise<ServeProcess> => {
    const instance = await startTeamInstance({
      apiUrl: api.apiUrl,
      tokenFile: token.file,
      makeDir: (prefix) => scope.tempDir(prefix.replace(/-$/, '')),
      // Docs only: the memory layer plays no part here, and five fewer processes start.
      withMemory: false,
      ...(redisUrl ? { redisUrl, prefix: 'bench:' } : {}),
    });
    scope.own(instance, (serve) => serve.stop(5000));
    await untilContext7Answers(instance.url, token.token);
    return instance;
  };
  // Three on the Redis (the hit load; the first two are also the shared side), two without.
  const all = await Promise.all([redis.url, redis.url, redis.url, undefined, undefined].map(start));
  return { token: token.token, shared: all.slice(0, 3), separate: all.slice(3) };
}

export async function runTeamBench(options: BenchOptions = {}): Promise<object> {
  const quick = options.quick === true;
  const hitRequests = quick ? 600 : 4000;
  const rounds = quick ? 1 : 3;
  const perPerson = quick ? 20 : 40;
  await ensureCliBundle();
  return withScope(async (scope) => {
    const redis = scope.own(await TestRedis.start(), (r) => r.stop());
    const api = scope.own(await FakeContext7Api.start(), (a) => a.close());
    const started = performance.now();
    const { token, shared, separate } = await startInstances(scope, api, redis);
    const startupMs = performance.now() - started;
    line(`team: 5 serve --http processes up in ${fmtMs(startupMs)} (${cpus().length} cores)`);

    // Hit throughput: every key cached in every instance's memory before anything is measured.
    const three = shared.map((s) => s.url);
    for (const url of three)
      for (let i = 0; i < HIT_KEYS; i++) await callTool(url, token, 'context7__query-docs', hitKey(i));
    const one = [three[0] as string];
    await throughput(three, token, Math.min(200, hitRequests), HIT_CONCURRENCY);
    const perRound = { one: [] as number[], three: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      perRound.one.push(await throughput(one, token, hitRequests, HIT_CONCURRENCY));
      perRound.three.push(await throughput(three, token, hitRequests, HIT_CONCURRENCY));
    }
    const median = (values: number[]): number => summarize(values).p50;
    const rate = { one: median(perRound.one), three: median(perRound.three) };
    const throughputRatio = ratio(rate.three, rate.one);
    line(
      `  hit throughput (${hitRequests} cached calls, ${HIT_CONCURRENCY} at a time, median of ${rounds}): one instance ${rate.one.toFixed(0)} req/s, three ${rate.three.toFixed(0)} req/s → ${throughputRatio.toFixed(2)}×`,
    );

    // Two people at once, 150 ms API: separate caches first, then one shared cache.
    api.delayMs = UPSTREAM_DELAY_MS;
    const session = twoPersonSession(perPerson);
    const separateSide = await replay(api, [separate[0]?.url ?? '', separate[1]?.url ?? ''], token, session);
    const sharedSide = await replay(api, [shared[0]?.url ?? '', shared[1]?.url ?? ''], token, session);
    const upstreamRatio = ratio(separateSide.upstreamCalls, sharedSide.upstreamCalls);
    const latencyRatio = ratio(separateSide.latencyMs.mean, sharedSide.latencyMs.mean);
    line(
      `  two-person session (${perPerson} questions each, ${perPerson - Math.floor(perPerson / 2)} own, ${session.distinct} distinct; API ${UPSTREAM_DELAY_MS} ms):`,
    );
    line(
      `    shared cache:    ${sharedSide.upstreamCalls} upstream calls, mean ${fmtMs(sharedSide.latencyMs.mean)}, p50 ${fmtMs(sharedSide.latencyMs.p50)}`,
    );
    line(
      `    separate caches: ${separateSide.upstreamCalls} upstream calls, mean ${fmtMs(separateSide.latencyMs.mean)}, p50 ${fmtMs(separateSide.latencyMs.p50)}`,
    );
    line(`    → ${upstreamRatio.toFixed(2)}× fewer upstream calls, mean latency ${latencyRatio.toFixed(2)}× lower`);

    const goals = [
      goal(
        `hit throughput of three instances at least ${THROUGHPUT_GOAL}× one (same Redis)`,
        throughputRatio >= THROUGHPUT_GOAL,
        `${throughputRatio.toFixed(2)}× (${rate.three.toFixed(0)} vs ${rate.one.toFixed(0)} req/s on ${cpus().length} cores)`,
      ),
      goal(
        'two-person session: one upstream call per distinct question with a shared cache',
        sharedSide.upstreamCalls === session.distinct,
        `${sharedSide.upstreamCalls} vs ${session.distinct} distinct; separate caches ${separateSide.upstreamCalls} (${upstreamRatio.toFixed(2)}× more)`,
      ),
    ];
    const results = {
      quick,
      cores: cpus().length,
      startupMs,
      hitThroughput: {
        what: 'cached query-docs calls over keep-alive HTTP: all to one instance vs spread over three (same Redis)',
        requests: hitRequests,
        concurrency: HIT_CONCURRENCY,
        rounds,
        oneInstanceRps: rate.one,
        threeInstancesRps: rate.three,
        perRound,
        ratio: throughputRatio,
      },
      twoPersonSession: {
        what: 'two people at once, each through their own instance; shared = two instances on one Redis, separate = two without',
        perPerson,
        overlap: Math.floor(perPerson / 2),
        distinct: session.distinct,
        upstreamDelayMs: UPSTREAM_DELAY_MS,
        shared: sharedSide,
        separate: separateSide,
        upstreamRatio,
        meanLatencyRatio: latencyRatio,
      },
      goals,
    };
    if (options.write !== false) line(`  wrote ${writeResults('team', results)}`);
    return results;
  });
}
