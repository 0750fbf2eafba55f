/**
 * Member-level docs, end to end: detection quality and edit cost (see members-detection.ts), then
 * the full runtime (`createRuntime` with the real memory-bank and context7 servers, context7
 * against the loopback API delayed 150 ms per request) on two workspaces — a copy of
 * `examples/workspace`, and a generated one (35 files over Python, TypeScript, Go, Rust and Java,
 * with manifests):
 *
 *   preload    open every file (visible), then until every library is preloaded: time, upstream
 *              docs requests, the share of used members whose hover is answered from the cache
 *   questions  a question naming a used member for each (at least 40 in all), asked right after:
 *              the share answered on first ask, and their mean latency
 *
 * Baseline, in the same run: the same questions asked cold on a fresh runtime with no documents
 * open (the path every first question took before member preloading) — latency ratio and hit rate.
 *
 * Run: `npm run bench -- members` (add `--quick` for fewer edits).
 */
import { cpSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentDetection, McpIntegrationApi } from '../src/core/api';
import { ImportDetector } from '../src/core/detection/import-detector';
import { languageIdForPath } from '../src/core/detection/languages';
import type { HostPorts } from '../src/core/ports';
import { silentLogger } from '../src/core/ports';
import { createRuntime } from '../src/core/runtime';
import type { FakeContext7Api, FakeLibrary } from '../test/fixtures/context7-api';
import { writeTestConfig } from '../test/helpers/config-files';
import { corpusQuality, EDIT_LANGUAGES, editCost, type EditCost } from './members-detection';
import { writeMemberWorkspace } from './lib/member-workspace';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { apiRequests, DOCS_PATH, startContext7Api } from './lib/servers';
import { fmtMs, goal, ratio, summarize, writeResults } from './lib/stats';

const UPSTREAM_DELAY_MS = 150;
const TOPICS = ['getting started', 'api reference'];
/** Preload budgets of this run (the shipped defaults are 60 calls/min, concurrency 2). */
const CALLS_PER_MINUTE = 240;
const CONCURRENCY = 2;
const SETTLE_TIMEOUT_MS = 120_000;
const WARM_UP_QUESTION = 'fastapi warm-up question';
const EXAMPLE_WORKSPACE = path.resolve(__dirname, '..', 'examples', 'workspace');

/** Libraries of the generated workspace the loopback API does not know yet (ids as in library-cache.yaml). */
const EXTRA_LIBRARIES: FakeLibrary[] = [
  ['/gin-gonic/gin', 'Gin', 'HTTP web framework written in Go'],
  ['/spf13/cobra', 'Cobra', 'A commander for modern Go CLI interactions'],
  ['/tokio-rs/tokio', 'Tokio', 'An asynchronous runtime for Rust'],
  ['/serde-rs/json', 'serde_json', 'Strongly typed JSON library for Rust'],
  ['/seanmonstar/reqwest', 'reqwest', 'An easy and powerful Rust HTTP client'],
  ['/google/guava', 'Guava', 'Google core libraries for Java'],
  ['/fasterxml/jackson-databind', 'Jackson', 'General data-binding for Jackson'],
].map(([id, title, description]) => ({
  id: id as string,
  title: title as string,
  description: description as string,
  totalSnippets: 1000,
  trustScore: 9,
  versions: [],
}));

/** The word a person types for a library in a question. */
const LIBRARY_WORDS: Record<string, string> = {
  'github.com/gin-gonic/gin': 'gin',
  'github.com/spf13/cobra': 'cobra',
  'com.google.common.collect': 'guava',
  'com.fasterxml.jackson.databind': 'jackson',
};

