import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LibraryPreloadState, McpIntegrationApi } from '../../../src/core/api';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';
import { waitFor } from './wait';

describe('AGGRESSIVE preloading and preloadForCommand (Pattern 3) over the real servers', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;
  let runtime: McpIntegrationApi;
  let workspace: string;

  const state = (libraryId: string): LibraryPreloadState | undefined =>
    runtime.getDashboardData().libraries.find((l) => l.libraryId === libraryId);
  /** context7's docs requests for a library (its request log), by topic. */
  const docsTopics = (libraryId: string): string[] =>
    api.requests
      .filter((r) => r.path === '/api/v2/context' && r.query['libraryId'] === libraryId)
      .map((r) => r.query['query'] ?? '');
  const running = (server: string): boolean =>
    runtime.getServerStatuses().some((s) => s.name === server && s.state === 'ready');

  before(async () => {
    api = await FakeContext7Api.start();
    workspace = makeDir('command-preload-workspace-');
    mkdirSync(path.join(workspace, 'src'));
    writeFileSync(path.join(workspace, 'requirements.txt'), 'pandas==2.2.3\ntorch==2.5.1\n');
    writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ dependencies: { zod: '^4.0.0' } }));
    const configDir = makeDir('command-preload-config-');
    writeTestConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      memoryTimeoutMs: 10_000,
      preloadStrategy: 'aggressive',
      preloadTopics: ['getting started'],
    });
    runtime = await tracker.create(
      testHost({ storageDir: makeDir('command-preload-storage-'), configDir, workspaceDir: workspace }),
    );
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it('starts the command profile servers before it resolves, and AGGRESSIVE preloads the manifest packages', async () => {
    assert.equal(running('context7'), false, 'nothing runs before the first command');
    await runtime.preloadForCommand('docs');
    assert.ok(running('context7') && running('memory-bank'), 'the docs profile is up when the command runs');
    // No document is open: only the manifests (requirements.txt, package.json) can name these.
    await waitFor(
      'pandas, torch and zod from the manifests to be preloaded',
      () => ['/pandas-dev/pandas', '/pytorch/pytorch', '/colinhacks/zod'].every((id) => state(id)?.status === 'ready'),
      30_000,
    );
    assert.deepEqual(docsTopics('/pandas-dev/pandas'), ['getting started']);
    assert.deepEqual(docsTopics('/colinhacks/zod'), ['getting started']);
    assert.match(runtime.cachedDocsFor('/pytorch/pytorch') ?? '', /PyTorch/);
    assert.deepEqual(docsTopics('/numpy/numpy'), [], 'nothing lists numpy yet');
  });

  it("warms the command's document before it resolves, so its first question is already a hit", async () => {
    const uri = pathToFileURL(path.join(workspace, 'src', 'shape.py')).toString();
    // Not awaited: the command starts right after the file opens, as the palette would.
    const opened = runtime.openDocument({
      uri,
      languageId: 'python',
      text: 'import numpy as np\n\nx = np.reshape(np.arange(6), (2, 3))\n',
      visible: true,
    });
    await opened;
    await runtime.preloadForCommand('lookup', { uri });
    assert.match(runtime.cachedMemberDocs('/numpy/numpy', 'reshape') ?? '', /NumPy: reshape/);
    assert.equal(state('/numpy/numpy')?.status, 'ready');
    const before = api.requests.length;
    const answer = await runtime.lookup('how do I reshape a numpy array');
    assert.equal(answer.cached, true);
    assert.ok(
      answer.trail.some((t) => t.outcome === 'preloaded'),
      `trail: ${JSON.stringify(answer.trail)}`,
    );
    assert.match(answer.content ?? '', /NumPy: reshape/);
    assert.equal(
      api.requests.slice(before).filter((r) => r.query['query'] === 'reshape').length,
      0,
      'the answer needed no request for the member',
    );
  });

  it('resolves at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = api.requests.length;
    await runtime.preloadForCommand('review', { signal: controller.signal });
    assert.equal(api.requests.length, before);
  });
});

describe('the first question in a cold runtime, asked right after the file opens', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;

  before(async () => {
    // Every upstream answer takes a while, so the preload is still under way when the question comes.
    api = await FakeContext7Api.start({ delayMs: 400 });
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it("waits for the member docs the open document's preload is fetching, and answers from them", async () => {
    const configDir = makeDir('cold-question-config-');
    writeTestConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      memoryTimeoutMs: 10_000,
      preloadTopics: ['getting started'],
    });
    const workspace = makeDir('cold-question-workspace-');
    const runtime = await tracker.create(
      testHost({ storageDir: makeDir('cold-question-storage-'), configDir, workspaceDir: workspace }),
    );
    assert.equal(
      runtime.getServerStatuses().some((s) => s.state === 'ready'),
      false,
      'a cold runtime: no server runs yet',
    );
    const uri = pathToFileURL(path.join(workspace, 'train.py')).toString();
    await runtime.openDocument({
      uri,
      languageId: 'python',
      text: 'import numpy as np\n\nx = np.arange(6).reshape(2, 3)\ny = np.reshape(x, (3, 2))\n',
      visible: true,
    });
    const answer = await runtime.lookup('how do I reshape a numpy array');
    assert.equal(answer.error, undefined);
    const preloaded = answer.trail.find((t) => t.outcome === 'preloaded');
    assert.ok(preloaded, `trail: ${JSON.stringify(answer.trail)}`);
    assert.match(preloaded.detail ?? '', /once the preload under way had them/, 'the docs were not cached when asked');
    assert.equal(answer.cached, true);
    assert.match(answer.content ?? '', /NumPy: reshape/);
    const reshapeRequests = api.requests.filter(
      (r) => r.path === '/api/v2/context' && r.query['libraryId'] === '/numpy/numpy' && r.query['query'] === 'reshape',
    );
    assert.equal(reshapeRequests.length, 1, 'reshape was fetched once, by the preloader');
  });
});
