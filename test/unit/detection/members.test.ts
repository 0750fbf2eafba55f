import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DocumentChange } from '../../../src/core/api';
import { DocumentIndex } from '../../../src/core/detection/document-index';
import { ImportDetector } from '../../../src/core/detection/import-detector';
import { corpusLabels, corpusText, MEMBER_CORPUS } from '../../fixtures/members/corpus';

function members(result: { members: Array<{ name: string; count: number }> } | null): Record<string, number> {
  return Object.fromEntries((result?.members ?? []).map((m) => [m.name, m.count]));
}

interface Case {
  language: string;
  title: string;
  code: string;
  expected: string[];
}

/** Small cases per language: aliases, named imports, shadowing, strings, comments, re-exports. */
const CASES: Case[] = [
  {
    language: 'python',
    title: 'an alias binds the module (import requests as rq)',
    code: 'import requests as rq\nrq.get(url)\n',
    expected: ['requests.get'],
  },
  {
    language: 'python',
    title: 'attribute chains keep their whole path',
    code: 'import numpy as np\nnp.linalg.norm(v)\n',
    expected: ['numpy.linalg.norm'],
  },
  {
    language: 'python',
    title: 'a name imported with from counts only when used',
    code: 'from sklearn.model_selection import train_test_split, KFold\ntrain_test_split(x)\n',
    expected: ['sklearn.model_selection.train_test_split'],
  },
  {
    language: 'python',
    title: 'a parameter or local of the same name shadows the import',
    code: 'import pandas as pd\ndef f(pd):\n    pd.read_csv(x)\ndef g():\n    pd = 1\n    pd.read_csv(x)\npd.concat(y)\n',
    expected: ['pandas.concat'],
  },
  {
    language: 'python',
    title: 'strings and comments never count',
    code: 'import numpy as np\n# np.zeros(3)\ns = "np.ones(3)"\n"""np.eye(3)"""\n',
    expected: [],
  },
  {
    language: 'javascript',
    title: 'require with destructuring and renaming',
    code: "const { v4: uuid } = require('uuid');\nuuid();\n",
    expected: ['uuid.v4'],
  },
  {
    language: 'javascript',
    title: 'a parameter shadows a default import',
    code: "import chalk from 'chalk';\nfunction f(chalk) { chalk.red(1); }\nchalk.blue(2);\n",
    expected: ['chalk.blue'],
  },
  {
    language: 'typescript',
    title: 'named imports, aliases and re-exports',
    code: "import { useState as useLocal } from 'react';\nexport { format } from 'date-fns';\nuseLocal(0);\n",
    expected: ['date-fns.format', 'react.useState'],
  },
  {
    language: 'typescript',
    title: 'comments, JSDoc and strings never count',
    code: "import _ from 'lodash';\n/** _.debounce(f) */\n// _.throttle(f)\nconst s = '_.pick(o)';\n",
    expected: [],
  },
  {
    language: 'typescriptreact',
    title: 'JSX member tags and hooks',
    code: "import { motion } from 'framer-motion';\nimport { useEffect } from 'react';\nuseEffect(() => {});\nconst a = <motion.div />;\n",
    expected: ['framer-motion.motion.div', 'react.useEffect'],
  },
  {
    language: 'go',
    title: 'package selectors with an alias',
    code: 'package m\nimport g "github.com/gin-gonic/gin"\nfunc f() { g.Default() }\n',
    expected: ['github.com/gin-gonic/gin.Default'],
  },
  {
    language: 'go',
    title: 'a local of the same name shadows the package',
    code: 'package m\nimport "github.com/gin-gonic/gin"\nfunc f(gin T) { gin.Default() }\nfunc g() { gin.New() }\n',
    expected: ['github.com/gin-gonic/gin.New'],
  },
  {
    language: 'rust',
    title: 'paths, used items and macros',
    code: 'use tokio::time::sleep;\nuse serde_json::json;\nfn main() { tokio::spawn(f()); sleep(d); json!({}); }\n',
    expected: ['serde_json.json!', 'tokio.spawn', 'tokio.time.sleep'],
  },
  {
    language: 'rust',
    title: 'a parameter shadows a used item; comments never count',
    code: 'use tokio::time::sleep;\n// sleep(d)\nfn f(sleep: u8) { sleep + 1; }\n',
    expected: [],
  },
  {
    language: 'rust',
    title: 'a pub use re-export counts; a private use alone does not',
    code: 'pub use tokio::{spawn, time::sleep as nap};\nuse serde_json::json;\nfn main() {}\n',
    expected: ['tokio.spawn', 'tokio.time.sleep'],
  },
  {
    language: 'java',
    title: 'static imports and qualified calls',
    code: 'import static org.junit.Assert.assertEquals;\nimport com.google.common.collect.ImmutableList;\nclass A { void m() { assertEquals(1, 2); ImmutableList.of(1); } }\n',
    expected: ['com.google.common.collect.ImmutableList.of', 'org.junit.Assert.assertEquals'],
  },
  {
    language: 'java',
    title: 'a parameter shadows an imported class; strings never count',
    code: 'import com.google.common.collect.ImmutableList;\nclass A { String s = "ImmutableList.of(1)"; void m(String ImmutableList) { ImmutableList.length(); } }\n',
    expected: [],
  },
];

