/**
 * Untrusted text that the runtime evaluates: trigger patterns with catastrophic backtracking, YAML
 * alias bombs, oversized and non-regular config files. Each case runs against the real runtime
 * and config loader under a time budget, with its time and memory recorded.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { McpIntegrationApi } from '../../src/core/api';
import { detectWithPatterns } from '../../src/core/libraries/pattern-detection';
import { LinearRegex } from '../../src/core/triggers/linear-regex';
import { cleanTempDirsAfter } from '../helpers/temp';
import { ensureCliBundle, runCli } from '../integration/cli/cli-runner';
import { RuntimeTracker, testHost } from '../integration/runtime/host';
import { bounded, figures } from './figures';

const NO_SERVERS = {
  servers: Object.fromEntries(['memory-bank', 'context7', 'serena', 'github'].map((n) => [n, { enabled: false }])),
};

/** Patterns that take exponential time on a backtracking engine, each with the text that triggers it. */
const EVIL: Array<{ pattern: string; text: string }> = [
  { pattern: '(a+)+$', text: `${'a'.repeat(3_999)}!` },
  { pattern: '(a|aa)+$', text: `${'a'.repeat(3_999)}!` },
  { pattern: '^(\\w+\\s?)*$', text: `${'word '.repeat(799)}!` },
  { pattern: '(.*a){25}', text: 'a'.repeat(4_000) },
  { pattern: '^(([a-z])+.)+[A-Z]([a-z])+$', text: `${'aaaa'.repeat(999)}!` },
];

