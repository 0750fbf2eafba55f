import assert from 'node:assert/strict';
import path from 'node:path';
import type { CursorNodeKind } from '../../../src/core/detection/cursor-context';
import { DocumentIndex } from '../../../src/core/detection/document-index';
import { ImportDetector } from '../../../src/core/detection/import-detector';
import { SmartTrigger } from '../../../src/core/triggers/smart-trigger';

/** `‸` marks the cursor in these snippets; it is removed before parsing. */
const CURSOR = '‸';

interface Case {
  name: string;
  code: string;
  expected: CursorNodeKind;
}

const CASES: Record<string, Case[]> = {
  python: [
    { name: 'import', code: 'import num‸py as np\n', expected: 'import' },
    { name: 'from-import', code: 'from pandas import Data‸Frame\n', expected: 'import' },
    { name: 'dynamic import', code: "import importlib\nm = importlib.import_module('to‸rch')\n", expected: 'import' },
    {
      name: 'member call of an alias',
      code: 'import numpy as np\nx = np.reshape(a, (2, ‸3))\n',
      expected: 'call-of-imported-name',
    },
    {
      name: 'call chain',
      code: 'import pandas as pd\npd.read_csv("f.csv").he‸ad()\n',
      expected: 'call-of-imported-name',
    },
    {
      name: 'call of a from-imported name',
      code: 'from requests import get\nget(u‸rl)\n',
      expected: 'call-of-imported-name',
    },
    {
      name: 'local call inside an imported call',
      code: 'import numpy as np\nnp.array(le‸n(x))\n',
      expected: 'call-of-imported-name',
    },
    { name: 'local call', code: 'import numpy as np\ndef reshape(a): pass\nresh‸ape(x)\n', expected: 'other' },
    { name: 'attribute that is not called', code: 'import numpy as np\nx = np.p‸i\n', expected: 'other' },
    {
      name: 'except block',
      code: 'try:\n    x = 1\nexcept ValueError as e:\n    pri‸nt(e)\n',
      expected: 'error-handling',
    },
    { name: 'try body', code: 'try:\n    x = ‸1\nexcept ValueError:\n    pass\n', expected: 'error-handling' },
    {
      name: 'imported call inside try',
      code: 'import numpy as np\ntry:\n    np.lo‸ad(f)\nexcept OSError:\n    pass\n',
      expected: 'call-of-imported-name',
    },
    { name: 'comment', code: 'import numpy as np\n# np.resh‸ape(a)\n', expected: 'other' },
    { name: 'string outside a call', code: 'import numpy as np\ns = "np.resh‸ape"\n', expected: 'other' },
    {
      name: 'string argument of an imported call',
      code: 'import pandas as pd\npd.read_csv("da‸ta.csv")\n',
      expected: 'call-of-imported-name',
    },
    { name: 'plain code', code: 'x = ‸1\n', expected: 'other' },
  ],
  javascript: [
    { name: 'import', code: "import express from 'expr‸ess';\n", expected: 'import' },
    { name: 'require', code: "const _ = require('lod‸ash');\n", expected: 'import' },
    { name: 'dynamic import', code: "const m = await import('z‸od');\n", expected: 'import' },
    {
      name: 'call on a local object',
      code: "import express from 'express';\nconst app = express();\napp.get('/', (q, r) => r.se‸nd(1));\n",
      expected: 'other',
    },
    {
      name: 'call of a default import',
      code: "import express from 'express';\nconst app = expr‸ess();\n",
      expected: 'call-of-imported-name',
    },
    {
      name: 'call of a required name',
      code: "const _ = require('lodash');\n_.chunk([1, 2], ‸1);\n",
      expected: 'call-of-imported-name',
    },
    {
      name: 'catch block',
      code: 'try {\n  run();\n} catch (e) {\n  consol‸e.error(e);\n}\n',
      expected: 'error-handling',
    },
    {
      name: 'promise catch callback',
      code: "import axios from 'axios';\naxios.get(u).catch((e) => lo‸g(e));\n",
      expected: 'error-handling',
    },
    { name: 'throw', code: "function f() { throw new Error('b‸ad'); }\n", expected: 'error-handling' },
    { name: 'comment', code: "import express from 'express';\n// expr‸ess()\n", expected: 'other' },
  ],
  typescript: [
    { name: 'import', code: "import { z } from 'z‸od';\n", expected: 'import' },
    { name: 'import require', code: "import fs = require('f‸s');\n", expected: 'import' },
    { name: 're-export', code: "export { chunk } from 'lod‸ash';\n", expected: 'import' },
    {
      name: 'member call chain',
      code: "import { z } from 'zod';\nconst s = z.object({}).par‸se(x);\n",
      expected: 'call-of-imported-name',
    },
    {
      name: 'new of an imported class',
      code: "import { Client } from 'pg';\nconst c = new Cli‸ent();\n",
      expected: 'call-of-imported-name',
    },
    {
      name: 'local call',
      code: "import { z } from 'zod';\nfunction parse(x: unknown): void {}\npar‸se(1);\n",
      expected: 'other',
    },
    {
      name: 'catch block',
      code: 'try {\n  f();\n} catch (error: unknown) {\n  ‸report(error);\n}\n',
      expected: 'error-handling',
    },
  ],
  typescriptreact: [
    {
      name: 'hook call',
      code: "import { useState } from 'react';\nfunction C() { const [a, b] = useSt‸ate(0); return null; }\n",
      expected: 'call-of-imported-name',
    },
    {
      name: 'imported component',
      code: 'import { Button } from \'@mui/material\';\nconst el = <Butt‸on size="small" />;\n',
      expected: 'call-of-imported-name',
    },
    { name: 'local component', code: 'const Local = () => null;\nconst el = <Loc‸al />;\n', expected: 'other' },
  ],
  java: [
    { name: 'import', code: 'import java.util.L‸ist;\nclass A {}\n', expected: 'import' },
    {
      name: 'static call of an imported class',
      code: 'import com.google.common.collect.ImmutableList;\nclass A { void f() { ImmutableList.o‸f(1); } }\n',
      expected: 'call-of-imported-name',
    },
    {
      name: 'new of an imported class',
      code: 'import java.util.ArrayList;\nclass A { void f() { var l = new Array‸List<String>(); } }\n',
      expected: 'call-of-imported-name',
    },
    { name: 'local call', code: 'class A { void g() {} void f() { ‸g(); } }\n', expected: 'other' },
    {
      name: 'catch block',
      code: 'class A { void f() { try { g(); } catch (Exception e) { e.print‸StackTrace(); } } }\n',
      expected: 'error-handling',
    },
    {
      name: 'try with resources',
      code: 'class A { void f() { try (var r = open()) { r.re‸ad(); } } }\n',
      expected: 'error-handling',
    },
  ],
  go: [
    { name: 'import', code: 'package m\n\nimport "github.com/gin-gonic/g‸in"\n', expected: 'import' },
    {
      name: 'call of an imported package',
      code: 'package m\n\nimport "github.com/gin-gonic/gin"\n\nfunc f() { r := gin.Def‸ault(); _ = r }\n',
      expected: 'call-of-imported-name',
    },
    {
      name: 'error check block',
      code: 'package m\n\nfunc f() error {\n\tx, err := g()\n\tif err != nil {\n\t\treturn wr‸ap(err)\n\t}\n\treturn x\n}\n',
      expected: 'error-handling',
    },
    {
      name: 'error check with initializer',
      code: 'package m\n\nfunc f() {\n\tif parseErr := g(); parseErr != nil {\n\t\tl‸og(parseErr)\n\t}\n}\n',
      expected: 'error-handling',
    },
    {
      name: 'else branch of an error check',
      code: 'package m\n\nfunc f() {\n\tif err != nil {\n\t\treturn\n\t} else {\n\t\tu‸se()\n\t}\n}\n',
      expected: 'other',
    },
    {
      name: 'nil check of a non-error',
      code: 'package m\n\nfunc f() {\n\tif node != nil {\n\t\tvis‸it(node)\n\t}\n}\n',
      expected: 'other',
    },
  ],
  rust: [
    { name: 'use', code: 'use serde::Deser‸ialize;\n', expected: 'import' },
    {
      name: 'path call of a used crate',
      code: 'use serde_json;\nfn f() { let s = serde_json::to_st‸ring(&x); }\n',
      expected: 'call-of-imported-name',
    },
    {
      name: 'Err arm of a match',
      code: 'fn f() { match r { Ok(v) => v, Err(e) => pan‸ic!("{}", e) }; }\n',
      expected: 'error-handling',
    },
    {
      name: 'question mark',
      code: 'fn f() -> Result<(), E> { let x = lo‸ad()?; Ok(()) }\n',
      expected: 'error-handling',
    },
    { name: 'if let Err', code: 'fn f() { if let Err(e) = r { rep‸ort(e); } }\n', expected: 'error-handling' },
    { name: 'match on an option', code: 'fn f() { match o { Some(v) => v, None => ze‸ro() }; }\n', expected: 'other' },
  ],
};

