import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readManifestLibraries, type ManifestLibrary } from '../../../src/core/libraries/manifest-libraries';
import { silentLogger, type Logger } from '../../../src/core/ports';

const manifests = path.resolve(__dirname, '../../fixtures/detection/manifests');

describe('readManifestLibraries', () => {
  let libraries: ManifestLibrary[];
  const find = (language: string, module: string): ManifestLibrary | undefined =>
    libraries.find((l) => l.language === language && l.module === module);

  before(async () => {
    libraries = await readManifestLibraries(manifests, silentLogger);
  });

  it('gives each dependency the language of the manifest that lists it, with its version', () => {
    assert.deepEqual(find('javascript', 'react'), { module: 'react', language: 'javascript', version: '^18.2.0' });
    assert.deepEqual(find('python', 'numpy'), { module: 'numpy', language: 'python', version: '==1.26.4' });
    assert.deepEqual(find('go', 'github.com/spf13/cobra'), {
      module: 'github.com/spf13/cobra',
      language: 'go',
      version: 'v1.8.0',
    });
    assert.equal(find('rust', 'tokio')?.language, 'rust');
    assert.equal(find('python', 'pydantic')?.version, '>=2.5', 'pyproject.toml too');
  });

  it('lists a pom.xml dependency once, by its artifact id', () => {
    const java = libraries.filter((l) => l.language === 'java').map((l) => l.module);
    assert.deepEqual(java.sort(), ['guava', 'spring-boot-starter-web']);
  });

  it('leaves out a version a manifest does not give', () => {
    const httpx = find('python', 'httpx');
    assert.ok(httpx);
    assert.equal('version' in httpx, false);
  });

  it('skips a broken manifest with a warning and keeps the others', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'manifest-libraries-'));
    try {
      await writeFile(path.join(dir, 'package.json'), '{ not json');
      await writeFile(path.join(dir, 'requirements.txt'), 'pandas==2.2.3\n');
      const warnings: string[] = [];
      const logger: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
      const found = await readManifestLibraries(dir, logger);
      assert.deepEqual(found, [{ module: 'pandas', language: 'python', version: '==2.2.3' }]);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /package\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
