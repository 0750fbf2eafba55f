import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const srcDir = path.resolve(__dirname, '..', '..', '..', 'src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('file size', () => {
  it(`no file in src is over ${MAX_LINES} lines`, () => {
    const files = sourceFiles(srcDir);
    assert.ok(files.length > 50, 'the source files were found');
    const tooLong = files
      .map((file) => ({ file: path.relative(srcDir, file).split(path.sep).join('/'), lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    assert.deepEqual(tooLong, []);
  });
});

function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}
