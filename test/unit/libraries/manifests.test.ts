import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readManifests } from '../../../src/core/libraries/manifests';

const manifests = path.resolve(__dirname, '../../fixtures/detection/manifests');

describe('readManifests', () => {
  let versions: Map<string, string>;
  before(async () => {
    versions = await readManifests(manifests);
  });

  it('reads package.json dependencies of every kind', () => {
    assert.equal(versions.get('react'), '^18.2.0');
    assert.equal(versions.get('next'), '14.1.0');
    assert.equal(versions.get('zod'), '~3.23.0');
  });

  it('reads requirements.txt with extras and markers', () => {
    assert.equal(versions.get('numpy'), '==1.26.4');
    assert.equal(versions.get('pandas'), '>=2.0');
    assert.equal(versions.get('requests'), '~=2.31');
    assert.equal(versions.has('-r'), false);
  });

  it('reads pyproject.toml (PEP 621 and poetry)', () => {
    assert.equal(versions.get('pydantic'), '>=2.5');
    assert.equal(versions.get('httpx'), '');
    assert.equal(versions.get('fastapi'), '^0.110');
    assert.equal(versions.get('torch'), '2.2.0');
    assert.equal(versions.has('python'), false);
  });

  it('reads go.mod single and block requires', () => {
    assert.equal(versions.get('github.com/spf13/cobra'), 'v1.8.0');
    assert.equal(versions.get('github.com/gin-gonic/gin'), 'v1.9.1');
    assert.equal(versions.get('golang.org/x/sync'), 'v0.6.0');
  });

  it('reads Cargo.toml dependency tables', () => {
    assert.equal(versions.get('serde'), '1.0');
    assert.equal(versions.get('tokio'), '1.36');
    assert.equal(versions.get('criterion'), '0.5');
  });

  it('reads pom.xml dependencies', () => {
    assert.equal(versions.get('org.springframework.boot:spring-boot-starter-web'), '3.2.2');
    assert.equal(versions.get('guava'), '33.0.0-jre');
  });

  it('ignores broken manifests and missing folders', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'manifests-'));
    try {
      await writeFile(path.join(dir, 'package.json'), '{ broken');
      await writeFile(path.join(dir, 'Cargo.toml'), '[dependencies\nx=');
      await writeFile(path.join(dir, 'requirements.txt'), 'flask==3.0\n');
      const found = await readManifests(dir);
      assert.deepEqual([...found.entries()], [['flask', '==3.0']]);
      assert.equal((await readManifests(path.join(dir, 'nope'))).size, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
