import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  loadYamlText,
  MAX_CONFIG_BYTES,
  parseYamlLayer,
  readConfigText,
  validateWithRecovery,
} from '../../../src/core/config/yaml-loader';
import type { ConfigError } from '../../../src/core/errors';

const where = (e: ConfigError) => `${e.line}:${e.column} ${e.keyPath}`;
const anywhere = () => ({ line: 1, column: 1 });

/** Items whose numbers may not exceed 10; checked on the list, so only once every item is a number. */
const itemsSchema = z.object({
  items: z.array(z.object({ n: z.number() })).superRefine((items, ctx) => {
    const index = items.findIndex((item) => item.n > 10);
    if (index >= 0) ctx.addIssue({ code: 'custom', message: 'too big', path: [index, 'n'] });
  }),
});

describe('config/yaml-loader: limits, locations and recovery', () => {
  it('accepts text of exactly the size cap and refuses one byte more, at 1:1, as fatal', () => {
    const atCap = `#${'x'.repeat(MAX_CONFIG_BYTES - 2)}\n`;
    assert.equal(atCap.length, MAX_CONFIG_BYTES);
    assert.deepEqual(parseYamlLayer('c.yaml', atCap, z.unknown()).errors, []);

    const over = parseYamlLayer('c.yaml', `${atCap}\n`, z.unknown());
    assert.equal(over.fatal, true);
    assert.equal(over.value, undefined);
    assert.deepEqual(over.errors.map(where), ['1:1 ']);
    assert.equal(over.errors[0]?.detail, `file is larger than ${MAX_CONFIG_BYTES} bytes`);
    assert.deepEqual(over.locate(['anything'], false), { line: 1, column: 1 });
  });

  it('reports an alias bomb at its first alias instead of expanding it', () => {
    const ten = (item: string) => Array(10).fill(item).join(', ');
    const bomb = `a: &a [${ten('x')}]\nb: &b [${ten('*a')}]\nc: &c [${ten('*b')}]\nd: [${ten('*c')}]\n`;
    const layer = parseYamlLayer('bomb.yaml', bomb, z.unknown());
    assert.equal(layer.fatal, true);
    assert.deepEqual(layer.errors.map(where), ['2:8 ']);
    assert.match(layer.errors[0]?.detail ?? '', /^aliases expand too much \(more than 100 uses/);
  });

  it('reports a syntax error by the first line of its message, not as a duplicate key', () => {
    const { errors } = loadYamlText('s.yaml', 'a: [1, 2\n', z.unknown());
    assert.deepEqual(errors.map(where), ['2:1 ']);
    assert.equal(errors[0]?.detail, 'Flow sequence in block collection must be sufficiently indented and end with a ]');
  });

  it('reports a duplicate key by its path at the top level, in a later map entry and in a list item', () => {
    const duplicates = (text: string) => loadYamlText('d.yaml', text, z.unknown()).errors.map(where);
    assert.deepEqual(duplicates('enabled: true\nenabled: false\n'), ['2:1 enabled']);
    assert.deepEqual(duplicates('servers:\n  a:\n    command: x\n  b:\n    command: y\n    command: z\n'), [
      '6:5 servers.b.command',
    ]);
    assert.deepEqual(duplicates('list:\n  - a: 1\n  - b: 1\n    b: 2\n'), ['4:5 list[1].b']);
  });

  it('maps indices back to the file when a later round finds an issue after earlier items were dropped', () => {
    const layer = validateWithRecovery(
      'f.yaml',
      { items: [{ n: 'x' }, { n: 1 }, { n: 'y' }, { n: 20 }, { n: 2 }] },
      itemsSchema,
      anywhere,
      ['items.*'],
    );
    assert.equal(layer.fatal, false);
    assert.deepEqual(
      layer.errors.map((e) => e.keyPath),
      ['items[0].n', 'items[2].n', 'items[3].n'],
    );
    assert.deepEqual(layer.value, { items: [{ n: 1 }, { n: 2 }] });
    assert.deepEqual(layer.raw, { items: [{ n: 1 }, { n: 2 }] });
  });

  it('gives up after four rounds of dropping entries', () => {
    const recover = (bad: number) =>
      validateWithRecovery(
        'f.yaml',
        { items: [...Array.from({ length: bad }, () => ({ n: 20 })), { n: 1 }] },
        itemsSchema,
        anywhere,
        ['items.*'],
      );
    const three = recover(3);
    assert.equal(three.fatal, false);
    assert.deepEqual(three.value, { items: [{ n: 1 }] });
    const four = recover(4);
    assert.equal(four.fatal, true);
    assert.equal(four.value, undefined);
    assert.equal(four.errors.length, 4);
  });

  it('treats an issue above a recoverable pattern as fatal, reported once', () => {
    const layer = validateWithRecovery('f.yaml', { items: 'none' }, itemsSchema, anywhere, ['items.*']);
    assert.equal(layer.fatal, true);
    assert.deepEqual(
      layer.errors.map((e) => e.keyPath),
      ['items'],
    );
  });

  describe('readConfigText', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-config-text-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads a file of exactly the size cap and refuses a larger one', async () => {
      const file = path.join(dir, 'big.yaml');
      await writeFile(file, 'x'.repeat(MAX_CONFIG_BYTES));
      assert.equal((await readConfigText(file))?.length, MAX_CONFIG_BYTES);
      await writeFile(file, 'x'.repeat(MAX_CONFIG_BYTES + 1));
      await assert.rejects(readConfigText(file), { message: `file is larger than ${MAX_CONFIG_BYTES} bytes` });
    });

    it('refuses a folder, answers undefined for a missing file and passes other errors on', async () => {
      const folder = path.join(dir, 'folder.yaml');
      await mkdir(folder);
      await assert.rejects(readConfigText(folder), { message: 'not a regular file' });
      assert.equal(await readConfigText(path.join(dir, 'missing.yaml')), undefined);
      const plain = path.join(dir, 'plain.yaml');
      await writeFile(plain, 'a: 1\n');
      await assert.rejects(readConfigText(path.join(plain, 'below.yaml')), { code: 'ENOTDIR' });
    });
  });
});
