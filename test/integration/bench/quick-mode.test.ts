/**
 * The runtime benchmarks' quick mode, once each, against the real servers: checks that every
 * benchmark runs to the end, cleans up, and reports the fields and counts its JSON promises.
 * Timings are never asserted (they belong to the benchmark output, not to a test).
 */
import { strict as assert } from 'node:assert';
import { runAgentSessionBench } from '../../../bench/agent-session';
import { agentSession, perfectCacheKey } from '../../../bench/lib/agent-workload';
import { runHitLatencyBench, runMissOverheadBench } from '../../../bench/hierarchy';
import { runLoadBench } from '../../../bench/load';
import { runMembersBench } from '../../../bench/members';
import { PRELOAD_LIBRARIES, runPreloadBench } from '../../../bench/preload';
import { replaySession, runReplayBench } from '../../../bench/replay';
import { runTeamBench, twoPersonSession } from '../../../bench/team';
import { BENCHMARKS, selectBenchmarks } from '../../../bench/run';

const quick = { quick: true, write: false } as const;

/** The value at a dotted path, failing the test when any step is missing. */
function field(value: unknown, dotted: string): unknown {
  let current = value;
  for (const key of dotted.split('.')) {
    assert.ok(current !== null && typeof current === 'object' && key in current, `results lack "${dotted}"`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function assertGoals(results: object, count: number): void {
  const goals = field(results, 'goals');
  assert.ok(Array.isArray(goals));
  assert.equal(goals.length, count);
  for (const g of goals as unknown[]) {
    assert.equal(typeof field(g, 'label'), 'string');
    assert.equal(typeof field(g, 'met'), 'boolean');
    assert.equal(typeof field(g, 'detail'), 'string');
  }
}

function assertSummary(results: object, dotted: string, n: number): void {
  assert.equal(field(results, `${dotted}.n`), n, `${dotted}.n`);
  for (const key of ['mean', 'p50', 'p95', 'p99', 'min', 'max'])
    assert.equal(typeof field(results, `${dotted}.${key}`), 'number', `${dotted}.${key}`);
}

describe('benchmarks (quick mode, structure only)', function () {
  this.timeout(120_000);

  it('the runner lists every benchmark and filters by name', () => {
    assert.deepEqual(
      BENCHMARKS.map((b) => b.name),
      ['hit-latency', 'miss-overhead', 'load', 'replay', 'agent-session', 'team', 'preload', 'detection', 'members'],
    );
    assert.deepEqual(selectBenchmarks([]).length, BENCHMARKS.length);
    assert.deepEqual(
      selectBenchmarks(['load']).map((b) => b.name),
      ['load', 'preload'],
    );
    assert.deepEqual(
      selectBenchmarks(['LATENCY', 'replay']).map((b) => b.name),
      ['hit-latency', 'replay'],
    );
    assert.deepEqual(selectBenchmarks(['nothing-like-this']), []);
  });

  it('hit-latency times every memory and disk hit it promises', async () => {
    const results = await runHitLatencyBench(quick);
    const iterations = field(results, 'iterations');
    assert.equal(iterations, 300);
    assertSummary(results, 'memoryHit.latencyMs', 300);
    assertSummary(results, 'memoryHit.roundTripMs', 300);
    assertSummary(results, 'memoryHitAfterIo.latencyMs', 300);
    assertSummary(results, 'diskHit.latencyMs', 300);
    assert.equal(typeof field(results, 'memoryHit.speedupP50'), 'number');
    assertGoals(results, 2);
  });

  it('miss-overhead sends exactly one API request per timed or warm-up call on each side', async () => {
    const results = await runMissOverheadBench(quick);
    assert.equal(field(results, 'docsApiRequests'), field(results, 'docsApiRequestsExpected'));
    assertSummary(results, 'hierarchyVsDirect.baselineMs', 60);
    assertSummary(results, 'hierarchyVsDirect.candidateMs', 60);
    assert.equal(typeof field(results, 'sameProcessVsDirect.ratioP50'), 'number');
    assert.equal(typeof field(results, 'poolVsDirect.ratioMean'), 'number');
    assertGoals(results, 1);
  });

  it('load: 1000 identical cold questions cause one upstream call; every bare call causes one', async () => {
    const results = await runLoadBench(quick);
    assert.equal(field(results, 'singleFlight.maxUpstreamCallsPerBurst'), 1);
    assert.equal(field(results, 'singleFlight.allAnswered'), true);
    assert.equal(field(results, 'baseline.apiRequests'), field(results, 'baseline.calls'));
    assertSummary(results, 'hits.requestsPerSecond', 5);
    assertGoals(results, 2);
  });

  it('replay: the session is deterministic and every question reaches the API once', async () => {
    const first = replaySession();
    const again = replaySession();
    assert.deepEqual(again.sequence, first.sequence);
    assert.equal(first.questions.length, 60);
    assert.equal(first.sequence.length, 500);

    const results = await runReplayBench(quick);
    const distinct = field(results, 'session.distinctAsked');
    assert.equal(distinct, new Set(first.sequence).size);
    assert.equal(field(results, 'runtime.docsApiRequests'), distinct);
    assert.equal(field(results, 'runtime.cachedAnswers'), 500 - distinct);
    assert.equal(field(results, 'direct.requestsAsked'), 50);
    assert.equal(field(results, 'direct.apiRequests'), 50);
    assert.equal(field(results, 'nextDay.apiRequests'), 0);
    assert.equal(field(results, 'nextDay.cachedAnswers'), 500);
    assertSummary(results, 'runtime.latencyMs', 500);
    assertGoals(results, 1);
  });

  it('agent-session: a deterministic session of 36 conversations; through serve, one upstream call per distinct key', async () => {
    const calls = agentSession(36);
    assert.deepEqual(agentSession(36), calls);
    assert.equal(new Set(calls.map((c) => c.conversation)).size, 36);
    for (const origin of ['first', 'reask', 'retry'] as const)
      assert.ok(
        calls.some((c) => c.origin === origin),
        `the session has ${origin} calls`,
      );
    const distinct = new Set(calls.map(perfectCacheKey)).size;
    assert.ok(distinct < calls.length);

    const results = await runAgentSessionBench(quick);
    assert.equal(field(results, 'session.calls'), calls.length);
    assert.equal(field(results, 'perfectCacheBound'), distinct);
    assert.equal(field(results, 'direct.upstreamCalls'), calls.length);
    assert.equal(field(results, 'gateway.upstreamCalls'), distinct);
    assertSummary(results, 'gateway.latencyMs', calls.length);
    assertSummary(results, 'missOverhead.gatewayMs', 60);
    assertSummary(results, 'missOverhead.directMs', 60);
    assertSummary(results, 'ownOverhead.gatewayMs', 60);
    assertSummary(results, 'ownOverhead.directMs', 60);
    assertGoals(results, 3);
  });

  it('preload: every library gets cached by each path, with one docs request per library and topic, and none after a restart', async () => {
    const results = await runPreloadBench(quick);
    const libraries = PRELOAD_LIBRARIES.length;
    assert.equal(libraries, 8);
    const topics = field(results, 'setup.topics');
    assert.ok(Array.isArray(topics) && topics.length > 0);
    const expectedDocs = libraries * topics.length;
    assert.ok((field(results, 'setup.usedMembers') as number) > 0, 'the example files use members');
    assert.equal(field(results, 'setup.expectedDocsRequests'), expectedDocs);
    assert.equal(field(results, 'setup.rounds'), 1);
    for (const path of ['preloadWorkspace', 'openFiles', 'direct']) {
      const runs = field(results, `${path}.runs`) as unknown[];
      assert.equal(runs.length, 1, path);
      assert.equal(field(runs[0], 'librariesCached'), libraries, path);
      const members = path === 'openFiles' ? (field(results, 'setup.usedMembers') as number) : 0;
      assert.equal(field(runs[0], 'docsApiRequests'), expectedDocs + members, path);
      assertSummary(results, `${path}.allCachedMs`, 1);
      assertSummary(results, `${path}.firstReadyMs`, 1);
    }
    const restart = (field(results, 'restart.runs') as unknown[])[0];
    assert.equal(field(restart, 'librariesCached'), libraries);
    assert.equal(field(restart, 'apiRequests'), 0);
    assert.equal((field(restart, 'loaded') as number) + (field(restart, 'alreadyCached') as number), libraries);
    assert.equal(typeof field(results, 'ratios.preloadWorkspace'), 'number');
    assert.equal(typeof field(results, 'ratios.openFiles'), 'number');
    assertGoals(results, 4);
  });

  it('members: corpus, edit costs for seven languages, two workspaces with at least 40 questions', async () => {
    const results = await runMembersBench(quick);
    assert.equal(field(results, 'corpus.falsePositives'), 0);
    assert.equal(field(results, 'corpus.recall'), 1);
    const costs = field(results, 'editCost') as unknown[];
    assert.deepEqual(
      costs.map((c) => field(c, 'languageId')),
      ['python', 'javascript', 'typescript', 'typescriptreact', 'go', 'rust', 'java'],
    );
    for (const cost of costs) {
      assert.ok((field(cost, 'lines') as number) >= 2000);
      assert.equal(field(cost, 'editMs.n'), 50);
      assert.equal(typeof field(cost, 'breakdownMs.members.p50'), 'number');
    }
    const workspaces = field(results, 'workspaces') as unknown[];
    assert.deepEqual(
      workspaces.map((w) => field(w, 'name')),
      ['examples/workspace', 'generated'],
    );
    assert.ok((field(workspaces[1], 'files') as number) >= 30);
    for (const workspace of workspaces) {
      assert.ok((field(workspace, 'usedMembers') as number) > 0);
      assert.equal(field(workspace, 'questions'), field(workspace, 'usedMembers'));
      assert.ok((field(workspace, 'docsRequests') as number) <= (field(workspace, 'callsAllowed') as number));
    }
    assert.ok((field(results, 'totals.questions') as number) >= 40);
    assertGoals(results, 6);
  });

  it('team: a two-person session with half its questions shared; with one Redis, one upstream call per distinct question', async function () {
    this.timeout(240_000);
    const session = twoPersonSession(20);
    assert.equal(session.a.length, 20);
    assert.equal(new Set([...session.a, ...session.b].map((q) => JSON.stringify(q))).size, session.distinct);
    assert.equal(session.distinct, 30);
    const results = await runTeamBench(quick);
    assert.equal(field(results, 'hitThroughput.requests'), 600);
    for (const key of ['oneInstanceRps', 'threeInstancesRps', 'ratio'])
      assert.equal(typeof field(results, `hitThroughput.${key}`), 'number');
    assert.equal(field(results, 'twoPersonSession.shared.upstreamCalls'), 30);
    assert.equal(field(results, 'twoPersonSession.separate.upstreamCalls'), 40);
    assertSummary(results, 'twoPersonSession.shared.latencyMs', 40);
    assertGoals(results, 2);
  });
});
