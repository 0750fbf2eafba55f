/**
 * Agent session through `serve`: a real SDK client talks to the CLI's `serve` over stdio (the
 * gateway: `context7__resolve-library-id`, `context7__query-docs`, cached under the shipped rules),
 * next to a bare SDK client talking to a second real context7 process, both on one loopback API.
 *
 * - *session*: the replayed calls of {@link agentSession} with the API delayed 150 ms, the two sides
 *   alternating call by call; upstream calls are the API's request log, and the bound is what a
 *   perfect cache would pay: one upstream call per distinct key.
 * - *miss overhead*: no API delay, a new docs question every call (so the gateway always misses),
 *   interleaved with the same calls sent directly; p50 gateway minus p50 direct. Measured twice:
 *   through `serve` (a second process, so a second stdio hop) and through the same gateway server
 *   in this process (one hop on each side: what the gateway itself adds).
 *
 * Run: `npm run bench -- agent-session` (add `--quick` for a short run).
 */
import { type CallToolResult, Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { serialiseSends } from '../src/core/mcp/serial-send';
import { writeTestConfig } from '../test/helpers/config-files';
import { context7Server } from '../test/helpers/servers';
import { ensureCliBundle } from '../test/integration/cli/cli-runner';
import { serveCommandLine } from '../test/integration/serve/harness';
import { type AgentCall, agentSession, perfectCacheKey } from './lib/agent-workload';
import { startInProcessGateway } from './lib/in-process-gateway';
import { interleaved } from './lib/interleave';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { apiRequests, startContext7Api, startDirect } from './lib/servers';
import { fmtMs, goal, ratio, sample, summarize, writeResults } from './lib/stats';

const CONVERSATIONS = 36;
const UPSTREAM_DELAY_MS = 150;
const MISS_ITERATIONS = 300;
const MISS_WARMUP = 20;
/** Goals: upstream calls within 10 % of the perfect-cache bound; miss overhead under 1 ms at p50. */
const UPSTREAM_SLACK = 0.1;
const MISS_OVERHEAD_GOAL_MS = 1;
const CALL_TIMEOUT_MS = 30_000;

const line = (text: string): void => void process.stdout.write(`${text}\n`);

type Call = (tool: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** `serve` over stdio from the built CLI, with its own configuration and storage; a connected client. */
async function startServe(scope: BenchScope, apiUrl: string): Promise<Call> {
  await ensureCliBundle();
  const configDir = scope.tempDir('agent-config');
  writeTestConfig(configDir, { context7ApiUrl: apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
  // Queued writes, as the runtime's own stdio transport (one `drain` wait at a time).
  const folders = {
    configDir,
    storageDir: scope.tempDir('agent-storage'),
    workspaceDir: scope.tempDir('agent-workspace'),
  };
  const transport = serialiseSends(new StdioClientTransport({ ...serveCommandLine(folders), stderr: 'ignore' }));
  const client = new Client({ name: 'bench-agent', version: '1.0.0' });
  await client.connect(transport);
  scope.own(client, (c) => c.close());
  const names = (await client.listTools()).tools.map((tool) => tool.name);
  for (const wanted of ['context7__resolve-library-id', 'context7__query-docs'])
    if (!names.includes(wanted)) throw new Error(`serve does not list ${wanted}: ${names.join(', ')}`);
  return (tool, args) => client.callTool({ name: `context7__${tool}`, arguments: args }, { timeout: CALL_TIMEOUT_MS });
}

interface SideFigures {
  latencyMs: ReturnType<typeof summarize>;
  upstreamCalls: number;
}

export async function runAgentSessionBench(options: BenchOptions = {}): Promise<object> {
  const calls = agentSession(CONVERSATIONS);
  const distinctKeys = new Set(calls.map(perfectCacheKey)).size;
  const origins = { first: 0, reask: 0, retry: 0 };
  for (const call of calls) origins[call.origin]++;
  const missIterations = options.quick ? 60 : MISS_ITERATIONS;
  line(
    `agent-session: ${CONVERSATIONS} conversations, ${calls.length} calls (${origins.first} first asks, ${origins.reask} re-asked docs questions, ${origins.retry} retries), ${distinctKeys} distinct keys; API delay ${UPSTREAM_DELAY_MS} ms`,
  );
  return withScope(async (scope) => {
    const api = await startContext7Api(scope, { delayMs: UPSTREAM_DELAY_MS });
    const direct = await startDirect(scope, context7Server(api.apiUrl, { name: 'context7-direct' }));
    const gateway = await startServe(scope, api.apiUrl);
    const directCall: Call = (tool, args) => direct.callTool(tool, args);

    // Warm-up outside the session: starts serve's context7 and both first request paths.
    const warm = { libraryName: 'lodash-warm-up', query: 'warm-up' };
    await gateway('resolve-library-id', warm);
    await directCall('resolve-library-id', warm);

    const samples = { gateway: [] as number[], direct: [] as number[] };
    const upstream = { gateway: 0, direct: 0 };
    let failed = 0;
    const ask = async (side: 'gateway' | 'direct', call: AgentCall): Promise<void> => {
      const before = apiRequests(api);
      const start = performance.now();
      const result = await (side === 'gateway' ? gateway : directCall)(call.tool, call.args);
      samples[side].push(performance.now() - start);
      upstream[side] += apiRequests(api) - before;
      if (result.isError) failed++;
    };
    for (const [i, call] of calls.entries()) {
      const order = i % 2 === 0 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
      for (const side of order) await ask(side, call);
    }
    if (failed > 0) throw new Error(`${failed} session calls failed`);

    // Miss overhead: no delay, every docs question new to the gateway's cache.
    api.delayMs = 0;
    const docs = (i: number): Record<string, string> => ({ libraryId: '/facebook/react', query: `miss question ${i}` });
    const paired = await interleaved(
      async (i) => void (await directCall('query-docs', docs(i))),
      async (i) => {
        const result = await gateway('query-docs', docs(i));
        if (result.isError) throw new Error(`gateway miss call failed: ${JSON.stringify(result.content)}`);
      },
      missIterations,
      MISS_WARMUP,
    );
    // What the extra hop costs by itself: the same gateway answering from its cache (no upstream).
    const hitMs = await sample(() => gateway('query-docs', docs(0)), Math.ceil(missIterations / 3), 10);
    // The gateway's own cost: the same server in this process, its context7 on the same API. What
    // it does after an answer (the disk write, the record) runs untimed between calls, as it does
    // while an agent's model reads the answer; it adds to neither side.
    const inProcess = await startInProcessGateway(scope, api.apiUrl, 'context7');
    const ownDocs = (i: number): Record<string, string> => ({
      libraryId: '/facebook/react',
      query: `own question ${i}`,
    });
    const own = await interleaved(
      async (i) => void (await directCall('query-docs', ownDocs(i))),
      async (i) => {
        const result = await inProcess.call('query-docs', ownDocs(i));
        if (result.isError) throw new Error(`in-process gateway call failed: ${JSON.stringify(result.content)}`);
      },
      missIterations,
      MISS_WARMUP,
      1,
      inProcess.settle,
    );

    const gw: SideFigures = { latencyMs: summarize(samples.gateway), upstreamCalls: upstream.gateway };
    const dr: SideFigures = { latencyMs: summarize(samples.direct), upstreamCalls: upstream.direct };
    const meanRatio = ratio(dr.latencyMs.mean, gw.latencyMs.mean);
    const overBound = gw.upstreamCalls / distinctKeys - 1;
    const missGateway = summarize(paired.candidate);
    const missDirect = summarize(paired.baseline);
    const missOverheadMs = missGateway.p50 - missDirect.p50;
    const gatewayHit = summarize(hitMs);
    const ownGateway = summarize(own.candidate);
    const ownDirect = summarize(own.baseline);
    const ownOverheadMs = ownGateway.p50 - ownDirect.p50;
    line(
      `  gateway: mean ${fmtMs(gw.latencyMs.mean)}, p50 ${fmtMs(gw.latencyMs.p50)}, p99 ${fmtMs(gw.latencyMs.p99)}; ${gw.upstreamCalls} upstream calls`,
    );
    line(
      `  direct:  mean ${fmtMs(dr.latencyMs.mean)}, p50 ${fmtMs(dr.latencyMs.p50)}, p99 ${fmtMs(dr.latencyMs.p99)}; ${dr.upstreamCalls} upstream calls`,
    );
    line(
      `  mean latency ${meanRatio.toFixed(2)}× lower; upstream ${gw.upstreamCalls} vs ${dr.upstreamCalls} direct (${ratio(dr.upstreamCalls, gw.upstreamCalls).toFixed(2)}× fewer); perfect-cache bound ${distinctKeys} (${ratio(calls.length, distinctKeys).toFixed(2)}× fewer)`,
    );
    line(
      `  cold call, no API delay (n=${missGateway.n}): gateway p50 ${fmtMs(missGateway.p50)}, direct p50 ${fmtMs(missDirect.p50)} → overhead ${fmtMs(missOverheadMs)} (mean ${fmtMs(missGateway.mean - missDirect.mean)})`,
    );
    line(
      `  gateway cache hit over the same stdio hop (n=${gatewayHit.n}): p50 ${fmtMs(gatewayHit.p50)}, p99 ${fmtMs(gatewayHit.p99)}`,
    );
    line(
      `  cold call, gateway in process (n=${ownGateway.n}): gateway p50 ${fmtMs(ownGateway.p50)}, direct p50 ${fmtMs(ownDirect.p50)} → the gateway's own overhead ${fmtMs(ownOverheadMs)}`,
    );
    const goals = [
      goal(
        'agent session: upstream calls through the gateway within 10 % of the perfect-cache bound',
        overBound <= UPSTREAM_SLACK,
        `${gw.upstreamCalls} vs bound ${distinctKeys} (${(overBound * 100).toFixed(1)} % over); direct ${dr.upstreamCalls}; mean latency ${meanRatio.toFixed(2)}× lower (${fmtMs(gw.latencyMs.mean)} vs ${fmtMs(dr.latencyMs.mean)})`,
      ),
      goal(
        'gateway miss overhead under 1 ms at p50 against a direct call (no API delay), through serve over stdio',
        missOverheadMs < MISS_OVERHEAD_GOAL_MS,
        `${fmtMs(missOverheadMs)} (${fmtMs(missGateway.p50)} vs ${fmtMs(missDirect.p50)}, n=${missGateway.n}); a cached answer over the same hop takes ${fmtMs(gatewayHit.p50)}`,
      ),
      goal(
        "the gateway's own miss overhead under 1 ms at p50 (in process: one stdio hop on each side)",
        ownOverheadMs < MISS_OVERHEAD_GOAL_MS,
        `${fmtMs(ownOverheadMs)} (${fmtMs(ownGateway.p50)} vs ${fmtMs(ownDirect.p50)}, n=${ownGateway.n})`,
      ),
    ];
    const results = {
      quick: options.quick === true,
      session: {
        conversations: CONVERSATIONS,
        calls: calls.length,
        origins,
        distinctKeys,
        upstreamDelayMs: UPSTREAM_DELAY_MS,
      },
      gateway: {
        what: 'a real SDK client → `mcp-integration serve` over stdio (built CLI) → real context7 on the loopback API',
        ...gw,
      },
      direct: { what: 'a bare SDK client over stdio to a second real context7 process on the same API', ...dr },
      perfectCacheBound: distinctKeys,
      upstreamOverBound: overBound,
      meanLatencyRatio: meanRatio,
      missOverhead: {
        what: 'query-docs with a new question every call (gateway always misses), interleaved, API delay 0',
        gatewayMs: missGateway,
        directMs: missDirect,
        p50OverheadMs: missOverheadMs,
        gatewayHitMs: gatewayHit,
      },
      ownOverhead: {
        what: 'the same calls through the gateway server in this process (SDK in-memory transport), against the direct client',
        gatewayMs: ownGateway,
        directMs: ownDirect,
        p50OverheadMs: ownOverheadMs,
      },
      goals,
    };
    if (options.write !== false) line(`  wrote ${writeResults('agent-session', results)}`);
    return results;
  });
}
