/**
 * From opening a workspace to every library's docs in the cache: the full runtime (`createRuntime`
 * with the real memory-bank and context7 servers, context7 against the loopback API delayed 150 ms
 * per request) on a copy of `examples/workspace` (Python and TypeScript files importing numpy,
 * pandas, requests, torch, react, express, zod, lodash).
 *
 *   preload-workspace  `preloadWorkspace(dir)` until it returns (every library's topics fetched)
 *   open-files         `openDocument` for each source file (visible), then until the preloader is
 *                      idle and every library is hover-ready (its used members first, then its topics)
 *   restart            a new runtime over the first one's storage runs `preloadWorkspace` again
 *
 * Baseline, measured in the same run and alternating with the runtime: the same docs (each library ×
 * each preload topic) asked one by one with `query-docs` through a bare SDK client to a second
 * context7 process on the same API — what a client without preloading pays on its first questions.
 *
 * Each runtime's servers are started by an unrelated warm-up question before the clock starts (the
 * baseline client is connected before its clock starts too); grammar loading and workspace detection
 * are inside the measured time. Every docs result is checked with `cachedDocsFor`.
 *
 * Run: `npm run bench -- preload` (add `--quick` for one repetition instead of five).
 */
import { cpSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { McpIntegrationApi } from '../src/core/api';
import { languageIdForPath } from '../src/core/detection/languages';
import type { HostPorts } from '../src/core/ports';
import { silentLogger } from '../src/core/ports';
import { createRuntime } from '../src/core/runtime';
import { defaultLibraries, type FakeContext7Api } from '../test/fixtures/context7-api';
import { writeTestConfig } from '../test/helpers/config-files';
import { context7Server } from '../test/helpers/servers';
import type { DirectClient } from './lib/direct-client';
import { type BenchOptions, type BenchScope, withScope } from './lib/scope';
import { apiRequests, DOCS_PATH, startContext7Api, startDirect } from './lib/servers';
import { fmtMs, goal, ratio, summarize, writeResults } from './lib/stats';

const UPSTREAM_DELAY_MS = 150;
/** The shipped `context7.library_cache.preload_topics`; the first is what hovers read. */
const TOPICS = ['getting started', 'api reference'];
const WORKSPACE = path.resolve(__dirname, '..', 'examples', 'workspace');
/** What the example workspace imports. */
const WORKSPACE_MODULES = ['numpy', 'pandas', 'torch', 'requests', 'react', 'express', 'zod', 'lodash'];
/** Those modules with the context7 ids the loopback API knows them by. */
export const PRELOAD_LIBRARIES: ReadonlyArray<readonly [module: string, libraryId: string]> = WORKSPACE_MODULES.map(
  (module) => {
    const library = defaultLibraries.find((l) => l.aliases?.includes(module));
    if (!library) throw new Error(`the loopback API does not know ${module}`);
    return [module, library.id] as const;
  },
);
/** Starts the runtime's servers; a library the workspace does not use, so nothing is pre-cached. */
const WARM_UP_QUESTION = 'fastapi warm-up question';
/** Bounds the wait for background preloading, so a stuck preloader ends the run instead of hanging it. */
const SETTLE_TIMEOUT_MS = 60_000;
const POLL_MS = 2;
/** The shipped `preload.concurrency`, set explicitly so the figures say what they measured. */
const PRELOAD_CONCURRENCY = 2;

const line = (text: string): void => void process.stdout.write(`${text}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One measured way of getting the docs cached. */
export interface PreloadRun {
  /** From the first call until every library's docs are cached, in ms. */
  allCachedMs: number;
  /** From the first call until the first library is hover-ready (`cachedDocsFor` non-null), in ms. */
  firstReadyMs: number;
  /** Libraries with docs in the cache at the end (must be all of them). */
  librariesCached: number;
  apiRequests: number;
  docsApiRequests: number;
}

interface RuntimeDirs {
  configDir: string;
  storageDir: string;
}

async function startRuntime(
  scope: BenchScope,
  dirs: RuntimeDirs,
): Promise<{ runtime: McpIntegrationApi; stop: () => Promise<void> }> {
  const ports: HostPorts = {
    storageDir: dirs.storageDir,
    logger: silentLogger,
    serverLogger: () => silentLogger,
    secrets: { get: async () => undefined },
    config: { defaultsDir: path.resolve(__dirname, '..', 'config'), userDir: dirs.configDir },
    isWorkspaceTrusted: () => true,
  };
  const runtime = await createRuntime(ports, { installationId: 'bench', preloadConcurrency: PRELOAD_CONCURRENCY });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= runtime.shutdown());
  scope.own(runtime, stop);
  if (runtime.configErrors.length > 0)
    throw new Error(`configuration: ${runtime.configErrors.map((e) => e.message).join('; ')}`);
  return { runtime, stop };
}

function freshDirs(scope: BenchScope, api: FakeContext7Api): RuntimeDirs {
  const configDir = scope.tempDir('preload-config');
  writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, preloadStrategy: 'balanced', preloadTopics: TOPICS });
  return { configDir, storageDir: scope.tempDir('preload-storage') };
}

async function warmUp(runtime: McpIntegrationApi): Promise<void> {
  const result = await runtime.lookup(WARM_UP_QUESTION, { contextType: 'library_api' });
  if (!result.success) throw new Error(`runtime warm-up failed: ${result.error ?? ''}`);
}

function cachedCount(runtime: McpIntegrationApi): number {
  return PRELOAD_LIBRARIES.filter(([, id]) => runtime.cachedDocsFor(id) !== null).length;
}

/** Every library hover-ready and nothing queued or loading for them. */
function settled(runtime: McpIntegrationApi): boolean {
  if (cachedCount(runtime) < PRELOAD_LIBRARIES.length) return false;
  const ids = new Set(PRELOAD_LIBRARIES.map(([, id]) => id));
  return runtime.getDashboardData().libraries.every((state) => !ids.has(state.libraryId) || state.status === 'ready');
}

/**
 * Times `start()` and watches the cache until `done` holds: when the first library became
 * hover-ready and when everything was.
 */
async function timeUntil(
  api: FakeContext7Api,
  runtime: McpIntegrationApi,
  start: () => Promise<unknown>,
  done: () => boolean,
): Promise<PreloadRun> {
  const before = apiRequests(api);
  const beforeDocs = apiRequests(api, DOCS_PATH);
  const t0 = performance.now();
  let firstReadyMs: number | undefined;
  let finished = false;
  const watch = (async (): Promise<void> => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set after `start` settles, outside this closure
    while (!finished && firstReadyMs === undefined) {
      if (cachedCount(runtime) > 0) firstReadyMs = performance.now() - t0;
      else await sleep(POLL_MS);
    }
  })();
  await start();
  while (!done()) {
    if (performance.now() - t0 > SETTLE_TIMEOUT_MS)
      throw new Error(
        `docs not cached after ${SETTLE_TIMEOUT_MS} ms (${cachedCount(runtime)}/${PRELOAD_LIBRARIES.length})`,
      );
    await sleep(POLL_MS);
  }
  const allCachedMs = performance.now() - t0;
  finished = true;
  await watch;
  const librariesCached = cachedCount(runtime);
  if (librariesCached !== PRELOAD_LIBRARIES.length)
    throw new Error(`only ${librariesCached}/${PRELOAD_LIBRARIES.length} libraries cached`);
  return {
    allCachedMs,
    firstReadyMs: firstReadyMs ?? allCachedMs,
    librariesCached,
    apiRequests: apiRequests(api) - before,
    docsApiRequests: apiRequests(api, DOCS_PATH) - beforeDocs,
  };
}

/** The workspace's source files as `openDocument` wants them. */
async function sourceFiles(dir: string): Promise<Array<{ uri: string; languageId: string; text: string }>> {
  const out: Array<{ uri: string; languageId: string; text: string }> = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const languageId = languageIdForPath(file);
    if (languageId) out.push({ uri: `file://${file}`, languageId, text: await readFile(file, 'utf8') });
  }
  return out;
}

