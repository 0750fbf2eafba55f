import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LibraryCache, type LibraryResolver } from '../../../src/core/libraries/library-cache';
import { loadLibraryCacheText } from '../../../src/core/libraries/load';
import { detectWithPatterns, patternsFor } from '../../../src/core/libraries/pattern-detection';

const registryPath = path.resolve(__dirname, '../../../config/library-cache.yaml');

describe('LibraryCache', () => {
  let dir: string;
  let registryText: string;
  before(async () => {
    registryText = await readFile(registryPath, 'utf8');
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'library-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function countingResolver(answers: Record<string, string | null>): { resolver: LibraryResolver; calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      resolver: async (name) => {
        calls.push(name);
        // Deliberate resolver latency, so concurrent lookups overlap (what the single-flight tests need).
        await new Promise((resolve) => setTimeout(resolve, 5));
        return answers[name] ?? null;
      },
    };
  }

  it('ships a substantial registry that loads without errors', async () => {
    const cache = await LibraryCache.create({ registryText, stateFile: path.join(dir, 'state.json') });
    assert.deepEqual(cache.configErrors, []);
    assert.ok(cache.libraries.length >= 100, `${cache.libraries.length} libraries`);
    for (const language of ['python', 'javascript', 'go', 'rust', 'java']) {
      assert.ok(cache.libraries.filter((l) => l.language === language).length >= 10, language);
    }
  });

  it('finds ids by name, alias and the module-to-package mapping', async () => {
    const cache = await LibraryCache.create({ registryText, stateFile: path.join(dir, 'state.json') });
    assert.equal(cache.getLibraryId('numpy'), '/numpy/numpy');
    assert.equal(cache.getLibraryId('np'), '/numpy/numpy');
    assert.equal(cache.getLibraryId('torch', 'python'), '/pytorch/pytorch');
    assert.equal(cache.getLibraryId('sklearn', 'python'), '/scikit-learn/scikit-learn');
    assert.equal(cache.getLibraryId('Scikit_Learn'), '/scikit-learn/scikit-learn');
    assert.equal(cache.getLibraryId('yaml', 'python'), '/yaml/pyyaml');
    assert.equal(cache.getLibraryId('yaml', 'typescript'), '/eemeli/yaml');
    assert.equal(cache.getLibraryId('github.com/gin-gonic/gin/binding', 'go'), '/gin-gonic/gin');
    assert.equal(
      cache.getLibraryId('org.springframework.web.bind.annotation', 'java'),
      '/spring-projects/spring-framework',
    );
    assert.equal(cache.getLibraryId('org.springframework.boot', 'java'), '/spring-projects/spring-boot');
    assert.equal(cache.getLibraryId('express', 'python'), null, "never another language's library");
    assert.equal(cache.getLibraryId('no-such-library'), null);
  });

  it('reports package names where they differ from the module', async () => {
    const cache = await LibraryCache.create({ registryText, stateFile: path.join(dir, 'state.json') });
    const packages = await Promise.all(['yaml', 'sklearn', 'cv2', 'PIL', 'bs4'].map((m) => cache.resolve(m, 'python')));
    assert.deepEqual(
      packages.map((p) => p.packageName),
      ['PyYAML', 'scikit-learn', 'opencv-python', 'Pillow', 'beautifulsoup4'],
    );
  });

  it('selects a versioned id from the manifest version', async () => {
    const cache = await LibraryCache.create({ registryText, stateFile: path.join(dir, 'state.json') });
    assert.equal(
      (await cache.resolve('next', 'typescript', { version: '^14.2.1' })).libraryId,
      '/vercel/next.js/v14.3.0',
    );
    assert.equal((await cache.resolve('next', 'typescript', { version: '^12.0.0' })).libraryId, '/vercel/next.js');
    assert.equal((await cache.resolve('next', 'typescript')).libraryId, '/vercel/next.js');
  });

  it('resolves an unknown library once, also when asked concurrently, and remembers it', async () => {
    const stateFile = path.join(dir, 'state.json');
    const { resolver, calls } = countingResolver({ leftpad: '/left/pad' });
    const cache = await LibraryCache.create({ registryText, resolver, stateFile });
    const results = await Promise.all([1, 2, 3].map(() => cache.resolve('leftpad', 'javascript')));
    assert.deepEqual(
      results.map((r) => r.libraryId),
      ['/left/pad', '/left/pad', '/left/pad'],
    );
    assert.deepEqual(calls, ['leftpad']);
    assert.equal(cache.getLibraryId('leftpad', 'typescript'), '/left/pad');
    await cache.resolve('numpy', 'python');
    assert.deepEqual(calls, ['leftpad'], 'known libraries never reach the resolver');

    const again = countingResolver({});
    const reopened = await LibraryCache.create({ registryText, resolver: again.resolver, stateFile });
    assert.equal((await reopened.resolve('leftpad', 'javascript')).libraryId, '/left/pad');
    assert.deepEqual(again.calls, [], 'persisted across instances');
  });

  it('remembers misses for a shorter time than hits', async () => {
    let now = 1_000_000;
    const { resolver, calls } = countingResolver({ found: '/a/found' });
    const options = {
      registryText,
      resolver,
      stateFile: path.join(dir, 'state.json'),
      now: () => now,
      missTtlMs: 1000,
      resolvedTtlMs: 100_000,
    };
    const cache = await LibraryCache.create(options);
    assert.equal((await cache.resolve('missing', 'python')).libraryId, null);
    await cache.resolve('found', 'python');
    await cache.resolve('missing', 'python');
    assert.deepEqual(calls, ['missing', 'found']);
    now += 2000;
    await cache.resolve('missing', 'python');
    await cache.resolve('found', 'python');
    assert.deepEqual(calls, ['missing', 'found', 'missing']);
  });

  it('does not remember resolver failures', async () => {
    let fail = true;
    const calls: string[] = [];
    const resolver: LibraryResolver = async (name) => {
      calls.push(name);
      if (fail) throw new Error('context7 down');
      return '/x/flaky';
    };
    const cache = await LibraryCache.create({ registryText, resolver, stateFile: path.join(dir, 'state.json') });
    assert.equal((await cache.resolve('flaky', 'python')).libraryId, null);
    fail = false;
    assert.equal((await cache.resolve('flaky', 'python')).libraryId, '/x/flaky');
    assert.equal(calls.length, 2);
  });

  it('starts fresh from a corrupt state file', async () => {
    const stateFile = path.join(dir, 'state.json');
    await writeFile(stateFile, '{ not json');
    const { resolver } = countingResolver({ thing: '/t/thing' });
    const cache = await LibraryCache.create({ registryText, resolver, stateFile });
    assert.equal(cache.learnedCount, 0);
    assert.equal((await cache.resolve('thing', 'python')).libraryId, '/t/thing');
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { entries: Record<string, { id: string }> };
    assert.equal(saved.entries['python:thing']?.id, '/t/thing');
  });

  it('reports bad registry entries with their location and keeps the rest', async () => {
    const text = 'common_libraries:\n  good: { id: "/a/good" }\n  bad: { id: "not-an-id" }\n';
    const cache = await LibraryCache.create({ registryText: text, stateFile: path.join(dir, 'state.json') });
    assert.equal(cache.getLibraryId('good'), '/a/good');
    assert.equal(cache.getLibraryId('bad'), null);
    assert.equal(cache.configErrors.length, 1);
    assert.equal(cache.configErrors[0]?.line, 3);
  });
});

describe('detection_patterns fallback', () => {
  it('finds modules with their lines and counts strings as imports (why tree-sitter is preferred)', async () => {
    const registry = loadLibraryCacheText('library-cache.yaml', await readFile(registryPath, 'utf8')).value;
    assert.ok(registry);
    const found = detectWithPatterns(
      'x = 1\nimport numpy\ns = """\nimport fake\n"""\n',
      patternsFor(registry, 'python'),
    );
    assert.deepEqual(found, [
      { module: 'numpy', line: 1 },
      { module: 'fake', line: 3 },
    ]);
  });
});
