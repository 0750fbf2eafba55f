import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DocumentChange } from '../../../src/core/api';
import { DocumentIndex } from '../../../src/core/detection/document-index';
import { ImportDetector } from '../../../src/core/detection/import-detector';
import { fixture } from './helpers';

function change(text: string, from: number, to: number, insert: string): { change: DocumentChange; text: string } {
  return {
    change: { rangeOffset: from, rangeLength: to - from, text: insert },
    text: text.slice(0, from) + insert + text.slice(to),
  };
}

const pythonBase = fixture('tricky.py');
const tsBase = fixture('tricky.ts.txt');

describe('DocumentIndex', function () {
  this.timeout(60000);
  let detector: ImportDetector;
  let index: DocumentIndex;
  beforeEach(async () => {
    detector = await ImportDetector.create();
    index = new DocumentIndex(detector);
  });
  afterEach(async () => {
    index.dispose();
    await detector.dispose();
  });

  it('tracks a document and deletes its tree on close', async () => {
    const opened = await index.open({ uri: 'file:///a.py', languageId: 'python', text: 'import numpy as np\n' });
    assert.deepEqual(
      opened?.modules.map((m) => m.name),
      ['numpy'],
    );
    await index.open({ uri: 'file:///b.ts', languageId: 'typescript', text: "import x from 'react';" });
    assert.equal(index.liveTrees, 2);
    await index.open({ uri: 'file:///a.py', languageId: 'python', text: 'import pandas\n' });
    assert.equal(index.liveTrees, 2, 'reopening replaced the tree');
    index.close('file:///a.py');
    assert.equal(index.liveTrees, 1);
    assert.equal(index.get('file:///a.py'), undefined);
    index.dispose();
    assert.equal(index.liveTrees, 0);
  });

  it('does not track unsupported languages', async () => {
    assert.equal(await index.open({ uri: 'file:///r.md', languageId: 'markdown', text: 'import os' }), null);
    assert.equal(index.liveTrees, 0);
  });

  it('updates imports after an edit', async () => {
    const uri = 'file:///e.py';
    await index.open({ uri, languageId: 'python', text: 'import os\nx = 1\n' });
    const edit = change('import os\nx = 1\n', 10, 10, 'import torch\n');
    const result = await index.edit(uri, [edit.change], edit.text);
    assert.deepEqual(
      result?.modules.map((m) => `${m.name}@${m.line}`),
      ['os@0', 'torch@1'],
    );
    const removal = await index.edit(uri, [{ rangeOffset: 0, rangeLength: 10, text: '' }], edit.text.slice(10));
    assert.deepEqual(
      removal?.modules.map((m) => `${m.name}@${m.line}`),
      ['torch@0'],
    );
    assert.equal(index.liveTrees, 1);
  });

  it('merges the last good imports while the code is broken', async () => {
    const uri = 'file:///broken.ts';
    const good = "import { a } from 'react';\nimport z from 'zod';\n";
    await index.open({ uri, languageId: 'typescript', text: good });
    const broken = good.replace('{ a }', '{ a');
    const result = await index.edit(uri, [{ rangeOffset: good.indexOf(' }'), rangeLength: 2, text: '' }], broken);
    assert.equal(result?.partial, true);
    assert.deepEqual(result.modules.map((m) => m.name).sort(), ['react', 'zod']);
    const fixed = await index.edit(uri, [{ rangeOffset: broken.indexOf(' from'), rangeLength: 0, text: ' }' }], good);
    assert.equal(fixed?.partial, false);
  });

  it('re-parses from scratch when the changes do not reproduce the new text', async () => {
    const uri = 'file:///m.py';
    await index.open({ uri, languageId: 'python', text: 'import os\n' });
    const result = await index.edit(uri, [{ rangeOffset: 0, rangeLength: 0, text: '#' }], 'import json\n');
    assert.deepEqual(
      result?.modules.map((m) => m.name),
      ['json'],
    );
  });

  it('skips a document that grows past the size cap and resumes when it shrinks', async () => {
    const small = await ImportDetector.create({ maxFileBytes: 200 });
    const capped = new DocumentIndex(small);
    try {
      const uri = 'file:///big.py';
      await capped.open({ uri, languageId: 'python', text: 'import os\n' });
      const big = `import os\n${'#'.repeat(300)}\n`;
      assert.equal(
        await capped.edit(uri, [{ rangeOffset: 10, rangeLength: 0, text: `${'#'.repeat(300)}\n` }], big),
        null,
      );
      assert.equal(capped.liveTrees, 0);
      const back = await capped.edit(uri, [{ rangeOffset: 10, rangeLength: 301, text: '' }], 'import os\n');
      assert.deepEqual(
        back?.modules.map((m) => m.name),
        ['os'],
      );
      assert.equal(capped.liveTrees, 1);
    } finally {
      capped.dispose();
      await small.dispose();
    }
  });

  for (const [languageId, base] of [
    ['python', pythonBase],
    ['typescript', tsBase],
  ] as const) {
    it(`gives the same imports after random edits as a fresh parse (${languageId})`, async () => {
      const snippets =
        languageId === 'python'
          ? [
              'import requests\n',
              'from x.y import z\n',
              '"""',
              '#',
              '\n',
              '    ',
              'é',
              'ü\n',
              '(',
              ')',
              'import ',
              'flask',
            ]
          : [
              "import x from 'lodash';\n",
              "require('express')\n",
              '/*',
              '*/',
              '`',
              '{',
              '}',
              '\n',
              'é',
              '//',
              "'",
              'import(',
            ];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 6 }),
          async (edits) => {
            const uri = `file:///prop.${languageId}`;
            let text = base;
            await index.open({ uri, languageId, text });
            let last = null;
            for (const [at, length, insert] of edits) {
              const from = at % (text.length + 1);
              const next = change(text, from, Math.min(text.length, from + length), insert);
              text = next.text;
              last = await index.edit(uri, [next.change], text);
            }
            const fresh = new DocumentIndex(detector);
            const expected = await fresh.open({ uri: 'file:///fresh', languageId, text });
            fresh.dispose();
            assert.ok(last && expected);
            if (!last.partial) {
              assert.deepEqual(last.modules, expected.modules);
              assert.deepEqual(last.bindings, expected.bindings);
            } else {
              for (const module of expected.modules)
                assert.ok(
                  last.modules.some((m) => m.name === module.name),
                  `lost ${module.name}`,
                );
            }
            index.close(uri);
          },
        ),
        { numRuns: 60 },
      );
      assert.equal(index.liveTrees, 0);
    });
  }

  it('applies several changes of one event in order, like a multi-cursor edit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.nat(), fc.nat(20), fc.constantFrom("import x from 'lodash';\n", '\n', '/*', '*/', 'é', "'")),
          { minLength: 2, maxLength: 5 },
        ),
        async (edits) => {
          const uri = 'file:///multi.ts';
          let text = tsBase;
          await index.open({ uri, languageId: 'typescript', text });
          const changes: DocumentChange[] = [];
          for (const [at, length, insert] of edits) {
            const from = at % (text.length + 1);
            const next = change(text, from, Math.min(text.length, from + length), insert);
            changes.push(next.change);
            text = next.text;
          }
          const last = await index.edit(uri, changes, text);
          const expected = await detector.extract('typescript', text);
          assert.ok(last && expected);
          if (!last.partial) assert.deepEqual(last.modules, expected.modules);
          index.close(uri);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never throws on arbitrary text and edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('python', 'typescript', 'javascript', 'go', 'rust', 'java', 'cpp', 'csharp', 'ruby', 'php'),
        fc.string({ maxLength: 300, unit: 'binary' }),
        fc.array(
          fc.record({
            rangeOffset: fc.integer({ min: -5, max: 400 }),
            rangeLength: fc.integer({ min: -5, max: 50 }),
            text: fc.string({ maxLength: 20 }),
          }),
          { maxLength: 3 },
        ),
        async (languageId, text, changes) => {
          await detector.extract(languageId, text);
          await index.open({ uri: 'file:///any', languageId, text });
          await index.edit('file:///any', changes, text + changes.map((c) => c.text).join(''));
          index.close('file:///any');
        },
      ),
      { numRuns: 150 },
    );
    assert.equal(index.liveTrees, 0);
  });
});
