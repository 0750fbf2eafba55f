import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServerFileLogger } from '../../../src/cli/server-log';
import { TrustList } from '../../../src/cli/trust';
import { cleanTempDirsAfter } from '../../helpers/temp';

describe('CLI trust list', () => {
  const makeDir = cleanTempDirsAfter();

  it('trusts an allowed folder and the folders inside it, not its siblings; deny forgets it', async () => {
    const root = makeDir('trust-root-');
    const repo = path.join(root, 'repo');
    mkdirSync(path.join(repo, 'sub'), { recursive: true });
    mkdirSync(path.join(root, 'repo-evil'));
    const list = new TrustList(makeDir('trust-storage-'));
    assert.equal(list.isTrusted(repo), false);
    await list.allow(repo);
    assert.equal(list.isTrusted(repo), true);
    assert.equal(list.isTrusted(path.join(repo, 'sub')), true);
    assert.equal(list.isTrusted(path.join(root, 'repo-evil')), false);
    assert.equal(list.isTrusted(root), false);
    assert.equal(await list.deny(repo), true);
    assert.equal(list.isTrusted(repo), false);
    assert.equal(await list.deny(repo), false);
  });

  it('is private and ignores a corrupt or linked list', async () => {
    const storage = makeDir('trust-storage-');
    const list = new TrustList(storage);
    await list.allow(storage);
    assert.equal(statSync(list.path).mode & 0o777, 0o600);
    writeFileSync(list.path, '{"version":1,"folders":');
    assert.deepEqual(list.trustedFolders(), []);
    const other = makeDir('trust-storage-');
    const forged = path.join(makeDir('trust-forged-'), 'list.json');
    writeFileSync(forged, JSON.stringify({ version: 1, folders: ['/'] }));
    symlinkSync(forged, path.join(other, 'trusted-folders.json'));
    assert.equal(new TrustList(other).isTrusted('/tmp'), false);
  });
});

describe('server log files', () => {
  const makeDir = cleanTempDirsAfter();

  it('rotate at the cap, keeping one previous file', () => {
    const file = path.join(makeDir('logs-'), 'logs', 's.log');
    const logger = createServerFileLogger(file, { maxBytes: 10_000 });
    for (let i = 0; i < 1000; i++) logger.info(`line ${i} ${'x'.repeat(80)}`);
    assert.ok(statSync(file).size <= 10_000);
    assert.ok(statSync(`${file}.1`).size <= 10_000);
    assert.match(readFileSync(file, 'utf8'), /line 999 /);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  });

  it('do not write through a link planted at their name', () => {
    const dir = makeDir('logs-');
    const victim = path.join(makeDir('victim-'), 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, path.join(dir, 's.log'));
    createServerFileLogger(path.join(dir, 's.log')).error('overwrite?');
    assert.equal(readFileSync(victim, 'utf8'), 'keep');
    assert.ok(lstatSync(path.join(dir, 's.log')).isSymbolicLink());
    assert.equal(existsSync(`${path.join(dir, 's.log')}.1`), false);
  });
});