const line = (text: string): void => void process.stdout.write(`${text}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface UsedMember {
  libraryId: string;
  module: string;
  path: string;
}

async function startRuntime(scope: BenchScope, api: FakeContext7Api, workspace?: string): Promise<McpIntegrationApi> {
  const configDir = scope.tempDir('members-config');
  writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, preloadStrategy: 'balanced', preloadTopics: TOPICS });
  const ports: HostPorts = {
    storageDir: scope.tempDir('members-storage'),
    logger: silentLogger,
    serverLogger: () => silentLogger,
    secrets: { get: async () => undefined },
    config: { defaultsDir: path.resolve(__dirname, '..', 'config'), userDir: configDir },
    ...(workspace ? { workspaceFolder: workspace } : {}),
    isWorkspaceTrusted: () => true,
  };
  const runtime = await createRuntime(ports, {
    installationId: 'bench',
    preloadConcurrency: CONCURRENCY,
    preloadCallsPerMinute: CALLS_PER_MINUTE,
  });
  scope.own(runtime, (r) => r.shutdown());
  const warm = await runtime.lookup(WARM_UP_QUESTION, { contextType: 'library_api' });
  if (!warm.success) throw new Error(`runtime warm-up failed: ${warm.error ?? ''}`);
  return runtime;
}

function membersOf(detections: DocumentDetection[]): UsedMember[] {
  const seen = new Map<string, UsedMember>();
  for (const detection of detections) {
    for (const member of detection.members) {
      const library = detection.libraries.find((l) => l.module === member.module);
      if (!library?.libraryId) continue;
      seen.set(`${library.libraryId} ${member.path}`, {
        libraryId: library.libraryId,
        module: member.module,
        path: member.path,
      });
    }
  }
  return [...seen.values()];
}

/** A question per used member that names it, in one of three everyday shapes. */
function questionsFor(members: UsedMember[]): string[] {
  return members.map((member, i) => {
    const word = LIBRARY_WORDS[member.module] ?? member.module;
    const path = member.path.replace(/!$/, '');
    const last = path.split('.').pop() ?? path;
    if (i % 3 === 0) return `how do I use ${word} ${last}`;
    if (i % 3 === 1) return `${word} ${path} example`;
    return `what does ${last} return in ${word}`;
  });
}

interface WorkspaceRun {
  name: string;
  files: number;
  libraries: number;
  usedMembers: number;
  allPreloadedMs: number;
  docsRequests: number;
  memberHoversCached: number;
  memberHoverShare: number;
  questions: number;
  firstAskHits: number;
  /** Of those, answered from a member's preloaded docs (trail outcome `preloaded`). */
  firstAskPreloaded: number;
  firstAskLatencyMs: ReturnType<typeof summarize>;
  coldHits: number;
  coldLatencyMs: ReturnType<typeof summarize>;
  latencyRatio: number;
  /** Upstream calls the per-minute budget allowed in that time (a full bucket plus its refill). */
  callsAllowed: number;
}

async function measureWorkspace(
  scope: BenchScope,
  api: FakeContext7Api,
  name: string,
  dir: string,
  files: string[],
): Promise<WorkspaceRun> {
  const runtime = await startRuntime(scope, api, dir);
  const beforeDocs = apiRequests(api, DOCS_PATH);
  const t0 = performance.now();
  const detections: DocumentDetection[] = [];
  for (const file of files) {
    const languageId = languageIdForPath(file);
    if (!languageId) continue;
    const detection = await runtime.openDocument({
      uri: `file://${file}`,
      languageId,
      text: await readFile(file, 'utf8'),
      visible: true,
    });
    if (detection) detections.push(detection);
  }
  const libraryIds = new Set(detections.flatMap((d) => d.libraries.flatMap((l) => (l.libraryId ? [l.libraryId] : []))));
  const settled = (): boolean => {
    const states = runtime.getDashboardData().libraries.filter((s) => libraryIds.has(s.libraryId));
    return states.length >= libraryIds.size && states.every((s) => s.status === 'ready' || s.status === 'failed');
  };
  while (!settled()) {
    if (performance.now() - t0 > SETTLE_TIMEOUT_MS) throw new Error(`${name}: preloading did not settle`);
    await sleep(5);
  }
  const allPreloadedMs = performance.now() - t0;
  const docsRequests = apiRequests(api, DOCS_PATH) - beforeDocs;
  const members = membersOf(detections);
  const memberHoversCached = members.filter((m) => runtime.cachedMemberDocs(m.libraryId, m.path) !== null).length;

  const questions = questionsFor(members);
  const first: number[] = [];
  let firstAskHits = 0;
  let firstAskPreloaded = 0;
  for (const question of questions) {
    const result = await runtime.lookup(question);
    first.push(result.latencyMs);
    if (result.success && result.cached) firstAskHits++;
    if (result.trail.some((entry) => entry.outcome === 'preloaded')) firstAskPreloaded++;
  }

  // The baseline: a fresh runtime, nothing open, each question asked cold.
  const cold = await startRuntime(scope, api, dir);
  const coldLatencies: number[] = [];
  let coldHits = 0;
  for (const question of questions) {
    const result = await cold.lookup(question);
    coldLatencies.push(result.latencyMs);
    if (result.success && result.cached) coldHits++;
  }
  const firstAskLatencyMs = summarize(first);
  const coldLatencyMs = summarize(coldLatencies);
  return {
    name,
    files: detections.length,
    libraries: libraryIds.size,
    usedMembers: members.length,
    allPreloadedMs,
    docsRequests,
    memberHoversCached,
    memberHoverShare: members.length === 0 ? 0 : memberHoversCached / members.length,
    questions: questions.length,
    firstAskHits,
    firstAskPreloaded,
    firstAskLatencyMs,
    coldHits,
    coldLatencyMs,
    latencyRatio: ratio(coldLatencyMs.mean, firstAskLatencyMs.mean),
    callsAllowed: Math.floor(CALLS_PER_MINUTE * (1 + allPreloadedMs / 60_000)),
  };
}

function describe(run: WorkspaceRun): void {
  line(
    `  ${run.name}: ${run.files} files, ${run.libraries} libraries, ${run.usedMembers} used members; all preloaded in ${fmtMs(run.allPreloadedMs)} with ${run.docsRequests} docs requests (budget allowed ${run.callsAllowed})`,
  );
  line(
    `    member hovers from the cache ${run.memberHoversCached}/${run.usedMembers} (${(run.memberHoverShare * 100).toFixed(1)} %)`,
  );
  line(
    `    ${run.questions} questions: first ask ${run.firstAskHits} hits (${run.firstAskPreloaded} preloaded), mean ${fmtMs(run.firstAskLatencyMs.mean)}; cold ${run.coldHits} hits, mean ${fmtMs(run.coldLatencyMs.mean)} → ${run.latencyRatio.toFixed(1)}×`,
  );
}