function place(code: string): { text: string; offset: number } {
  const offset = code.indexOf(CURSOR);
  assert.ok(offset >= 0, 'snippet has a cursor');
  return { text: code.slice(0, offset) + code.slice(offset + CURSOR.length), offset };
}

describe('cursor context', function () {
  this.timeout(60000);
  let detector: ImportDetector;
  let index: DocumentIndex;
  before(async () => {
    detector = await ImportDetector.create();
  });
  after(async () => {
    await detector.dispose();
  });
  beforeEach(() => {
    index = new DocumentIndex(detector);
  });
  afterEach(() => {
    index.dispose();
  });

  for (const [languageId, cases] of Object.entries(CASES)) {
    describe(languageId, () => {
      for (const c of cases) {
        it(`${c.name} → ${c.expected}`, async () => {
          const { text, offset } = place(c.code);
          const uri = `file:///cursor-${languageId}`;
          assert.ok(await index.open({ uri, languageId, text }), 'document is indexed');
          assert.equal(index.cursorContext(uri, offset), c.expected);
        });
      }
    });
  }

  it('is undefined for documents it does not track', async () => {
    assert.equal(index.cursorContext('file:///nothing.py', 0), undefined);
    await index.open({ uri: 'file:///r.md', languageId: 'markdown', text: 'import numpy' });
    assert.equal(index.cursorContext('file:///r.md', 3), undefined);
  });

  it('clamps offsets outside the document', async () => {
    const uri = 'file:///clamp.py';
    await index.open({ uri, languageId: 'python', text: 'import numpy\n' });
    assert.equal(index.cursorContext(uri, -5), 'import');
    assert.equal(index.cursorContext(uri, 10_000), 'other');
  });

  it('counts offsets in UTF-16 units past non-ASCII text', async () => {
    const uri = 'file:///utf16.py';
    const { text, offset } = place('import numpy as np\ns = "naïve 😀 ✓"\nnp.ze‸ros(3)\n');
    await index.open({ uri, languageId: 'python', text });
    assert.equal(index.cursorContext(uri, offset), 'call-of-imported-name');
  });

  it('classifies from the incrementally updated tree after edits', async () => {
    const uri = 'file:///edited.py';
    const before = 'x = 1\nreshape(a)\n';
    await index.open({ uri, languageId: 'python', text: before });
    const call = before.indexOf('reshape') + 3;
    assert.equal(index.cursorContext(uri, call), 'other');

    // Importing the name makes the same call a call of an imported name.
    const added = 'from numpy import reshape\n';
    const afterImport = added + before;
    await index.edit(uri, [{ rangeOffset: 0, rangeLength: 0, text: added }], afterImport);
    assert.equal(index.cursorContext(uri, call + added.length), 'call-of-imported-name');

    // Wrapping the call in try/except: the call stays innermost; the handler is error handling.
    const callLine = afterImport.indexOf('reshape(a)');
    const wrapped = `${afterImport.slice(0, callLine)}try:\n    reshape(a)\nexcept ValueError:\n    fallback()\n`;
    await index.edit(
      uri,
      [{ rangeOffset: callLine, rangeLength: afterImport.length - callLine, text: wrapped.slice(callLine) }],
      wrapped,
    );
    assert.equal(index.cursorContext(uri, wrapped.indexOf('reshape(a)') + 2), 'call-of-imported-name');
    assert.equal(index.cursorContext(uri, wrapped.indexOf('fallback') + 2), 'error-handling');

    // Removing the import again: the call is local, so the enclosing try body is what counts.
    const removed = wrapped.slice(added.length);
    await index.edit(uri, [{ rangeOffset: 0, rangeLength: added.length, text: '' }], removed);
    assert.equal(index.cursorContext(uri, removed.indexOf('reshape(a)') + 2), 'error-handling');
    assert.equal(index.cursorContext(uri, removed.indexOf('fallback') + 2), 'error-handling');
  });

  it("drives the shipped SmartTrigger's cursor rules", async () => {
    const trigger = await SmartTrigger.create({ defaultsDir: path.resolve(__dirname, '../../../config') });
    const uri = 'file:///trigger.py';
    const text = 'import numpy as np\ntry:\n    np.load(f)\nexcept OSError:\n    recover()\n';
    await index.open({ uri, languageId: 'python', text });
    // A question no pattern matches: only the cursor decides.
    const ask = (offset: number): string | undefined =>
      trigger.bestMatch('what now', { language: 'python', cursorNode: index.cursorContext(uri, offset) })?.contextType;
    assert.equal(ask(text.indexOf('np.load') + 4), 'library_api');
    assert.equal(ask(text.indexOf('recover')), 'error_solution');
    assert.equal(ask(text.indexOf('numpy')), 'library_api');
    assert.equal(ask(text.length), undefined);
  });

  it('returns undefined after the document is closed', async () => {
    const uri = 'file:///closed.ts';
    await index.open({ uri, languageId: 'typescript', text: "import x from 'y';\n" });
    assert.equal(index.cursorContext(uri, 3), 'import');
    index.close(uri);
    assert.equal(index.cursorContext(uri, 3), undefined);
  });
});