/** A used member as a docs topic: `[libraryId, member path]`. */
type MemberTopic = readonly [libraryId: string, member: string];

/** The distinct members of the preloaded libraries the opened files use (what open-files preloads first). */
function usedMembers(runtime: McpIntegrationApi, uris: readonly string[]): MemberTopic[] {
  const ids = new Map(PRELOAD_LIBRARIES.map(([module, id]) => [module, id]));
  const seen = new Map<string, MemberTopic>();
  for (const uri of uris) {
    for (const member of runtime.getDetection(uri)?.members ?? []) {
      const id = ids.get(member.module);
      if (id) seen.set(`${id} ${member.path}`, [id, member.path]);
    }
  }
  return [...seen.values()];
}

/**
 * The baseline: each library × topic asked in turn (and, for the open-files comparison, each used
 * member); the sum of the latencies.
 */
async function sequentialDirect(
  api: FakeContext7Api,
  direct: DirectClient,
  round: number,
  members: readonly MemberTopic[] = [],
): Promise<PreloadRun> {
  const before = apiRequests(api);
  const beforeDocs = apiRequests(api, DOCS_PATH);
  let total = 0;
  let firstReadyMs: number | undefined;
  for (const [libraryId, member] of members) {
    const start = performance.now();
    const result = await direct.callTool('query-docs', { libraryId, query: `${member} (${round})` });
    total += performance.now() - start;
    if (result.isError) throw new Error(`direct query-docs for ${libraryId} ${member} failed`);
  }
  for (const [, libraryId] of PRELOAD_LIBRARIES) {
    for (const topic of TOPICS) {
      const start = performance.now();
      // The round number keeps the questions distinct across rounds, as first questions are.
      const result = await direct.callTool('query-docs', { libraryId, query: `${topic} (${round})` });
      total += performance.now() - start;
      if (result.isError) throw new Error(`direct query-docs for ${libraryId} failed`);
      // Hover-ready means the first topic, as for the runtime's `cachedDocsFor`.
      firstReadyMs ??= total;
    }
  }
  return {
    allCachedMs: total,
    firstReadyMs: firstReadyMs ?? 0,
    librariesCached: PRELOAD_LIBRARIES.length,
    apiRequests: apiRequests(api) - before,
    docsApiRequests: apiRequests(api, DOCS_PATH) - beforeDocs,
  };
}

