/**
 * Edits inside one function are applied from a parse of that function alone and the whole tree is
 * reparsed once the typing settles: after any series of edits, the settled document must equal a
 * fresh full parse, per language.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocumentIndex, type IndexedDocument } from '../../../src/core/detection/document-index';
import { ImportDetector } from '../../../src/core/detection/import-detector';
import { corpusText, MEMBER_CORPUS } from '../../fixtures/members/corpus';
import { waitFor } from '../../helpers/wait';

/** Per corpus file: a line inside a function body to type at, and snippets a person might type. */
const EDITS: Record<string, { inside: string; snippets: string[] }> = {
  'sample.py': {
    inside: '    frame = pd.read_csv',
    snippets: ['import requests\n', '    np.zeros(3)\n', '    pd = 1\n', '"""', '#', '(', ')', ':', '\n', '    ', 'é'],
  },
  'sample.js.txt': {
    inside: '  return chalk.red',
    snippets: ["import z from 'zod';\n", 'useState(1);\n', 'const useEffect = 1;\n', '`', '{', '}', '(', '//', '\n'],
  },
  'sample.tsx.txt': {
    inside: '  return _.pick',
    snippets: ["import z from 'zod';\n", 'useState(1);\n', 'let format = 2;\n', '/*', '{', '}', '<', '(', '\n'],
  },
  'sample.go': {
    inside: '\treturn r',
    snippets: ['import "github.com/x/y"\n', 'gin.New()\n', 'gin := 1\n', '{', '}', '"', '`', '(', '\n'],
  },
  'sample.rs': {
    inside: '    let text = serde_json::to_string',
    snippets: ['use serde::Serialize;\n', 'tokio::spawn(f);\n', 'let json = 1;\n', '{', '}', '"', '/*', '!', '\n'],
  },
  'Sample.java': {
    inside: '    return ImmutableList.of',
    snippets: [
      'import java.io.File;\n',
      'ImmutableList.of(1);\n',
      'int mapper = 1;\n',
      '{',
      '}',
      '"',
      '(',
      ';',
      '\n',
      '日本',
    ],
  },
};

/**
 * What a full parse decides. While the code is broken an index also keeps the imports it saw last
 * in good code (`partial`), which a fresh parse cannot know; members and the error flag never depend on that.
 */
function comparable(doc: IndexedDocument | null): object {
  assert.ok(doc);
  const byName = <T extends { name: string }>(items: T[]): T[] =>
    [...items].sort((a, b) => a.name.localeCompare(b.name));
  const imports = doc.partial
    ? {}
    : {
        modules: byName(doc.modules),
        bindings: doc.bindings.map((binding) => JSON.stringify(binding)).sort(),
      };
  return { ...imports, members: byName(doc.members), hasError: doc.hasError };
}