describe('member detection', function () {
  this.timeout(60000);
  let detector: ImportDetector;
  before(async () => {
    detector = await ImportDetector.create();
  });
  after(() => detector.dispose());

  for (const [file, language] of MEMBER_CORPUS) {
    it(`finds exactly the labelled members of ${file}`, async () => {
      assert.deepEqual(members(await detector.extract(language, corpusText(file))), corpusLabels(file));
    });
  }

  for (const c of CASES) {
    it(`${c.language}: ${c.title}`, async () => {
      const found = Object.keys(members(await detector.extract(c.language, c.code))).sort();
      assert.deepEqual(found, c.expected);
    });
  }

  it('reports the first position of each member and ranks by use count', async () => {
    const result = await detector.extract(
      'python',
      'import numpy as np\nx = np.zeros(1)\ny = np.ones(2) + np.ones(3)\n',
    );
    assert.deepEqual(
      result?.members.map((m) => [m.name, m.path, m.count, m.line, m.character]),
      [
        ['numpy.ones', 'ones', 2, 2, 4],
        ['numpy.zeros', 'zeros', 1, 1, 4],
      ],
    );
  });

  it('carries the member path of each binding', async () => {
    const result = await detector.extract('python', 'from torch import nn\nimport numpy as np\n');
    assert.deepEqual(result?.bindings, [
      { localName: 'nn', module: 'torch', path: 'nn' },
      { localName: 'np', module: 'numpy' },
    ]);
  });
});

describe('member detection in the DocumentIndex', function () {
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

  function edit(text: string, from: number, to: number, insert: string): { change: DocumentChange; text: string } {
    return {
      change: { rangeOffset: from, rangeLength: to - from, text: insert },
      text: text.slice(0, from) + insert + text.slice(to),
    };
  }

  it('a new import makes earlier uses count', async () => {
    const uri = 'file:///late.py';
    const text = 'x = 1\ndef f():\n    return np.zeros(3)\n';
    assert.deepEqual((await index.open({ uri, languageId: 'python', text }))?.members, []);
    const next = edit(text, 0, 0, 'import numpy as np\n');
    const result = await index.edit(uri, [next.change], next.text);
    assert.deepEqual(
      result?.members.map((m) => `${m.name}@${m.line}`),
      ['numpy.zeros@3'],
    );
  });

  it('a parameter added far above a use shadows it, and removing it brings the use back', async () => {
    const uri = 'file:///shadow.py';
    const body = Array.from({ length: 40 }, (_, i) => `    y${i} = ${i}\n`).join('');
    const text = `import numpy as np\ndef f():\n${body}    return np.mean(y0)\n`;
    assert.equal((await index.open({ uri, languageId: 'python', text }))?.members.length, 1);
    const at = text.indexOf('f()') + 2;
    const shadow = edit(text, at, at, 'np');
    assert.deepEqual((await index.edit(uri, [shadow.change], shadow.text))?.members, []);
    const back = edit(shadow.text, at, at + 2, '');
    assert.deepEqual(
      (await index.edit(uri, [back.change], back.text))?.members.map((m) => m.name),
      ['numpy.mean'],
    );
  });

  for (const [languageId, base, snippets] of [
    [
      'python',
      'import numpy as np\nfrom pandas import read_csv\n\ndef f(a):\n    return np.mean(a)\n\nread_csv(p)\n',
      ['np.zeros(1)\n', 'def g(np):\n', '    np = 2\n', '# ', '"', '\n', 'read_csv', 'import torch as np\n', '    '],
    ],
    [
      'typescript',
      "import _ from 'lodash';\nimport { useEffect } from 'react';\nfunction f(a) {\n  return _.pick(a);\n}\nuseEffect(f);\n",
      [
        '_.omit(1);\n',
        'function g(_) {\n',
        '}\n',
        '//',
        "'",
        '`${',
        'useEffect',
        "import x from 'zod';\n",
        'const _ = 1;\n',
      ],
    ],
  ] as const) {
    it(`${languageId}: members after random edits equal a fresh detection`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), fc.nat(30), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 6 }),
          async (edits) => {
            const uri = `file:///members.${languageId}`;
            let text: string = base;
            await index.open({ uri, languageId, text });
            let last = null;
            for (const [at, length, insert] of edits) {
              const from = at % (text.length + 1);
              const next = edit(text, from, Math.min(text.length, from + length), insert);
              text = next.text;
              last = await index.edit(uri, [next.change], text);
            }
            const expected = await detector.extract(languageId, text);
            assert.ok(last && expected);
            assert.deepEqual(last.members, expected.members);
            index.close(uri);
          },
        ),
        { numRuns: 80 },
      );
    });
  }
});