interface Round {
  preloadWorkspace: PreloadRun;
  openFiles: PreloadRun;
  /** With the runtime's own summary: a disk hit is promoted and reported as `loaded`. */
  restart: PreloadRun & { loaded: number; alreadyCached: number };
  direct: PreloadRun;
  /** The same, plus the members the opened files use (open files preloads those first). */
  directWithMembers: PreloadRun;
  members: number;
}

async function measureRound(
  scope: BenchScope,
  api: FakeContext7Api,
  direct: DirectClient,
  round: number,
): Promise<Round> {
  const directFirst = round % 2 === 0;
  const directRun = directFirst ? await sequentialDirect(api, direct, round) : undefined;

  // (a) "Preload Workspace" on a fresh runtime.
  const workspace = scope.tempDir('preload-workspace');
  cpSync(WORKSPACE, workspace, { recursive: true });
  const dirs = freshDirs(scope, api);
  const first = await startRuntime(scope, dirs);
  await warmUp(first.runtime);
  let summary = { alreadyCached: 0, failed: 0 };
  const preloadRun = await timeUntil(
    api,
    first.runtime,
    async () => (summary = await first.runtime.preloadWorkspace(workspace)),
    () => true,
  );
  if (summary.failed > 0) throw new Error(`${summary.failed} libraries failed to preload`);
  await first.stop();

  // (b) Opening the files on another fresh runtime: background preloading does the rest.
  const second = await startRuntime(scope, freshDirs(scope, api));
  await warmUp(second.runtime);
  const files = await sourceFiles(workspace);
  const openRun = await timeUntil(
    api,
    second.runtime,
    async () => {
      for (const file of files) await second.runtime.openDocument({ ...file, visible: true });
    },
    () => settled(second.runtime),
  );
  const members = usedMembers(
    second.runtime,
    files.map((f) => f.uri),
  );
  await second.stop();

  // (c) The next session: a new runtime over (a)'s storage and memory bank.
  const restarted = await startRuntime(scope, dirs);
  let restartSummary = { loaded: 0, alreadyCached: 0, failed: 0 };
  const restartRun = await timeUntil(
    api,
    restarted.runtime,
    async () => (restartSummary = await restarted.runtime.preloadWorkspace(workspace)),
    () => true,
  );
  await restarted.stop();

  return {
    preloadWorkspace: preloadRun,
    openFiles: openRun,
    restart: { ...restartRun, loaded: restartSummary.loaded, alreadyCached: restartSummary.alreadyCached },
    direct: directRun ?? (await sequentialDirect(api, direct, round)),
    directWithMembers: await sequentialDirect(api, direct, round + 1000, members),
    members: members.length,
  };
}

function describeRuns(
  label: string,
  runs: readonly PreloadRun[],
): { allCachedMs: ReturnType<typeof summarize>; firstReadyMs: ReturnType<typeof summarize> } {
  const all = summarize(runs.map((r) => r.allCachedMs));
  const first = summarize(runs.map((r) => r.firstReadyMs));
  const last = runs[runs.length - 1];
  line(
    `  ${label.padEnd(18)} all cached p50 ${fmtMs(all.p50)} (min ${fmtMs(all.min)}, max ${fmtMs(all.max)}); first hover-ready p50 ${fmtMs(first.p50)}; ${last?.librariesCached ?? 0} libraries, ${last?.apiRequests ?? 0} API requests (${last?.docsApiRequests ?? 0} docs)`,
  );
  return { allCachedMs: all, firstReadyMs: first };
}

