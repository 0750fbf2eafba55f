import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|mjs|js)$/.test(entry) ? [full] : [];
  });
}

describe('MCP SDK v2 only', () => {
  // v1 stays installed inside the real servers we test against (memory-bank, server-memory), so an
  // import of it would still resolve: only this check catches one.
  it('no source, test, benchmark or script imports the v1 package @modelcontextprotocol/sdk', () => {
    const offenders = ['src', 'test', 'bench', 'scripts', 'media/src']
      .flatMap((dir) => sourceFiles(path.resolve(dir)))
      .filter((file) =>
        /(from\s+|import\(\s*|require\(\s*)['"]@modelcontextprotocol\/sdk[/'"]/.test(readFileSync(file, 'utf8')),
      );
    assert.deepEqual(offenders, []);
  });

  it('package.json depends on the v2 packages and not on v1', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const all = { ...manifest.dependencies, ...manifest.devDependencies };
    assert.equal(all['@modelcontextprotocol/sdk'], undefined);
    for (const name of ['@modelcontextprotocol/client', '@modelcontextprotocol/server', '@modelcontextprotocol/node'])
      assert.match(manifest.dependencies[name] ?? '', /^2\./, name);
  });
});
