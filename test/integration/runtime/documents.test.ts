import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LibraryPreloadState, McpIntegrationApi, PreloadProgress } from '../../../src/core/api';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';
import { waitFor } from './wait';

describe('Runtime documents and preloading over the real context7', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;
  let runtime: McpIntegrationApi;
  const progress: PreloadProgress[] = [];

  const libraryState = (libraryId: string): LibraryPreloadState | undefined =>
    runtime.getDashboardData().libraries.find((l) => l.libraryId === libraryId);
  const docsRequestsFor = (libraryId: string, topic = 'getting started'): number =>
    api.requests.filter(
      (r) => r.path === '/api/v2/context' && r.query['libraryId'] === libraryId && r.query['query'] === topic,
    ).length;

  before(async () => {
    api = await FakeContext7Api.start();
    const configDir = makeDir('runtime-docs-config-');
    writeTestConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      memoryTimeoutMs: 10_000,
      preloadStrategy: 'balanced',
      preloadTopics: ['getting started'],
    });
    runtime = await tracker.create(testHost({ storageDir: makeDir('runtime-docs-storage-'), configDir }));
    runtime.onEvent((event) => {
      if (event.type === 'preload') progress.push(event.progress);
    });
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it('openDocument of a Python file returns modules, bindings and library ids', async () => {
    const text = ['import os', 'import numpy as np', 'from requests import Session', '', 'x = np.zeros(3)', ''].join(
      '\n',
    );
    const detection = await runtime.openDocument({ uri: '/work/train.py', languageId: 'python', text, visible: true });
    assert.ok(detection);
    assert.equal(detection.language, 'python');
    const modules = Object.fromEntries(detection.modules.map((m) => [m.name, m.stdlib]));
    assert.deepEqual(modules, { os: true, numpy: false, requests: false });
    assert.ok(
      detection.bindings.some((b) => b.localName === 'np' && b.module === 'numpy'),
      JSON.stringify(detection.bindings),
    );
    assert.ok(
      detection.bindings.some((b) => b.localName === 'Session' && b.module === 'requests'),
      JSON.stringify(detection.bindings),
    );
    assert.deepEqual(detection.libraries.map((l) => [l.module, l.libraryId]).sort(), [
      ['numpy', '/numpy/numpy'],
      ['requests', '/psf/requests'],
    ]);
    assert.deepEqual(runtime.getDetection('/work/train.py')?.libraries.length, 2);
  });

  it('preloads the imported libraries in the background so cachedDocsFor answers instantly', async () => {
    const docs = await waitFor('numpy docs in the cache', () => runtime.cachedDocsFor('/numpy/numpy'));
    assert.match(docs, /NumPy: getting started/);
    assert.doesNotMatch(docs, /Requests/);
    // Each library keeps its own docs for the same topic (the memory layer keys by text).
    const requestsDocs = await waitFor('requests docs in the cache', () => runtime.cachedDocsFor('/psf/requests'));
    assert.match(requestsDocs, /Requests: getting started/);
    assert.equal(docsRequestsFor('/numpy/numpy'), 1, 'one docs request per topic');
    assert.equal(docsRequestsFor('/numpy/numpy', 'zeros'), 1, 'and one for the member the file uses');
    assert.equal(docsRequestsFor('/psf/requests'), 1);
    assert.equal(libraryState('/numpy/numpy')?.status, 'ready');
    assert.ok(
      progress.some((p) => p.done >= 1),
      'progress events reported finished work',
    );
    assert.equal(runtime.cachedDocsFor('/pandas-dev/pandas'), null, 'nothing for a library no document imports');
  });

  it('closeDocument cancels the preloading of its libraries', async () => {
    api.delayMs = 20_000;
    try {
      await runtime.openDocument({
        uri: '/work/frames.py',
        languageId: 'python',
        text: 'import pandas as pd\n',
        visible: true,
      });
      await waitFor('pandas preload to start', () => libraryState('/pandas-dev/pandas')?.status === 'loading');
      runtime.closeDocument('/work/frames.py');
      await waitFor(
        'pandas preload to be cancelled',
        () => libraryState('/pandas-dev/pandas')?.status === 'cancelled',
        5_000,
      );
      assert.equal(runtime.cachedDocsFor('/pandas-dev/pandas'), null);
      assert.equal(runtime.getDetection('/work/frames.py'), undefined);
    } finally {
      api.delayMs = 0;
    }
  });

  it('preloadWorkspace detects the libraries of a workspace and reports a summary', async () => {
    const workspace = makeDir('runtime-workspace-');
    mkdirSync(path.join(workspace, 'src'));
    writeFileSync(path.join(workspace, 'src', 'model.py'), 'import json\nimport torch\nimport numpy as np\n');
    writeFileSync(
      path.join(workspace, 'src', 'server.ts'),
      "import express from 'express';\nimport { readFile } from 'node:fs/promises';\n",
    );
    const events: PreloadProgress[] = [];
    const summary = await runtime.preloadWorkspace(workspace, { onProgress: (p) => events.push(p) });
    assert.equal(summary.libraries, 3, JSON.stringify(summary));
    assert.equal(summary.failed, 0, JSON.stringify(summary));
    assert.equal(summary.alreadyCached, 1, 'numpy was preloaded already');
    assert.equal(summary.loaded, 2);
    assert.ok(summary.durationMs >= 0);
    assert.match(runtime.cachedDocsFor('/pytorch/pytorch') ?? '', /PyTorch/);
    assert.match(runtime.cachedDocsFor('/expressjs/express') ?? '', /Express/);
    assert.ok(events.length > 0, 'progress was reported');
  });
});
