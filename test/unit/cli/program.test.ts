import { strict as assert } from 'node:assert';
import { main } from '../../../src/cli/main';

/** Runs `main` with stdout/stderr captured (commander prints usage errors itself). */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const writes = { out: '', err: '' };
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array) => ((writes.out += String(chunk)), true);
  process.stderr.write = (chunk: string | Uint8Array) => ((writes.err += String(chunk)), true);
  try {
    const code = await main(['node', 'mcp-integration', ...args]);
    return { code, ...writes };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    process.exitCode = undefined;
  }
}

describe('CLI program: usage errors and help (no runtime is built)', () => {
  it('an unknown command exits 2', async () => {
    const result = await run('frobnicate');
    assert.equal(result.code, 2);
    assert.match(result.err, /unknown command 'frobnicate'/);
  });

  it('a missing argument or unknown option in a subcommand exits 2', async () => {
    assert.equal((await run('lookup')).code, 2);
    const bad = await run('stats', '--bogus');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown option '--bogus'/);
  });

  it('invalid option values exit 2 with the reason', async () => {
    const ttl = await run('store', 'k', 'v', '--ttl', '-5');
    assert.equal(ttl.code, 2);
    assert.match(ttl.err, /must be a positive number of seconds/);
    const port = await run('serve', '--http', '70000');
    assert.equal(port.code, 2);
    assert.match(port.err, /must be a port number/);
    const format = await run('export-metrics', '--format', 'xml');
    assert.equal(format.code, 2);
    assert.match(format.err, /Allowed choices are json, prometheus/);
  });

  it('--help exits 0 and lists every command, serve included', async () => {
    const help = await run('--help');
    assert.equal(help.code, 0);
    for (const command of [
      'lookup',
      'store',
      'servers',
      'stats',
      'export-metrics',
      'cache',
      'detect',
      'preload',
      'serve',
    ]) {
      assert.match(help.out, new RegExp(`\\n  ${command}\\b`), command);
    }
  });
});
