import { strict as assert } from 'node:assert';
import { closeSync, writeSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ensurePrivateDirSync,
  isLinkRefused,
  narrowToUser,
  openAppendNoFollowSync,
  readFileNoFollow,
  writePrivateFileAtomic,
} from '../../../src/core/store/private-files';
import { cleanTempDirsAfter, tempDir } from '../../helpers/temp';

const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

describe('store/private-files', () => {
  cleanTempDirsAfter();

  it('recognises a refused link by its error code only', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(isLinkRefused(withCode('ELOOP')), true);
    assert.equal(isLinkRefused(withCode('EMLINK')), true);
    assert.equal(isLinkRefused(withCode('ENOENT')), false);
    assert.equal(isLinkRefused(new Error('plain')), false);
    assert.equal(isLinkRefused(undefined), false);
  });

  it('creates nested folders for the user only, and narrows an existing one', async () => {
    const root = tempDir('private-');
    const nested = path.join(root, 'a', 'b');
    ensurePrivateDirSync(nested);
    assert.equal(await mode(nested), 0o700);
    const wide = path.join(root, 'wide');
    await mkdir(wide);
    await chmod(wide, 0o755);
    await narrowToUser(wide);
    assert.equal(await mode(wide), 0o700);
    await narrowToUser(path.join(root, 'missing'));
  });

  it('reads text without following a link at the name', async () => {
    const root = tempDir('private-');
    const file = path.join(root, 'state.json');
    await writeFile(file, 'ünïcode');
    assert.equal(await readFileNoFollow(file), 'ünïcode');
    const link = path.join(root, 'link.json');
    await symlink(file, link);
    await assert.rejects(readFileNoFollow(link), (error: unknown) => isLinkRefused(error));
  });

  it('appends to a 0600 file without following a link at the name', async () => {
    const root = tempDir('private-');
    const file = path.join(root, 'log.txt');
    for (const line of ['one\n', 'two\n']) {
      const fd = openAppendNoFollowSync(file);
      writeSync(fd, line);
      closeSync(fd);
    }
    assert.equal(await readFile(file, 'utf8'), 'one\ntwo\n');
    assert.equal(await mode(file), 0o600);
    const link = path.join(root, 'link.txt');
    await symlink(file, link);
    assert.throws(
      () => openAppendNoFollowSync(link),
      (error: unknown) => isLinkRefused(error),
    );
  });

  it('writes atomically and privately, replacing a link instead of writing through it', async () => {
    const root = tempDir('private-');
    const target = path.join(root, 'target.txt');
    await writeFile(target, 'precious');
    const file = path.join(root, 'state.json');
    await symlink(target, file);
    await writePrivateFileAtomic(file, 'ünïcode', { fsync: true });
    assert.equal(await readFile(file, 'utf8'), 'ünïcode');
    assert.equal(await readFile(target, 'utf8'), 'precious');
    assert.equal(await mode(file), 0o600);
    assert.deepEqual((await readdir(root)).sort(), ['state.json', 'target.txt']);
  });

  it('leaves no temp file behind when the rename fails', async () => {
    const root = tempDir('private-');
    const occupied = path.join(root, 'occupied');
    await mkdir(occupied);
    await writeFile(path.join(occupied, 'inside'), 'x');
    await assert.rejects(writePrivateFileAtomic(occupied, 'data', { fsync: false }));
    assert.deepEqual(await readdir(root), ['occupied']);
  });
});
