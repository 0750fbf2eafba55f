/**
 * Secret values must not leak through any output, and a store nothing kept must fail. The CLI runs
 * as a real process against a real server process that prints its credentials to stderr and
 * dies, so the secret reaches every path an error travels: statuses, lookup errors and trails,
 * warnings, the server log, stats, and both metrics exports.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { cleanTempDirsAfter } from '../helpers/temp';
import { packageBin } from '../helpers/servers';
import { ensureCliBundle, runCli, type CliRun } from '../integration/cli/cli-runner';
import { RuntimeTracker, testHost } from '../integration/runtime/host';
import { figures } from './figures';

const SECRET = 'sEcReT-value-9f8e7d6c5b4a';
const UNDECLARED_TOKEN = `ghp_${'Z'.repeat(36)}`;
const HEURISTIC = 'heuristic-credential-1234567';

/** A "server" that prints everything it was given and dies before speaking MCP. */
const leakyServer = {
  kind: 'generic',
  command: process.execPath,
  args: [
    '-e',
    "process.stderr.write('boot with ' + process.env.API_TOKEN + ' and ' + process.env.SERVICE_PASSWORD + ' and ' + process.env.EXTRA + '\\n'); process.exit(3)",
  ],
  env: { API_TOKEN: '${secret:API_TOKEN}', SERVICE_PASSWORD: HEURISTIC, EXTRA: UNDECLARED_TOKEN },
  timeouts: { initialize_ms: 5_000, list_ms: 2_000, call_ms: 2_000 },
  tool_mapping: { fetch: { tool: 'echo', arguments: { text: '{query}' } } },
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('adversarial: secrets and stores', function () {
  this.timeout(90_000);
  const makeDir = cleanTempDirsAfter();

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
  });

  it('no output, log, export or state file of the CLI contains a resolved secret or a token', async () => {
    const configDir = makeDir('leak-config-');
    const storage = makeDir('leak-storage-');
    writeFileSync(
      path.join(configDir, 'mcp-config.yaml'),
      stringify({
        servers: {
          'memory-bank': leakyServer,
          context7: { enabled: false },
          serena: { enabled: false },
          github: { enabled: false },
        },
        preload: { strategy: 'off' },
      }),
    );
    const env = { MCP_SECRET_API_TOKEN: SECRET };
    const cli = (...args: string[]): Promise<CliRun> =>
      runCli(['--config', configDir, '--storage', storage, '--log-level', 'debug', ...args], { env });
    const exportsDir = makeDir('leak-exports-');
    const runs = [
      await cli('servers', '--start', '--json'),
      await cli('lookup', 'what', 'is', 'the', 'deploy', 'key', '--type', 'project_memory', '--json'),
      await cli('stats', '--json'),
      await cli('export-metrics', '-f', 'json', '-o', path.join(exportsDir, 'm.json')),
      await cli('export-metrics', '-f', 'prometheus'),
    ];
    const outputs: Array<[string, string]> = runs.flatMap((run, i) => [
      [`run ${i} stdout`, run.stdout],
      [`run ${i} stderr`, run.stderr],
    ]);
    for (const file of [...filesUnder(storage), ...filesUnder(exportsDir)])
      outputs.push([file, readFileSync(file, 'utf8')]);
    // The leak would be there: the server's stderr is reported (masked) as the reason it failed.
    assert.match(runs[0]!.stdout, /boot with ‹redacted› and ‹redacted› and ‹redacted›/);
    assert.ok(
      outputs.some(([name]) => name.endsWith('memory-bank.log')),
      'the server log was written',
    );
    for (const [name, text] of outputs) {
      figures.entriesChecked++;
      for (const secret of [SECRET, UNDECLARED_TOKEN, HEURISTIC]) {
        figures.attacksTried++;
        assert.ok(!text.includes(secret), `${name} contains ${secret.slice(0, 8)}…`);
      }
    }
    // And the storage is the user's alone.
    assert.equal(statSync(storage).mode & 0o777, 0o700);
    for (const file of filesUnder(storage))
      assert.equal(statSync(file).mode & 0o077, 0, `${file} is readable by others`);
  });

  it('store with an unusable storage folder and no memory layer fails with exit 1 and says why', async () => {
    const configDir = makeDir('store-config-');
    writeFileSync(
      path.join(configDir, 'mcp-config.yaml'),
      stringify({
        servers: Object.fromEntries(
          ['memory-bank', 'context7', 'serena', 'github'].map((n) => [n, { enabled: false }]),
        ),
      }),
    );
    const storageFile = path.join(makeDir('store-blocked-'), 'not-a-folder');
    writeFileSync(storageFile, 'x');
    figures.faultsInjected++;
    const run = await runCli(['--config', configDir, '--storage', storageFile, 'store', 'k', 'v']);
    assert.equal(run.code, 1, run.stdout);
    assert.doesNotMatch(run.stdout, /stored/);
    assert.match(run.stderr, /store k: nothing kept the value: local cache: .*(ENOTDIR|EEXIST|not a directory)/i);
  });

  it('store reports the memory server that kept the value when the local cache could not', async () => {
    const configDir = makeDir('store-config-');
    writeFileSync(
      path.join(configDir, 'mcp-config.yaml'),
      stringify({
        servers: {
          'memory-bank': {
            kind: 'memory-bank',
            command: process.execPath,
            args: [packageBin('@allpepper/memory-bank-mcp')],
            env: { MEMORY_BANK_ROOT: makeDir('store-bank-') },
            timeouts: { initialize_ms: 15_000, list_ms: 5_000, call_ms: 5_000 },
          },
          context7: { enabled: false },
          serena: { enabled: false },
          github: { enabled: false },
        },
        preload: { strategy: 'off' },
      }),
    );
    const storageFile = path.join(makeDir('store-blocked-'), 'not-a-folder');
    writeFileSync(storageFile, 'x');
    figures.faultsInjected++;
    const run = await runCli([
      '--config',
      configDir,
      '--storage',
      storageFile,
      'store',
      'k',
      'v',
      '--type',
      'project_memory',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /stored k in memory-bank/);
    assert.match(run.stderr, /not stored in local cache/);
  });

  it('the runtime API (rememberFix, store) rejects when nothing kept the value, and reports targets when something did', async () => {
    const configDir = makeDir('store-config-');
    writeFileSync(
      path.join(configDir, 'mcp-config.yaml'),
      stringify({
        servers: Object.fromEntries(
          ['memory-bank', 'context7', 'serena', 'github'].map((n) => [n, { enabled: false }]),
        ),
      }),
    );
    const storageFile = path.join(makeDir('store-blocked-'), 'not-a-folder');
    writeFileSync(storageFile, 'x');
    const tracker = new RuntimeTracker();
    try {
      const blocked = await tracker.create(testHost({ storageDir: storageFile, configDir }));
      figures.faultsInjected++;
      const diagnostic = { message: "Cannot find name 'foo'.", source: 'ts', code: '2304', language: 'typescript' };
      await assert.rejects(blocked.rememberFix(diagnostic, 'declare foo'), /nothing kept the value: local cache/);
      await assert.rejects(blocked.store('k', 'v'), /nothing kept the value/);
      const working = await tracker.create(testHost({ storageDir: makeDir('store-ok-'), configDir }));
      assert.deepEqual(await working.store('k', 'v'), { targets: ['local cache'], failed: [] });
    } finally {
      await tracker.shutdownAll();
    }
  });
});
