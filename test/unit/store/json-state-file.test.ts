import { strict as assert } from 'node:assert';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('neither reads nor writes through a symbolic link planted at its name', async () => {
    const folder = dir();
    const outside = path.join(dir(), 'bashrc');
    writeFileSync(outside, 'export PATH=/usr/bin\n');
    const target = path.join(folder, 'state.json');
    symlinkSync(outside, target);
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const file = new JsonStateFile({ path: target, initial: () => ({ n: 0 }), logger });
    assert.deepEqual(await file.read(), { n: 0 });
    assert.match(warnings.join('\n'), /symbolic link/);
    await file.write({ n: 7 });
    assert.equal(readFileSync(outside, 'utf8'), 'export PATH=/usr/bin\n');
    assert.equal(lstatSync(target).isSymbolicLink(), false);
    assert.deepEqual(JSON.parse(readFileSync(target, 'utf8')), { n: 7 });
  });

  it('writes files 0600 in folders 0700', async () => {
    const target = path.join(dir(), 'private', 'f.json');
    await new JsonStateFile({ path: target, initial: () => ({ n: 0 }) }).write({ n: 1 });
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(target)).mode & 0o777, 0o700);
  });
});
