import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LayeredConfigStore } from '../../../src/core/config/layered-store';

// Any schema works (library-cache.yaml uses this store too); this one has a cross-field rule
// that only the merged result can break.
const rangeSchema = z
  .strictObject({
    min: z.number().default(0),
    max: z.number().default(10),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .refine((v) => v.min <= v.max, { message: 'min must not exceed max', path: ['min'] });

describe('config/LayeredConfigStore', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mcp-store-'));
    await Promise.all(['d', 'u', 'w'].map((d) => mkdir(path.join(root, d))));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const store = () =>
    new LayeredConfigStore(rangeSchema, {
      fileName: 'range.yaml',
      locations: {
        defaultsDir: path.join(root, 'd'),
        userDir: path.join(root, 'u'),
        workspaceDir: path.join(root, 'w'),
      },
    });

  it('reports a conflict between files at the top-most file that wrote the key and keeps the last good value', async () => {
    await writeFile(path.join(root, 'd', 'range.yaml'), 'min: 1\nmax: 5\n');
    const s = store();
    assert.deepEqual((await s.load()).value, { min: 1, max: 5, tags: {} });
    await writeFile(path.join(root, 'w', 'range.yaml'), '# raise the floor\nmin: 8\n');
    const result = await s.load();
    assert.deepEqual(result.value, { min: 1, max: 5, tags: {} });
    assert.deepEqual(
      result.errors.map((e) => [path.relative(root, e.file), e.line, e.column, e.keyPath, e.detail]),
      [[path.join('w', 'range.yaml'), 2, 6, 'min', 'min must not exceed max']],
    );
  });

  it('answers which layer defines a path and where', async () => {
    await writeFile(path.join(root, 'd', 'range.yaml'), 'tags:\n  a: "1"\n');
    await writeFile(path.join(root, 'u', 'range.yaml'), 'tags:\n  b: "2"\n');
    const result = await store().load();
    assert.deepEqual(result.value.tags, { a: '1', b: '2' });
    assert.equal(result.layerOf(['tags', 'a']), 'defaults');
    assert.equal(result.layerOf(['tags', 'b']), 'user');
    assert.equal(result.layerOf(['tags']), 'user');
    assert.equal(result.layerOf(['nothing']), undefined);
    assert.deepEqual(result.locate(['tags', 'a']), { file: path.join(root, 'd', 'range.yaml'), line: 2, column: 6 });
  });

  it('reports a file that cannot be read and uses the other layers', async () => {
    await writeFile(path.join(root, 'd', 'range.yaml'), 'max: 3\n');
    await mkdir(path.join(root, 'u', 'range.yaml'));
    const result = await store().load();
    assert.equal(result.value.max, 3);
    assert.match(result.errors[0]?.detail ?? '', /cannot read file/);
    assert.deepEqual(
      result.layers.map((l) => l.valid),
      [true, false, true],
    );
  });
});