export async function runPreloadBench(options: BenchOptions = {}): Promise<object> {
  const rounds = options.quick ? 1 : 5;
  line(
    `preload: ${PRELOAD_LIBRARIES.length} libraries × ${TOPICS.length} topics from examples/workspace, API delay ${UPSTREAM_DELAY_MS} ms, ${rounds} round${rounds === 1 ? '' : 's'}`,
  );
  return withScope(async (scope) => {
    const api = await startContext7Api(scope, { delayMs: UPSTREAM_DELAY_MS });
    const direct = await startDirect(scope, context7Server(api.apiUrl, { name: 'context7-direct' }));
    await direct.callTool('query-docs', { libraryId: '/fastapi/fastapi', query: 'warm-up question' });

    const measured: Round[] = [];
    for (let round = 0; round < rounds; round++) measured.push(await measureRound(scope, api, direct, round));

    const pick = <K extends keyof Round>(key: K): Array<Round[K]> => measured.map((r) => r[key]);
    const ws = describeRuns('preloadWorkspace', pick('preloadWorkspace'));
    const open = describeRuns('open files', pick('openFiles'));
    const restart = describeRuns('after a restart', pick('restart'));
    const dr = describeRuns('direct sequential', pick('direct'));
    const drm = describeRuns('direct + members', pick('directWithMembers'));
    const workspaceRatio = ratio(dr.allCachedMs.p50, ws.allCachedMs.p50);
    const openRatio = ratio(drm.allCachedMs.p50, open.allCachedMs.p50);
    const firstRound = measured[0] as Round;
    const concurrency = PRELOAD_CONCURRENCY;
    line(
      `  all cached ${workspaceRatio.toFixed(2)}× sooner than sequential first questions (preloadWorkspace), ${openRatio.toFixed(2)}× (open files); preload concurrency ${concurrency} (shipped)`,
    );
    const restartApi = Math.max(...pick('restart').map((r) => r.apiRequests));
    const expectedDocs = PRELOAD_LIBRARIES.length * TOPICS.length;
    const goals = [
      goal(
        'every library of the workspace has cached docs (preloadWorkspace, open files, restart)',
        measured.every(
          (r) =>
            r.preloadWorkspace.librariesCached === PRELOAD_LIBRARIES.length &&
            r.openFiles.librariesCached === PRELOAD_LIBRARIES.length &&
            r.restart.librariesCached === PRELOAD_LIBRARIES.length,
        ),
        `${PRELOAD_LIBRARIES.length}/${PRELOAD_LIBRARIES.length} libraries, ${firstRound.preloadWorkspace.docsApiRequests} docs requests (expected ${expectedDocs})`,
      ),
      goal(
        'time to all cached below the sequential direct baseline (preloadWorkspace)',
        workspaceRatio > 1,
        `${fmtMs(ws.allCachedMs.p50)} vs ${fmtMs(dr.allCachedMs.p50)} → ${workspaceRatio.toFixed(2)}×`,
      ),
      goal(
        'time to all cached below the sequential direct baseline with the used members (open files)',
        openRatio > 1,
        `${fmtMs(open.allCachedMs.p50)} vs ${fmtMs(drm.allCachedMs.p50)} → ${openRatio.toFixed(2)}×`,
      ),
      goal(
        'a restarted runtime preloads from its own storage without upstream calls',
        restartApi === 0,
        `${restartApi} API requests, ${fmtMs(restart.allCachedMs.p50)}`,
      ),
    ];
    const results = {
      quick: options.quick === true,
      setup: {
        libraries: PRELOAD_LIBRARIES.map(([module, id]) => ({ module, libraryId: id })),
        topics: TOPICS,
        upstreamDelayMs: UPSTREAM_DELAY_MS,
        rounds,
        preloadConcurrency: concurrency,
        expectedDocsRequests: expectedDocs,
        usedMembers: firstRound.members,
        expectedOpenFilesDocsRequests: expectedDocs + firstRound.members,
      },
      preloadWorkspace: { ...ws, runs: pick('preloadWorkspace') },
      openFiles: { ...open, runs: pick('openFiles') },
      restart: { ...restart, runs: pick('restart') },
      direct: {
        what: 'query-docs per library × topic, one after another, via a bare SDK client to a second context7 process on the same API (sum of latencies)',
        ...dr,
        runs: pick('direct'),
      },
      directWithMembers: {
        what: 'the same, plus query-docs for each member the opened files use',
        ...drm,
        runs: pick('directWithMembers'),
      },
      ratios: { preloadWorkspace: workspaceRatio, openFiles: openRatio },
      goals,
    };
    if (options.write !== false) line(`  wrote ${writeResults('preload', results)}`);
    return results;
  });
}
