import { strict as assert } from 'node:assert';
import type { DocumentDetection } from '../../../src/core/api';
import { findLibrary, hoverMarkdown, MAX_HOVER_CHARS, resolveSymbol } from '../../../src/vscode/symbol-docs';

const detection: DocumentDetection = {
  uri: 'file:///w/train.py',
  language: 'python',
  modules: [
    { name: 'numpy', stdlib: false, line: 0 },
    { name: 'os.path', stdlib: true, line: 1 },
    { name: 'yaml', stdlib: false, line: 2 },
  ],
  members: [],
  bindings: [
    { localName: 'np', module: 'numpy' },
    { localName: 'join', module: 'os.path' },
    { localName: 'yaml', module: 'yaml' },
  ],
  libraries: [
    { module: 'numpy', packageName: 'numpy', libraryId: '/numpy/numpy' },
    { module: 'os', packageName: 'os', libraryId: null },
    { module: 'yaml', packageName: 'PyYAML', libraryId: '/yaml/pyyaml' },
  ],
  partial: false,
};

describe('resolving the symbol under the cursor', () => {
  it('maps a bound alias and its member to the library and a docs question', () => {
    const target = resolveSymbol('np.linalg.norm', detection);
    assert.equal(target?.module, 'numpy');
    assert.equal(target.library?.libraryId, '/numpy/numpy');
    assert.equal(target.member, 'linalg.norm');
    assert.equal(target.query, 'numpy linalg.norm');
  });

  it('only counts the expression up to the cursor', () => {
    assert.equal(resolveSymbol('np.linalg.norm', detection, 1)?.query, 'numpy');
    assert.equal(resolveSymbol('np.linalg.norm', detection, 4)?.query, 'numpy linalg');
  });

  it('uses the package name where it differs from the module', () => {
    assert.equal(resolveSymbol('yaml.safe_load', detection)?.query, 'PyYAML safe_load');
  });

  it('names the member as member detection does: the bound path plus what follows', () => {
    const withPaths: DocumentDetection = {
      ...detection,
      bindings: [
        ...detection.bindings,
        { localName: 'nn', module: 'torch', path: 'nn' },
        { localName: 'sleep', module: 'tokio', path: 'time.sleep' },
      ],
      libraries: [
        ...detection.libraries,
        { module: 'torch', packageName: 'torch', libraryId: '/pytorch/pytorch' },
        { module: 'tokio', packageName: 'tokio', libraryId: '/tokio-rs/tokio' },
      ],
    };
    assert.equal(resolveSymbol('np.reshape', withPaths)?.memberPath, 'reshape');
    assert.equal(resolveSymbol('nn.Linear', withPaths)?.memberPath, 'nn.Linear');
    assert.equal(resolveSymbol('nn.Linear', withPaths)?.query, 'torch nn.Linear');
    assert.equal(resolveSymbol('sleep', withPaths)?.memberPath, 'time.sleep');
    assert.equal(resolveSymbol('np', withPaths)?.memberPath, '');
  });

  it('reads Rust paths like dotted names, up to the cursor', () => {
    const rust: DocumentDetection = {
      ...detection,
      modules: [{ name: 'tokio', stdlib: false, line: 0 }],
      bindings: [],
      libraries: [{ module: 'tokio', packageName: 'tokio', libraryId: '/tokio-rs/tokio' }],
    };
    assert.equal(resolveSymbol('tokio::time::sleep', rust)?.memberPath, 'time.sleep');
    assert.equal(resolveSymbol('tokio::time::sleep', rust, 'tokio::ti'.length)?.memberPath, 'time');
    assert.equal(resolveSymbol('tokio::spawn', rust, 2)?.memberPath, '');
  });

  it('falls back to the top-level package for submodules', () => {
    assert.equal(resolveSymbol('join', detection)?.library?.module, 'os');
    assert.equal(findLibrary(detection.libraries, 'numpy.linalg')?.module, 'numpy');
    assert.equal(findLibrary(detection.libraries, 'numpyx'), undefined);
  });

  it('returns nothing for names that were not imported, or without a detection', () => {
    assert.equal(resolveSymbol('pd.DataFrame', detection), undefined);
    assert.equal(resolveSymbol('np.zeros', undefined), undefined);
  });
});

describe('hover Markdown', () => {
  it('turns images into their alt text and drops raw HTML tags', () => {
    const md = hoverMarkdown('See ![chart](https://evil.example/t.png) <img src=x onerror=1> <b>bold</b>', 'numpy');
    assert.doesNotMatch(md, /evil\.example|<img|<b>/);
    assert.match(md, /See chart/);
    assert.match(md, /^\*\*numpy\*\* \(MCP, cached\)/);
  });

  it('cuts long docs at a line boundary and closes an open code fence', () => {
    const docs = `${'line of text\n'.repeat(60)}\`\`\`python\n${'x = 1\n'.repeat(400)}\`\`\``;
    const md = hoverMarkdown(docs, 'numpy');
    assert.ok(md.length < MAX_HOVER_CHARS + 100);
    assert.equal((md.match(/^```/gm)?.length ?? 0) % 2, 0);
    assert.match(md, /…/);
  });
});
