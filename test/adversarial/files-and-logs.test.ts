/**
 * What the CLI reads and writes on the file system, attacked: devices and FIFOs given to `detect`,
 * a server that floods its stderr, links planted where the server log belongs, and a lookup when
 * every server is disabled. Real CLI processes, real server processes.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { cleanTempDirsAfter } from '../helpers/temp';
import { ensureCliBundle, runCli } from '../integration/cli/cli-runner';
import { bounded, figures } from './figures';

const OFF = { enabled: false };
const MiB = 1024 * 1024;

/** A server that writes `mib` MiB of stderr in 1 KiB lines, then dies. */
const floodingServer = (mib: number) => ({
  kind: 'generic',
  command: process.execPath,
  args: [
    '-e',
    `const line = 'x'.repeat(1023) + '\\n'; let n = ${mib * 1024}; const go = () => { while (n > 0) { n--; if (!process.stderr.write(line)) return process.stderr.once('drain', go); } process.exit(1); }; go();`,
  ],
  timeouts: { initialize_ms: 20_000, list_ms: 2_000, call_ms: 2_000 },
  tool_mapping: { fetch: { tool: 'echo', arguments: { text: '{query}' } } },
});

describe('adversarial: files, devices and logs', function () {
  this.timeout(90_000);
  const makeDir = cleanTempDirsAfter();
  const configWith = (servers: Record<string, unknown>): string => {
    const dir = makeDir('files-config-');
    writeFileSync(
      path.join(dir, 'mcp-config.yaml'),
      stringify({
        servers: { 'memory-bank': OFF, context7: OFF, serena: OFF, github: OFF, ...servers },
        preload: { strategy: 'off' },
      }),
    );
    return dir;
  };

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
  });

  it('detect refuses a device and a FIFO before reading them', async () => {
    const dir = makeDir('files-fifo-');
    const fifo = path.join(dir, 'pipe.py');
    execFileSync('mkfifo', [fifo]);
    const base = ['--config', configWith({}), '--storage', makeDir('files-storage-')];
    for (const target of ['/dev/zero', '/dev/urandom', fifo]) {
      figures.attacksTried++;
      const run = await bounded(`detect ${path.basename(target)}`, 15_000, () => runCli([...base, 'detect', target]));
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /not a regular file/);
    }
  });

  it("a server's flood of stderr is capped and rotated, and a link planted at its log is not written through", async () => {
    const storage = makeDir('files-storage-');
    mkdirSync(path.join(storage, 'logs'), { mode: 0o700 });
    const outside = path.join(makeDir('files-outside-'), 'victim');
    writeFileSync(outside, 'precious\n');
    symlinkSync(outside, path.join(storage, 'logs', 'other.log'));
    const config = configWith({ 'memory-bank': floodingServer(12), other: { ...floodingServer(1), enabled: true } });
    figures.faultsInjected += 2;
    await bounded('servers --start with a 12 MiB stderr flood', 60_000, () =>
      runCli(['--config', config, '--storage', storage, 'servers', '--start'], { timeoutMs: 60_000 }),
    );
    const log = path.join(storage, 'logs', 'memory-bank.log');
    const rotated = `${log}.1`;
    assert.ok(existsSync(rotated), 'the log was rotated');
    const total = statSync(log).size + statSync(rotated).size;
    assert.ok(statSync(log).size <= 5 * MiB && statSync(rotated).size <= 5 * MiB, `log sizes ${total}`);
    assert.ok(total > 4 * MiB, 'the log kept the most recent output');
    assert.equal(statSync(log).mode & 0o777, 0o600);
    figures.attacksTried++;
    assert.equal(readFileSync(outside, 'utf8'), 'precious\n', 'the log was written through a link');
  });

  it('with every server disabled a lookup says so instead of blaming authority rules', async () => {
    const run = await runCli([
      '--config',
      configWith({}),
      '--storage',
      makeDir('files-storage-'),
      'lookup',
      'anything',
    ]);
    assert.equal(run.code, 1);
    assert.match(`${run.stdout}${run.stderr}`, /no server is enabled/);
    assert.doesNotMatch(`${run.stdout}${run.stderr}`, /authority rules/);
  });
});
