import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LibraryPreloadState, McpIntegrationApi } from '../../../src/core/api';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';
import { waitFor, waitForAsync } from './wait';

describe('Member docs over the real context7: preload, hovers, first questions', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;
  let runtime: McpIntegrationApi;
  let workspace: string;
  let storageDir: string;
  let configDir: string;

  const uri = (name: string): string => pathToFileURL(path.join(workspace, 'src', name)).toString();
  const state = (libraryId: string): LibraryPreloadState | undefined =>
    runtime.getDashboardData().libraries.find((l) => l.libraryId === libraryId);
  /** Docs requests context7 sent upstream for a library and topic (its request log). */
  const docsRequests = (libraryId: string, topic: string): number =>
    api.requests.filter(
      (r) => r.path === '/api/v2/context' && r.query['libraryId'] === libraryId && r.query['query'] === topic,
    ).length;
  const open = (name: string, text: string): ReturnType<McpIntegrationApi['openDocument']> =>
    runtime.openDocument({ uri: uri(name), languageId: 'python', text, visible: true });

  before(async () => {
    api = await FakeContext7Api.start();
    workspace = makeDir('members-workspace-');
    mkdirSync(path.join(workspace, 'src'));
    writeFileSync(path.join(workspace, 'requirements.txt'), 'numpy==2.1.0\npandas==2.2.3\n');
    configDir = makeDir('members-config-');
    storageDir = makeDir('members-storage-');
    writeTestConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      memoryTimeoutMs: 10_000,
      preloadStrategy: 'balanced',
      preloadTopics: ['getting started'],
    });
    runtime = await tracker.create(testHost({ storageDir, configDir, workspaceDir: workspace }));
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it('preloads each used member once, even when two documents use it', async () => {
    const load = await open(
      'load.py',
      'import numpy as np\nimport pandas as pd\n# pd.read_excel in a comment\nframe = pd.read_csv("a.csv")\nx = np.reshape(frame.values, (-1, 1))\n',
    );
    assert.deepEqual(load?.members.map((m) => m.name).sort(), ['numpy.reshape', 'pandas.read_csv']);
    assert.equal(load.libraries.find((l) => l.module === 'pandas')?.version, '==2.2.3');
    await open('other.py', 'import pandas\nrows = pandas.read_csv("b.csv")\n');
    await waitFor(
      'pandas and numpy to be preloaded',
      () => state('/pandas-dev/pandas')?.status === 'ready' && state('/numpy/numpy')?.status === 'ready',
    );
    assert.equal(docsRequests('/pandas-dev/pandas', 'read_csv'), 1, 'one request for a member two files use');
    assert.equal(docsRequests('/numpy/numpy', 'reshape'), 1);
    assert.equal(docsRequests('/pandas-dev/pandas', 'getting started'), 1, 'then the generic topic');
    assert.equal(docsRequests('/pandas-dev/pandas', 'read_excel'), 0, 'comments never count');
  });

  it('answers a hover on a used member from the cache at once', () => {
    assert.match(runtime.cachedMemberDocs('/pandas-dev/pandas', 'read_csv') ?? '', /### pandas: read_csv/);
    assert.match(runtime.cachedMemberDocs('/numpy/numpy', 'reshape') ?? '', /### NumPy: reshape/);
  });

  it('fetches a member a hover asks about in the background, so the next hover has it', async () => {
    assert.equal(runtime.cachedMemberDocs('/pandas-dev/pandas', 'DataFrame.merge'), null);
    const docs = await waitFor('merge docs after the hover', () =>
      runtime.cachedMemberDocs('/pandas-dev/pandas', 'DataFrame.merge'),
    );
    assert.match(docs, /DataFrame\.merge/);
    assert.equal(docsRequests('/pandas-dev/pandas', 'DataFrame.merge'), 1);
  });

  it('answers a first question naming a used member from its preloaded docs, and fetches the exact question', async () => {
    const question = 'how do I reshape a numpy array';
    const first = await runtime.lookup(question);
    assert.ok(first.success, first.error);
    assert.equal(first.cached, true);
    assert.equal(first.trail[0]?.outcome, 'preloaded', JSON.stringify(first.trail));
    assert.match(first.content ?? '', /NumPy: reshape/);
    await waitFor('the exact question to be fetched', () =>
      api.requests.some((r) => r.path === '/api/v2/context' && r.query['query'] === question),
    );
    const again = await waitForAsync('the exact question answered from the cache', async () => {
      const result = await runtime.lookup(question);
      return result.trail[0]?.outcome === 'hit' ? result : null;
    });
    assert.match(again.content ?? '', new RegExp(`NumPy: ${question}`));
  });

  it('matches a distinctive member name without the library named, and leaves other questions alone', async () => {
    const dtypes = await runtime.lookup('read_csv dtypes');
    assert.equal(dtypes.trail[0]?.outcome, 'preloaded', JSON.stringify(dtypes.trail));
    assert.match(dtypes.content ?? '', /pandas: read_csv/);
    const other = await runtime.lookup('how do I sort a numpy array');
    assert.ok(!other.trail.some((t) => t.outcome === 'preloaded'), JSON.stringify(other.trail));
    const decision = await runtime.lookup('why we chose read_csv over read_parquet', { contextType: 'project_memory' });
    assert.ok(!decision.trail.some((t) => t.outcome === 'preloaded'), 'docs never answer a project-memory question');
  });

  it('refreshes member docs when the manifest version changes', async () => {
    writeFileSync(path.join(workspace, 'requirements.txt'), 'numpy==2.1.0\npandas==2.3.0\n');
    runtime.closeDocument(uri('other.py'));
    const reopened = await open('other.py', 'import pandas\nrows = pandas.read_csv("b.csv")\n');
    assert.equal(reopened?.libraries.find((l) => l.module === 'pandas')?.version, '==2.3.0');
    await waitFor(
      'read_csv fetched again for pandas 2.3.0',
      () => docsRequests('/pandas-dev/pandas', 'read_csv') === 2,
    );
    await waitFor('pandas to be ready again', () => state('/pandas-dev/pandas')?.status === 'ready');
  });

  it('preloads what an edit adds once the typing settles, never the half-typed names', async () => {
    const name = 'typing.py';
    let text = 'import numpy as np\nx = np.\n';
    await open(name, text);
    const at = text.indexOf('np.') + 3;
    for (const [i, letter] of [...'concatenate'].entries()) {
      const next = text.slice(0, at + i) + letter + text.slice(at + i);
      await runtime.editDocument(uri(name), [{ rangeOffset: at + i, rangeLength: 0, text: letter }], next);
      text = next;
    }
    assert.deepEqual(
      runtime.getDetection(uri(name))?.members.map((m) => m.name),
      ['numpy.concatenate'],
    );
    await waitFor('the typed member to be fetched', () => docsRequests('/numpy/numpy', 'concatenate') === 1);
    const partial = api.requests.filter(
      (r) =>
        r.path === '/api/v2/context' &&
        r.query['libraryId'] === '/numpy/numpy' &&
        /^c[a-z]*$/.test(r.query['query'] ?? '') &&
        r.query['query'] !== 'concatenate',
    );
    assert.deepEqual(
      partial.map((r) => r.query['query']),
      [],
      'no request for a half-typed name',
    );
    runtime.closeDocument(uri(name));
  });

  it('keeps member docs across a restart: the next session preloads them from its storage', async () => {
    const before = docsRequests('/pandas-dev/pandas', 'read_csv');
    await runtime.shutdown();
    runtime = await tracker.create(testHost({ storageDir, configDir, workspaceDir: workspace }));
    await open('again.py', 'import pandas as pd\nrows = pd.read_csv("c.csv")\n');
    await waitFor('pandas to be ready in the new session', () => state('/pandas-dev/pandas')?.status === 'ready');
    assert.equal(docsRequests('/pandas-dev/pandas', 'read_csv'), before, 'no upstream request for a stored member');
    assert.match(runtime.cachedMemberDocs('/pandas-dev/pandas', 'read_csv') ?? '', /pandas: read_csv/);
  });

  it('cancels member preloading when its document closes', async () => {
    api.delayMs = 20_000;
    try {
      await open('net.py', 'import torch\nopt = torch.optim.SGD(params, lr=0.1)\n');
      await waitFor('torch preload to start', () => state('/pytorch/pytorch')?.status === 'loading');
      runtime.closeDocument(uri('net.py'));
      await waitFor('torch preload to be cancelled', () => state('/pytorch/pytorch')?.status === 'cancelled', 5_000);
      assert.equal(docsRequests('/pytorch/pytorch', 'getting started'), 0, 'the generic topic was never asked');
    } finally {
      api.delayMs = 0;
    }
  });
});
