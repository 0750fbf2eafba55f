import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonStateFile } from '../../../src/core/store/json-state-file';

describe('JsonStateFile', () => {
  const dir = (): string => mkdtempSync(path.join(tmpdir(), 'json-state-'));

  it('returns the initial value when the file is missing', async () => {
    const file = new JsonStateFile({ path: path.join(dir(), 'a.json'), initial: () => ({ n: 1 }) });
    assert.deepEqual(await file.read(), { n: 1 });
  });

  it('round-trips a written value and creates the folder', async () => {
    const target = path.join(dir(), 'nested', 'b.json');
    const file = new JsonStateFile({ path: target, initial: () => ({ n: 0 }) });
    await file.write({ n: 42 });
    assert.deepEqual(await new JsonStateFile({ path: target, initial: () => ({ n: 0 }) }).read(), { n: 42 });
  });

  it('moves a corrupt file aside and starts fresh instead of throwing', async () => {
    const folder = dir();
    const target = path.join(folder, 'c.json');
    writeFileSync(target, '{"n": 4'); // truncated, as after a crash of a non-atomic writer
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const file = new JsonStateFile({ path: target, initial: () => ({ n: 0 }), logger });
    assert.deepEqual(await file.read(), { n: 0 });
    assert.equal(warnings.length, 1);
    assert.ok(readdirSync(folder).some((f) => f.startsWith('c.json.corrupt-')));
  });

  it('rejects values the validator refuses', async () => {
    const target = path.join(dir(), 'd.json');
    writeFileSync(target, '[1,2,3]');
    const file = new JsonStateFile<{ n: number }>({
      path: target,
      initial: () => ({ n: 0 }),
      validate: (v) => (typeof v === 'object' && v !== null && 'n' in v ? (v as { n: number }) : null),
    });
    assert.deepEqual(await file.read(), { n: 0 });
  });

  it('keeps the last of many concurrent writes', async () => {
    const target = path.join(dir(), 'e.json');
    const file = new JsonStateFile({ path: target, initial: () => ({ n: 0 }) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => file.write({ n: i })));
    assert.deepEqual(JSON.parse(readFileSync(target, 'utf8')), { n: 19 });
  });
});
