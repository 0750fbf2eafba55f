import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('architecture', () => {
  it('keeps src/core free of any vscode import so every host can run it', () => {
    const offenders = sourceFiles(path.resolve('src/core')).filter((file) =>
      /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    assert.deepEqual(offenders, []);
  });

  it('keeps src/cli free of any vscode import', () => {
    const offenders = sourceFiles(path.resolve('src/cli')).filter((file) =>
      /['"]vscode['"]/.test(readFileSync(file, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });
});