/** A "billion laughs" document: 9 levels of 9 aliases each. */
function aliasBomb(): string {
  const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('adversarial: patterns and config bombs', function () {
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  after(() => tracker.shutdownAll());

  const workspaceWith = (files: Record<string, string>): string => {
    const workspace = makeDir('bomb-ws-');
    mkdirSync(path.join(workspace, '.mcp-integration'));
    for (const [name, text] of Object.entries(files))
      writeFileSync(path.join(workspace, '.mcp-integration', name), text);
    return workspace;
  };
  const runtimeFor = async (
    workspaceDir: string,
    trusted: boolean,
    warnings: string[] = [],
  ): Promise<McpIntegrationApi> => {
    const configDir = makeDir('bomb-config-');
    writeFileSync(path.join(configDir, 'mcp-config.yaml'), stringify({ ...NO_SERVERS, preload: { strategy: 'off' } }));
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    return tracker.create(testHost({ storageDir: makeDir('bomb-storage-'), configDir, workspaceDir, trusted, logger }));
  };
  const evilTriggers = (): string =>
    stringify({
      smart_triggers: {
        patterns: EVIL.map(({ pattern }, i) => ({ pattern, mcp: 'context7', type: `evil_${i}`, confidence: 1 })),
      },
    });

  it('catastrophic trigger patterns from a trusted workspace classify 4,000-character questions in linear time', async () => {
    const runtime = await runtimeFor(workspaceWith({ 'mcp-config.yaml': evilTriggers() }), true);
    assert.deepEqual(runtime.configErrors, []);
    for (const [i, { pattern, text }] of EVIL.entries()) {
      figures.attacksTried++;
      const matches = await bounded(`classify /${pattern}/ on ${text.length} chars`, 1_000, () =>
        runtime.classify(text),
      );
      // The engine still answers correctly, it just cannot be made to backtrack.
      assert.equal(
        matches.some((m) => m.contextType === `evil_${i}`),
        new LinearRegex(pattern, { ignoreCase: true }).test(text),
      );
    }
  });

  it('a pattern that needs backtracking (backreference, lookahead) is a located config error; the other rules still apply', async () => {
    const workspace = workspaceWith({
      'mcp-config.yaml':
        'smart_triggers:\n  patterns:\n    - pattern: "(a+)\\\\1+$"\n      mcp: context7\n      type: evil\n      confidence: 1\n    - pattern: "(?=a)+b"\n      mcp: context7\n      type: evil\n      confidence: 1\n    - pattern: "hello"\n      mcp: context7\n      type: greeting\n      confidence: 1\n',
    });
    figures.attacksTried += 2;
    const runtime = await runtimeFor(workspace, true);
    const errors = runtime.configErrors.map((e) => e.message);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0] ?? '', /mcp-config\.yaml:3:\d+: .*backreferences and lookaround/);
    assert.match(errors[1] ?? '', /mcp-config\.yaml:7:\d+: /);
    assert.equal(runtime.classify('hello there')[0]?.contextType, 'greeting');
  });

  it('workspace trigger patterns do not apply in an untrusted workspace (the shipped ones do), and the user is told', async () => {
    const warnings: string[] = [];
    const runtime = await runtimeFor(workspaceWith({ 'mcp-config.yaml': evilTriggers() }), false, warnings);
    figures.attacksTried++;
    const matches = runtime.classify(EVIL[0]!.text);
    assert.ok(!matches.some((m) => m.contextType.startsWith('evil_')));
    assert.equal(runtime.classify('how do I use numpy arrays')[0]?.contextType, 'library_api');
    assert.ok(
      warnings.some((w) => /smart_triggers is ignored until the workspace is trusted/.test(w)),
      warnings.join('\n'),
    );
  });

  it('catastrophic library detection patterns run in linear time on a large document', async () => {
    figures.attacksTried++;
    const text = `${'a'.repeat(200_000)}!\n`.repeat(5);
    const found = await bounded('detection pattern /(a+)+$/ on 1 MB', 5_000, () =>
      detectWithPatterns(text, [{ regex: new LinearRegex('^(a+)+$', { multiline: true }) }]),
    );
    assert.deepEqual(found, []);
  });

  it('a YAML alias bomb in the workspace is a located config error; the last good content stays in force', async () => {
    const good =
      'smart_triggers:\n  patterns:\n    - pattern: "hello"\n      mcp: context7\n      type: greeting\n      confidence: 1\n';
    const workspace = workspaceWith({ 'mcp-config.yaml': good });
    const runtime = await runtimeFor(workspace, true);
    assert.deepEqual(runtime.configErrors, []);
    assert.equal(runtime.classify('hello')[0]?.contextType, 'greeting');
    writeFileSync(path.join(workspace, '.mcp-integration', 'mcp-config.yaml'), aliasBomb());
    figures.attacksTried++;
    const errors = await bounded('reload with a billion-laughs file', 2_000, () => runtime.reloadConfig());
    assert.equal(errors.length, 1, errors.map((e) => e.message).join('\n'));
    assert.match(errors[0]!.message, /mcp-config\.yaml:2:\d+: aliases expand too much/);
    assert.equal(runtime.classify('hello')[0]?.contextType, 'greeting', 'the last good patterns still apply');
  });

  it('the CLI survives an alias bomb with a located error instead of dying', async () => {
    await ensureCliBundle();
    const configDir = makeDir('bomb-cli-config-');
    writeFileSync(path.join(configDir, 'mcp-config.yaml'), `${stringify(NO_SERVERS)}${aliasBomb()}`);
    figures.attacksTried++;
    const run = await runCli(['--config', configDir, '--storage', makeDir('bomb-cli-storage-'), 'servers', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /mcp-config\.yaml:\d+:\d+: aliases expand too much/);
  });

  it('oversized, FIFO and device config files are refused before reading, as located errors', async () => {
    const big = workspaceWith({ 'mcp-config.yaml': `# ${'x'.repeat(2 * 1024 * 1024)}\n` });
    const fifo = workspaceWith({});
    execFileSync('mkfifo', [path.join(fifo, '.mcp-integration', 'mcp-config.yaml')]);
    const device = workspaceWith({});
    symlinkSync('/dev/zero', path.join(device, '.mcp-integration', 'mcp-config.yaml'));
    for (const [name, workspace, reason] of [
      ['2 MiB file', big, /larger than/],
      ['FIFO', fifo, /not a regular file/],
      ['/dev/zero', device, /not a regular file/],
    ] as const) {
      figures.attacksTried++;
      const runtime = await bounded(`runtime start with a ${name} as config`, 5_000, () => runtimeFor(workspace, true));
      const messages = runtime.configErrors.map((e) => e.message).join('\n');
      assert.match(messages, reason, name);
      assert.match(messages, /mcp-config\.yaml:1:1:/);
    }
    assert.ok(readFileSync(path.join(big, '.mcp-integration', 'mcp-config.yaml')).length > 0);
  });
});
