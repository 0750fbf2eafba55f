import { strict as assert } from 'node:assert';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JsonStateFile } from '../../../src/core/store/json-state-file';
import type { Logger } from '../../../src/core/ports';
import { tempDir } from '../../helpers/temp';

describe('JsonStateFile', () => {
  const dir = (): string => tempDir('json-state-');

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

  it('writes a file only its owner can read, in a folder only its owner can enter', async () => {
    const folder = path.join(dir(), 'state');
    const target = path.join(folder, 'private.json');
    await new JsonStateFile({ path: target, initial: () => ({}) }).write({ secret: 'learned' });
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
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

describe('JsonStateFile: failures', () => {
  const dir = (): string => tempDir('json-state-');
  const recording = (): { warnings: string[]; logger: Logger } => {
    const warnings: string[] = [];
    return {
      warnings,
      logger: { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) },
    };
  };

  it('an unreadable file (not a missing one) starts fresh with a warning and is left in place', async () => {
    const target = path.join(dir(), 'state.json');
    mkdirSync(target); // reading a folder fails with EISDIR
    const { warnings, logger } = recording();
    const file = new JsonStateFile({ path: target, initial: () => ({ n: 0 }), logger });
    assert.deepEqual(await file.read(), { n: 0 });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /Could not read/);
    assert.ok(statSync(target).isDirectory());
  });

  it('a missing file starts fresh silently', async () => {
    const { warnings, logger } = recording();
    const file = new JsonStateFile({ path: path.join(dir(), 'none.json'), initial: () => ({ n: 7 }), logger });
    assert.deepEqual(await file.read(), { n: 7 });
    assert.deepEqual(warnings, []);
    assert.equal(file.path.endsWith('none.json'), true);
  });

  it('a value the validator refuses is set aside like a corrupt file, with a warning', async () => {
    const folder = dir();
    const target = path.join(folder, 'v.json');
    writeFileSync(target, '{"version": 99}');
    const { warnings, logger } = recording();
    const file = new JsonStateFile({ path: target, initial: () => 'fresh', validate: () => null, logger });
    assert.equal(await file.read(), 'fresh');
    assert.deepEqual(readdirSync(folder).length, 1);
    assert.match(readdirSync(folder)[0] ?? '', /^v\.json\.corrupt-\d+$/);
    assert.match(warnings[0] ?? '', /was corrupt; moved it to .*v\.json\.corrupt-\d+ and started fresh/);
  });

  it('a validator may accept and reshape the parsed value', async () => {
    const target = path.join(dir(), 'ok.json');
    writeFileSync(target, '{"n": 3}');
    const file = new JsonStateFile({ path: target, initial: () => 0, validate: (v) => (v as { n: number }).n * 2 });
    assert.equal(await file.read(), 6);
  });

  it('a failed write is reported to its caller and does not block later writes', async () => {
    const folder = dir();
    const blocker = path.join(folder, 'sub');
    writeFileSync(blocker, 'a file where the folder should be');
    const target = path.join(blocker, 'state.json');
    const file = new JsonStateFile({ path: target, initial: () => ({ n: 0 }) });
    await assert.rejects(file.write({ n: 1 }));
    rmSync(blocker);
    await file.write({ n: 2 });
    assert.deepEqual(JSON.parse(readFileSync(target, 'utf8')), { n: 2 });
  });
});
