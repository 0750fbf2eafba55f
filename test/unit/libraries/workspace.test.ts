import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ImportDetector } from '../../../src/core/detection/import-detector';
import { detectWorkspace } from '../../../src/core/libraries/workspace';

describe('detectWorkspace', () => {
  let dir: string;
  let detector: ImportDetector;
  before(async () => {
    detector = await ImportDetector.create();
    dir = await mkdtemp(path.join(os.tmpdir(), 'workspace-'));
    await mkdir(path.join(dir, 'src'), { recursive: true });
    await mkdir(path.join(dir, 'node_modules', 'x'), { recursive: true });
    await mkdir(path.join(dir, 'myenv'), { recursive: true });
    await writeFile(path.join(dir, 'src', 'train.py'), 'import numpy as np\nimport torch\n');
    await writeFile(path.join(dir, 'src', 'app.tsx'), "import React from 'react';\n");
    await writeFile(path.join(dir, 'src', 'notes.md'), 'import nothing');
    await writeFile(path.join(dir, 'node_modules', 'x', 'index.js'), "require('skipped')");
    await writeFile(path.join(dir, 'myenv', 'pyvenv.cfg'), 'home = /usr');
    await writeFile(path.join(dir, 'myenv', 'lib.py'), 'import skipped_venv');
    await writeFile(path.join(dir, 'requirements.txt'), 'numpy==1.26.4\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await detector.dispose();
  });

  it('detects supported files, skips dependency folders and virtualenvs, reads manifests', async () => {
    const result = await detectWorkspace(dir, detector);
    const modules = result.files.flatMap((f) => f.imports.modules.map((m) => m.name)).sort();
    assert.deepEqual(modules, ['numpy', 'react', 'torch']);
    assert.deepEqual(result.files.map((f) => f.languageId).sort(), ['python', 'typescriptreact']);
    assert.equal(result.manifests.get('numpy'), '==1.26.4');
    assert.equal(result.truncated, false);
  });

  it('stops at the file limit', async () => {
    const result = await detectWorkspace(dir, detector, { maxFiles: 1 });
    assert.equal(result.files.length, 1);
    assert.equal(result.truncated, true);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(detectWorkspace(dir, detector, { signal: controller.signal }));
  });
});