describe('DocumentIndex edits applied from one function', function () {
  this.timeout(120000);
  let detector: ImportDetector;
  let index: DocumentIndex;
  beforeEach(async () => {
    detector = await ImportDetector.create();
    // Settling is driven by the tests (`settled`), never by the timer.
    index = new DocumentIndex(detector, { settleMs: 60_000 });
  });
  afterEach(async () => {
    index.dispose();
    await detector.dispose();
  });

  async function fresh(languageId: string, text: string): Promise<IndexedDocument | null> {
    const other = new DocumentIndex(detector);
    try {
      return await other.open({ uri: 'file:///fresh', languageId, text });
    } finally {
      other.dispose();
    }
  }

  for (const [file, languageId] of MEMBER_CORPUS) {
    const base = corpusText(file);
    const { inside, snippets } = EDITS[file] as { inside: string; snippets: string[] };

    it(`applies a typed letter inside a function at once and settles to a full parse (${languageId})`, async () => {
      const uri = `file:///unit/${file}`;
      await index.open({ uri, languageId, text: base });
      const at = base.indexOf(inside) + inside.length - 1;
      assert.ok(at > 0, `no "${inside}" in ${file}`);
      const text = base.slice(0, at) + 'x' + base.slice(at);
      const quick = await index.edit(uri, [{ rangeOffset: at, rangeLength: 0, text: 'x' }], text);
      assert.equal(index.isSettled(uri), false, 'the edit was applied from its function alone');
      const expected = comparable(await fresh(languageId, text));
      assert.deepEqual(comparable(quick), expected);
      assert.deepEqual(comparable(await index.settled(uri)), expected);
      assert.equal(index.isSettled(uri), true);
    });

    it(`equals a fresh full parse after adding and removing an import, breaking and fixing the syntax, and a new use (${languageId})`, async () => {
      const uri = `file:///script/${file}`;
      let text = base;
      await index.open({ uri, languageId, text });
      const apply = async (from: number, to: number, insert: string): Promise<IndexedDocument | null> => {
        text = text.slice(0, from) + insert + text.slice(to);
        return index.edit(uri, [{ rangeOffset: from, rangeLength: to - from, text: insert }], text);
      };
      const afterFirstLine = base.indexOf('\n') + 1;
      const [importLine, useLine] = snippets as [string, string];
      await apply(afterFirstLine, afterFirstLine, importLine);
      const at = text.indexOf(inside) + inside.length - 1;
      await apply(at, at, '(');
      await apply(at, at + 1, '');
      await apply(at, at, 'x');
      await apply(afterFirstLine, afterFirstLine + importLine.length, '');
      const lineStart = text.lastIndexOf('\n', text.indexOf(inside)) + 1;
      await apply(lineStart, lineStart, useLine);
      const expected = await fresh(languageId, text);
      assert.equal(expected?.hasError, false, 'the script ends in code that parses');
      assert.deepEqual(comparable(await index.settled(uri)), comparable(expected));
    });

    it(`equals a fresh full parse after any series of edits, once settled (${languageId})`, async () => {
      let deferred = 0;
      let compared = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), fc.nat(120), fc.constantFrom(...snippets), fc.boolean()), {
            minLength: 1,
            maxLength: 8,
          }),
          async (edits) => {
            const uri = `file:///prop/${file}`;
            let text = base;
            await index.open({ uri, languageId, text });
            for (const [at, length, insert, short] of edits) {
              // Half the edits are a single letter or deletion, the kind typing makes; the rest span lines and functions.
              const from = at % (text.length + 1);
              const to = Math.min(text.length, from + (short ? length % 2 : length));
              const typed = short ? (length % 3 === 0 ? '' : 'q') : insert;
              text = text.slice(0, from) + typed + text.slice(to);
              await index.edit(uri, [{ rangeOffset: from, rangeLength: to - from, text: typed }], text);
            }
            if (!index.isSettled(uri)) deferred++;
            const settled = await index.settled(uri);
            const expected = await fresh(languageId, text);
            assert.ok(settled && expected);
            // Where syntax errors remain, tree-sitter's error recovery after incremental reparses may
            // differ from a fresh parse's (with or without deferring): exact where the code parses.
            if (!expected.hasError) {
              compared++;
              assert.deepEqual(comparable(settled), comparable(expected));
            }
            index.close(uri);
          },
        ),
        { numRuns: 150 },
      );
      assert.equal(index.liveTrees, 0);
      assert.ok(deferred > 0, 'some series ended with edits applied from their function alone');
      assert.ok(compared >= 5, `only ${compared} series ended in code that parses`);
    });
  }

  it('starts the deferred reparse at once when the syntax at the cursor is asked for', async () => {
    const base = corpusText('sample.py');
    const uri = 'file:///cursor.py';
    await index.open({ uri, languageId: 'python', text: base });
    const at = base.indexOf('pd.read_csv(path)');
    assert.ok(at > 0);
    const text = `${base.slice(0, at)}x${base.slice(at)}`;
    await index.edit(uri, [{ rangeOffset: at, rangeLength: 0, text: 'x' }], text);
    assert.equal(index.isSettled(uri), false);
    index.cursorContext(uri, at);
    await waitFor(() => index.isSettled(uri), { what: 'the reparse the cursor question started', timeoutMs: 10_000 });
    assert.deepEqual(comparable(index.get(uri) ?? null), comparable(await fresh('python', text)));
  });

  it('reparses the whole tree by itself once the typing settles', async () => {
    const timed = new DocumentIndex(detector, { settleMs: 20 });
    try {
      const base = corpusText('sample.py');
      const uri = 'file:///timed.py';
      await timed.open({ uri, languageId: 'python', text: base });
      const at = base.indexOf('pd.read_csv(path)');
      assert.ok(at > 0);
      const text = `${base.slice(0, at)}np.zeros(3) + ${base.slice(at)}`;
      await timed.edit(uri, [{ rangeOffset: at, rangeLength: 0, text: 'np.zeros(3) + ' }], text);
      assert.equal(timed.isSettled(uri), false);
      await waitFor(() => timed.isSettled(uri), { what: 'the deferred reparse', timeoutMs: 10_000 });
      assert.deepEqual(comparable(timed.get(uri) ?? null), comparable(await fresh('python', text)));
    } finally {
      timed.dispose();
    }
  });
});
