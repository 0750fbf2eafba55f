import assert from 'node:assert/strict';
import { ImportDetector } from '../../../src/core/detection/import-detector';
import { fixture } from './helpers';

interface Expectation {
  language: string;
  file: string;
  modules: string[];
  stdlib: string[];
  bindings: string[];
}

const cases: Expectation[] = [
  {
    language: 'python',
    file: 'tricky.py',
    modules: ['os', 'sys', 'numpy', 'a', 'pandas', 'torch', 'ujson', 'json', 'requests', 'yaml', 'sklearn'],
    stdlib: ['os', 'sys', 'json'],
    bindings: [
      'np>numpy',
      'system>sys',
      'DF>pandas',
      'Series>pandas',
      'nn>torch',
      'json>ujson',
      'HTTPAdapter>requests',
      'mod>yaml',
      'other>sklearn',
    ],
  },
  {
    language: 'typescript',
    file: 'tricky.ts.txt',
    modules: [
      'react',
      'node:path',
      'fs',
      '@scope/types',
      'zod',
      'lodash',
      'rxjs',
      'axios',
      'superagent',
      'child_process',
      'chalk',
    ],
    stdlib: ['node:path', 'fs', 'child_process'],
    bindings: [
      'React>react',
      'useState>react',
      'useFx>react',
      'path>node:path',
      'fs>fs',
      'z>zod',
      'axios>axios',
      'get>superagent',
      'send>superagent',
      'cp>child_process',
      'chalk>chalk',
    ],
  },
  {
    language: 'typescriptreact',
    file: 'tricky.tsx.txt',
    modules: ['react', 'framer-motion', 'classnames'],
    stdlib: [],
    bindings: ['React>react', 'motion>framer-motion'],
  },
  {
    language: 'go',
    file: 'tricky.go',
    modules: ['fmt', 'net/http', 'github.com/gin-gonic/gin', 'github.com/lib/pq', 'math', 'github.com/spf13/cobra/v2'],
    stdlib: ['fmt', 'net/http', 'math'],
    bindings: ['gin>github.com/gin-gonic/gin', 'cobra>github.com/spf13/cobra/v2', 'http>net/http'],
  },
  {
    language: 'rust',
    file: 'tricky.rs',
    modules: ['std', 'serde', 'tokio', 'anyhow', 'regex', 'rayon', 'futures', 'rand', 'log', 'core', 'itertools'],
    stdlib: ['std', 'core'],
    bindings: [
      'HashMap>std',
      'Deserialize>serde',
      'Ser>serde',
      'rt>tokio',
      'Result>anyhow',
      'StreamExt>futures',
      'logging>log',
      'Itertools>itertools',
    ],
  },
  {
    language: 'java',
    file: 'Tricky.java',
    modules: [
      'java.util',
      'java.util.concurrent',
      'javax.inject',
      'org.junit',
      'com.google.common.base',
      'org.springframework.boot',
      'org.springframework.web.bind.annotation',
      'com.fasterxml.jackson.databind',
    ],
    stdlib: ['java.util', 'java.util.concurrent', 'javax.inject'],
    bindings: ['List>java.util', 'assertEquals>org.junit', 'ObjectMapper>com.fasterxml.jackson.databind'],
  },
  { language: 'c', file: 'tricky.c', modules: ['stdio', 'curl', 'zlib'], stdlib: ['stdio'], bindings: [] },
  {
    language: 'csharp',
    file: 'tricky.cs',
    modules: ['System', 'System.Collections.Generic', 'System.Math', 'Newtonsoft.Json', 'Microsoft.Extensions.Logging'],
    stdlib: ['System', 'System.Collections.Generic', 'System.Math'],
    bindings: ['Json>Newtonsoft.Json'],
  },
  {
    language: 'ruby',
    file: 'tricky.rb',
    modules: ['json', 'active_support', 'nokogiri', 'httparty'],
    stdlib: ['json'],
    bindings: [],
  },
  {
    language: 'php',
    file: 'tricky.php',
    modules: ['GuzzleHttp', 'Symfony\\Component\\HttpFoundation', 'Illuminate\\Support'],
    stdlib: [],
    bindings: ['Client>GuzzleHttp', 'R>Symfony\\Component\\HttpFoundation', 'collect>Illuminate\\Support'],
  },
];

describe('ImportDetector', function () {
  let detector: ImportDetector;
  before(async () => {
    detector = await ImportDetector.create();
  });
  after(() => detector.dispose());

  for (const c of cases) {
    it(`extracts exactly the real imports of ${c.file} (${c.language})`, async () => {
      const result = await detector.extract(c.language, fixture(c.file));
      assert.ok(result);
      assert.deepEqual(result.modules.map((m) => m.name).sort(), [...c.modules].sort());
      assert.deepEqual(
        result.modules
          .filter((m) => m.stdlib)
          .map((m) => m.name)
          .sort(),
        [...c.stdlib].sort(),
      );
      const bindings = new Set(result.bindings.map((b) => `${b.localName}>${b.module}`));
      for (const binding of c.bindings) assert.ok(bindings.has(binding), `missing binding ${binding}`);
      assert.ok(!result.modules.some((m) => /fake/i.test(m.name)), 'an import inside a string or comment was counted');
    });
  }

  it('reports the first line of each module', async () => {
    const result = await detector.extract('python', 'x = 1\nimport numpy\nimport numpy.linalg\n');
    assert.deepEqual(result?.modules, [{ name: 'numpy', stdlib: false, line: 1 }]);
  });

  it('treats javascriptreact like javascript', async () => {
    const result = await detector.extract(
      'javascriptreact',
      "import React from 'react';\nconst el = <p>import x from 'y'</p>;\n",
    );
    assert.deepEqual(
      result?.modules.map((m) => m.name),
      ['react'],
    );
  });

  it('returns null for unsupported languages', async () => {
    assert.equal(await detector.extract('markdown', 'import numpy'), null);
  });

  it('skips binary and oversized text', async () => {
    const small = await ImportDetector.create({ maxFileBytes: 1000 });
    try {
      assert.equal(await small.extract('python', 'import os\n\u0000\u0001'), null);
      assert.equal(await small.extract('python', `import os\n${'#'.repeat(2000)}`), null);
      assert.equal(await small.extract('python', 'import os\n\u00e9'.repeat(10)).then((r) => r?.modules.length), 1);
      assert.equal(small.stats.skipped, 2);
    } finally {
      await small.dispose();
    }
  });

  it('marks broken code as having errors yet keeps what it can read', async () => {
    const result = await detector.extract('typescript', "import { a from 'react';\nimport zod from 'zod';\n");
    assert.equal(result?.hasError, true);
    assert.equal(result.partial, false, 'nothing earlier to merge in a one-shot extract');
  });

  it('finds every import of a large file parsed in time slices', async () => {
    const sliced = await ImportDetector.create({ sliceMs: 5 });
    try {
      let text = '';
      for (let i = 0; i < 5000; i++) text += `import mod${i}\ndef f${i}(x):\n    return x + ${i}\n`;
      const result = await sliced.extract('python', text);
      assert.equal(result?.modules.length, 5000);
      assert.ok(sliced.stats.parses === 1);
    } finally {
      await sliced.dispose();
    }
  });
});