export async function runMembersBench(options: BenchOptions = {}): Promise<object> {
  const edits = options.quick ? 25 : 150;
  const fullRuns = options.quick ? 2 : 7;
  line(
    `members: corpus quality, edit cost (2,000-line files, ${edits * 2} edits each), preload, hovers and first questions`,
  );
  return withScope(async (scope) => {
    const detector = scope.own(await ImportDetector.create(), (d) => d.dispose());
    const quality = await corpusQuality(detector);
    line(
      `  corpus: precision ${(quality.precision * 100).toFixed(1)} %, recall ${(quality.recall * 100).toFixed(1)} % (${quality.truePositives} uses, ${quality.falsePositives} false positives, ${quality.falseNegatives} missed)`,
    );
    const costs: EditCost[] = [];
    for (const languageId of EDIT_LANGUAGES) {
      const cost = await editCost(detector, languageId, edits, fullRuns);
      costs.push(cost);
      line(
        `  edit ${languageId.padEnd(16)} p50 ${fmtMs(cost.editMs.p50)} p95 ${fmtMs(cost.editMs.p95)}; full detection ${fmtMs(cost.fullMs.p50)} → ${cost.ratio.toFixed(0)}× (${cost.lines} lines, ${cost.members} members)`,
      );
      const parts = cost.breakdownMs;
      line(
        `       settled reparse p50 ${fmtMs(cost.settleMs.p50)} p95 ${fmtMs(cost.settleMs.p95)} (after each typed-and-deleted letter; ${(cost.deferredShare * 100).toFixed(0)} % of edits deferred it)`,
      );
      line(
        `       a whole-tree reparse edit, of which p50: reparse ${fmtMs(parts.reparse.p50)}, imports ${fmtMs(parts.imports.p50)}, members ${fmtMs(parts.members.p50)}`,
      );
    }

    const api = await startContext7Api(scope, { delayMs: UPSTREAM_DELAY_MS });
    for (const library of EXTRA_LIBRARIES) api.addLibrary(library);
    const example = scope.tempDir('members-example');
    cpSync(EXAMPLE_WORKSPACE, example, { recursive: true });
    const exampleFiles = ['src/train.py', 'src/fetch_prices.py', 'web/App.tsx', 'web/server.ts', 'web/broken.ts'].map(
      (f) => path.join(example, f),
    );
    const generated = scope.tempDir('members-generated');
    const generatedFiles = writeMemberWorkspace(generated);
    const runs = [
      await measureWorkspace(scope, api, 'examples/workspace', example, exampleFiles),
      await measureWorkspace(scope, api, 'generated', generated, generatedFiles),
    ];
    runs.forEach(describe);

    const questions = runs.reduce((n, r) => n + r.questions, 0);
    const hits = runs.reduce((n, r) => n + r.firstAskHits, 0);
    const coldHits = runs.reduce((n, r) => n + r.coldHits, 0);
    const hoverShare = Math.min(...runs.map((r) => r.memberHoverShare));
    const worstEdit = Math.max(...costs.map((c) => c.editMs.p50));
    const goals = [
      goal(
        'member hovers answered from the cache after opening the files ≥ 90 % (each workspace)',
        hoverShare >= 0.9,
        `lowest ${(hoverShare * 100).toFixed(1)} %`,
      ),
      goal(
        'questions naming a used member answered on first ask ≥ 80 % (≥ 40 questions)',
        questions >= 40 && hits / questions >= 0.8,
        `${hits}/${questions} (cold: ${coldHits}/${questions})`,
      ),
      goal(
        'first questions faster than asking cold',
        runs.every((r) => r.latencyRatio > 1),
        runs.map((r) => `${r.name} ${r.latencyRatio.toFixed(1)}×`).join(', '),
      ),
      goal(
        'no false positives on the corpus (strings, comments, shadowed names)',
        quality.falsePositives === 0,
        `${quality.falsePositives} false positives`,
      ),
      goal('recall ≥ 95 % on the corpus', quality.recall >= 0.95, `${(quality.recall * 100).toFixed(1)} %`),
      goal(
        'an edit in a 2,000-line file costs < 2 ms at p50, every language',
        worstEdit < 2,
        `worst p50 ${fmtMs(worstEdit)}`,
      ),
    ];
    const results = {
      quick: options.quick === true,
      setup: {
        upstreamDelayMs: UPSTREAM_DELAY_MS,
        topics: TOPICS,
        preloadCallsPerMinute: CALLS_PER_MINUTE,
        preloadConcurrency: CONCURRENCY,
        editsPerLanguage: edits * 2,
      },
      corpus: quality,
      editCost: costs,
      workspaces: runs,
      totals: { questions, firstAskHits: hits, coldHits, firstAskHitRate: hits / Math.max(1, questions) },
      goals,
    };
    if (options.write !== false) line(`  wrote ${writeResults('members', results)}`);
    return results;
  });
}
