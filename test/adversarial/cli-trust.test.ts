/**
 * A cloned repository must not run its commands through the CLI. Each workspace below declares a
 * server whose "command" writes a marker file; the CLI runs as a real process and the marker
 * tells whether the repository's command ran.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { cleanTempDirsAfter } from '../helpers/temp';
import { ensureCliBundle, runCli } from '../integration/cli/cli-runner';
import { figures } from './figures';

const markerCommand = (marker: string): { command: string; args: string[] } => ({
  command: process.execPath,
  args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`],
});

describe('adversarial: CLI workspace trust', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  let configDir: string;
  let storage: string;

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
    configDir = makeDir('trust-config-');
    // The user's own configuration: no servers at all, so anything that starts came from the repository.
    writeFileSync(
      path.join(configDir, 'mcp-config.yaml'),
      stringify({
        servers: Object.fromEntries(
          ['memory-bank', 'context7', 'serena', 'github'].map((n) => [n, { enabled: false }]),
        ),
      }),
    );
  });
  beforeEach(() => {
    storage = makeDir('trust-storage-');
  });

  /** Workspaces that declare a server in each of the three places a repository can. */
  const workspaces: Array<[string, (dir: string, marker: string) => void]> = [
    [
      '.mcp-integration/mcp-config.yaml declaring a server',
      (dir, marker) => {
        mkdirSync(path.join(dir, '.mcp-integration'));
        writeFileSync(
          path.join(dir, '.mcp-integration', 'mcp-config.yaml'),
          stringify({ servers: { 'memory-bank': { kind: 'generic', enabled: true, ...markerCommand(marker) } } }),
        );
      },
    ],
    [
      '.vscode/mcp.json',
      (dir, marker) => {
        mkdirSync(path.join(dir, '.vscode'));
        writeFileSync(
          path.join(dir, '.vscode', 'mcp.json'),
          JSON.stringify({ servers: { evil: markerCommand(marker) } }),
        );
      },
    ],
    [
      '.mcp.json',
      (dir, marker) =>
        writeFileSync(path.join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { evil: markerCommand(marker) } })),
    ],
  ];

  // A lookup starts servers through the profile of its command, `servers --start` starts them all:
  // both paths are tried on the first kind of declaration, the start-everything path on all three.
  for (const [index, [name, plant]] of workspaces.entries()) {
    it(`${name}: not run until trusted; --trust-workspace runs it for one run only`, async () => {
      const workspace = makeDir('trust-repo-');
      const marker = path.join(makeDir('trust-marker-'), 'ran');
      plant(workspace, marker);
      const cli = (...args: string[]) =>
        runCli(['--config', configDir, '--storage', storage, ...args], { cwd: workspace });

      const attempts = [['servers', '--start', '--json']];
      if (index === 0) attempts.unshift(['lookup', 'how', 'to', 'use', 'react']);
      for (const args of attempts) {
        figures.attacksTried++;
        const run = await cli(...args);
        assert.equal(existsSync(marker), false, `${args[0]} ran the repository's command`);
        assert.match(run.stderr, /declared by the workspace .* stays off until the workspace is trusted/);
        assert.match(run.stderr, /mcp-integration trust allow .*--trust-workspace/);
      }

      await cli('--trust-workspace', 'servers', '--start', '--json');
      assert.equal(existsSync(marker), true, '--trust-workspace runs it for this run');
      if (index === workspaces.length - 1) {
        rmSync(marker);
        figures.attacksTried++;
        await cli('servers', '--start', '--json');
        assert.equal(existsSync(marker), false, 'the flag is not remembered');
      }
    });
  }

  it('trust allow remembers a folder, trust list shows it, trust deny revokes it', async () => {
    const workspace = makeDir('trust-repo-');
    const marker = path.join(makeDir('trust-marker-'), 'ran');
    workspaces[1]![1](workspace, marker);
    const cli = (...args: string[]) =>
      runCli(['--config', configDir, '--storage', storage, ...args], { cwd: workspace });
    const allow = await cli('trust', 'allow');
    assert.equal(allow.code, 0, allow.stderr);
    assert.match((await cli('trust', 'list')).stdout, new RegExp(path.basename(workspace)));
    await cli('servers', '--start', '--json');
    assert.equal(existsSync(marker), true, 'a remembered trust runs it');
    rmSync(marker);

    await cli('trust', 'deny');
    figures.attacksTried++;
    await cli('servers', '--start', '--json');
    assert.equal(existsSync(marker), false, 'deny revokes it');
  });

  it('trust is per folder: trusting one repository does not trust its sibling, and a link to a repository is that repository', async () => {
    const parent = makeDir('trust-parent-');
    const trusted = path.join(parent, 'trusted');
    const sibling = path.join(parent, 'trusted-sibling');
    mkdirSync(trusted);
    mkdirSync(sibling);
    const marker = path.join(makeDir('trust-marker-'), 'ran');
    workspaces[2]![1](sibling, marker);
    const link = path.join(makeDir('trust-link-'), 'looks-trusted');
    symlinkSync(sibling, link);
    const base = ['--config', configDir, '--storage', storage];
    await runCli([...base, 'trust', 'allow', trusted]);
    figures.attacksTried += 2;
    await runCli([...base, 'servers', '--start'], { cwd: sibling });
    assert.equal(existsSync(marker), false, 'a sibling with a common prefix is not trusted');
    await runCli([...base, '--workspace', link, 'servers', '--start']);
    assert.equal(existsSync(marker), false, 'a link does not borrow trust');
  });

  it('a workspace cannot plant its own trust list: the list is read from the user storage only, not through a link', async () => {
    const workspace = makeDir('trust-repo-');
    const marker = path.join(makeDir('trust-marker-'), 'ran');
    workspaces[2]![1](workspace, marker);
    // The attacker's list, linked in where the user's list belongs.
    const forged = path.join(workspace, 'trusted-folders.json');
    writeFileSync(forged, JSON.stringify({ version: 1, folders: ['/'] }));
    symlinkSync(forged, path.join(storage, 'trusted-folders.json'));
    figures.attacksTried++;
    await runCli(['--config', configDir, '--storage', storage, 'servers', '--start'], { cwd: workspace });
    assert.equal(existsSync(marker), false);
  });
});
