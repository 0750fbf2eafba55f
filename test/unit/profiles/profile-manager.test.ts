import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProfilesConfig } from '../../../src/core/config/types';
import { MCPProfileManager } from '../../../src/core/profiles/profile-manager';

const config: ProfilesConfig = {
  profiles: [
    { name: 'lookup', description: '', servers: ['memory-bank', 'context7'], parallelInit: true },
    { name: 'fix', description: '', servers: ['memory-bank', 'serena', 'github', 'serena'], parallelInit: false },
    { name: 'docs', description: '', servers: ['context7'], parallelInit: true },
  ],
  commands: { lookup: 'lookup', 'find-fix': 'fix', hover: 'docs' },
  defaultProfile: 'lookup',
};

/** A controllable fake of the pool's start: records the order calls begin and end. */
function recordingStarter(failing: Record<string, string> = {}) {
  const events: string[] = [];
  const pending = new Map<string, () => void>();
  const start = (name: string): Promise<void> => {
    events.push(`start ${name}`);
    if (failing[name]) return Promise.reject(new Error(failing[name]));
    return new Promise<void>((resolve) =>
      pending.set(name, () => {
        events.push(`ready ${name}`);
        resolve();
      }),
    );
  };
  return { events, pending, start };
}

describe('profiles/MCPProfileManager', () => {
  it('maps commands to profiles and falls back to the default profile', () => {
    const m = new MCPProfileManager(config);
    assert.equal(m.profileFor('find-fix').name, 'fix');
    assert.equal(m.profileFor('hover').name, 'docs');
    assert.equal(m.profileFor('something-else').name, 'lookup');
    assert.equal(m.profileFor('toString').name, 'lookup', 'inherited object keys are not commands');
    assert.deepEqual(m.listProfiles(), ['lookup', 'fix', 'docs']);
  });

  it('starts all servers of a parallel profile before any has finished', async () => {
    const m = new MCPProfileManager(config);
    const s = recordingStarter();
    const activation = m.activateForCommand('lookup', s.start);
    await Promise.resolve();
    assert.deepEqual(s.events, ['start memory-bank', 'start context7']);
    s.pending.get('context7')?.();
    s.pending.get('memory-bank')?.();
    const result = await activation;
    assert.deepEqual(result.started, ['context7', 'memory-bank']);
    assert.equal(result.parallel, true);
    assert.equal(result.profile, 'lookup');
    assert.equal(m.activeProfile, 'lookup');
  });

  it('starts a sequential profile in order, once per server, tolerating a failure', async () => {
    const m = new MCPProfileManager(config);
    const s = recordingStarter({ serena: 'spawn uvx ENOENT' });
    const activation = m.activateForCommand('find-fix', s.start);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    assert.deepEqual(s.events, ['start memory-bank']);
    s.pending.get('memory-bank')?.();
    for (let i = 0; i < 10 && !s.pending.has('github'); i++) await new Promise((r) => setImmediate(r));
    s.pending.get('github')?.();
    const result = await activation;
    assert.deepEqual(s.events, [
      'start memory-bank',
      'ready memory-bank',
      'start serena',
      'start github',
      'ready github',
    ]);
    assert.deepEqual(result.started, ['memory-bank', 'github']);
    assert.deepEqual(result.failed, [{ server: 'serena', error: 'spawn uvx ENOENT' }]);
    assert.equal(result.parallel, false);
    assert.equal(m.activeProfile, 'fix');
  });

  it('reports a starter that throws synchronously instead of rejecting', async () => {
    const m = new MCPProfileManager(config);
    const result = await m.activateForCommand('hover', () => {
      throw new Error('boom');
    });
    assert.deepEqual(result.failed, [{ server: 'context7', error: 'boom' }]);
    assert.deepEqual(result.started, []);
  });

  it('select() overrides the profile for every command until cleared', async () => {
    const m = new MCPProfileManager(config);
    m.select('docs');
    assert.equal(m.activeProfile, 'docs');
    assert.equal(m.profileFor('find-fix').name, 'docs');
    const started: string[] = [];
    await m.activateForCommand('find-fix', async (n) => {
      started.push(n);
    });
    assert.deepEqual(started, ['context7']);
    assert.throws(() => m.select('nope'), /Unknown MCP profile "nope"/);
    m.select(undefined);
    assert.equal(m.profileFor('find-fix').name, 'fix');
  });

  it('clears a selection that disappears on reload, and starts nothing without profiles', async () => {
    const m = new MCPProfileManager(config);
    m.select('docs');
    m.update({ profiles: [config.profiles[0]!], commands: {}, defaultProfile: 'lookup' });
    assert.equal(m.selectedProfile, undefined);
    assert.equal(m.profileFor('hover').name, 'lookup');
    const empty = new MCPProfileManager({ profiles: [], commands: {}, defaultProfile: 'lookup' });
    const result = await empty.activateForCommand('lookup', async () => assert.fail('nothing to start'));
    assert.deepEqual(result.started, []);
    assert.equal(result.profile, 'none');
  });

  it('create() loads the layered mcp-profiles.yaml', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-profiles-'));
    try {
      await writeFile(
        path.join(dir, 'mcp-profiles.yaml'),
        'default_profile: a\nprofiles:\n  a: { servers: [x] }\ncommands:\n  go: missing\n',
      );
      const { manager, errors } = await MCPProfileManager.create({ defaultsDir: dir });
      assert.deepEqual(manager.listProfiles(), ['a']);
      assert.deepEqual(
        errors.map((e) => `${e.line}:${e.column} ${e.keyPath}`),
        ['5:7 commands.go'],
      );
      const shipped = await MCPProfileManager.create({ defaultsDir: path.resolve('config') });
      assert.deepEqual(shipped.errors, []);
      assert.equal(shipped.manager.profileFor('preload').parallelInit, false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
