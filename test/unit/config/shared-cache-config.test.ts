import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadMcpConfig } from '../../../src/core/config/load-config';
import { cleanTempDirsAfter } from '../../helpers/temp';

const defaultsDir = path.resolve('config');
const PASSWORD = 'correct-horse-battery';

describe('config: shared_cache', () => {
  const tempDir = cleanTempDirsAfter();

  function folderWith(yaml: string): string {
    const dir = tempDir('shared-cache-config-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'mcp-config.yaml'), yaml);
    return dir;
  }

  const secrets = (values: Record<string, string>): { get: (name: string) => Promise<string | undefined> } => ({
    get: (name) => Promise.resolve(values[name]),
  });

  it('ships off (no url) with the documented defaults', async () => {
    const { config, errors } = await loadMcpConfig({ locations: { defaultsDir }, secrets: secrets({}), env: {} });
    assert.deepEqual(errors.map(String), []);
    assert.equal(config.sharedCache.url, undefined);
    assert.equal(config.sharedCache.prefix, 'mcpi:');
    assert.equal(config.sharedCache.opTimeoutMs, 50);
    assert.deepEqual(config.sharedCache.lease, { ttlMs: 5000, waitMs: 10_000, maxHoldMs: 120_000 });
    assert.deepEqual(config.sharedCache.privateServers, []);
    assert.equal(config.sharedCache.teamMemory, false);
  });

  it('turns team memory on, signing fixes with the partition', async () => {
    const userDir = folderWith(
      'shared_cache:\n  url: "redis://127.0.0.1:6379"\n  partition: "${env:USER}"\n  team_memory: true\n',
    );
    const { config, errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({}),
      env: { USER: 'ada' },
    });
    assert.deepEqual(errors.map(String), []);
    assert.equal(config.sharedCache.teamMemory, true);
    assert.equal(config.sharedCache.partition, 'ada');
  });

  it('refuses team memory when the partition comes from a secret (it would be published), keeping the shared level', async () => {
    const userDir = folderWith(
      'shared_cache:\n  url: "redis://127.0.0.1:6379"\n  partition: "${secret:WHO}"\n  team_memory: true\n',
    );
    const { config, errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({ WHO: PASSWORD }),
      env: {},
    });
    assert.equal(config.sharedCache.teamMemory, false);
    assert.equal(config.sharedCache.url, 'redis://127.0.0.1:6379');
    const [error, ...others] = errors;
    assert.ok(error);
    assert.equal(others.length, 0);
    assert.equal(error.line, 4);
    assert.match(error.message, /team memory is off/);
    assert.ok(!error.message.includes(PASSWORD));
  });

  it('resolves the URL from a secret and the partition from the environment', async () => {
    const userDir = folderWith(
      [
        'shared_cache:',
        '  url: "${secret:REDIS_URL}"',
        '  partition: "team-${env:USER}"',
        '  op_timeout_ms: 80',
        '  private_servers: [docs-internal]',
      ].join('\n'),
    );
    const { config, errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({ REDIS_URL: `redis://:${PASSWORD}@10.0.0.5:6379/2` }),
      env: { USER: 'ada' },
    });
    assert.deepEqual(errors.map(String), []);
    assert.equal(config.sharedCache.url, `redis://:${PASSWORD}@10.0.0.5:6379/2`);
    assert.equal(config.sharedCache.partition, 'team-ada');
    assert.equal(config.sharedCache.opTimeoutMs, 80);
    assert.deepEqual(config.sharedCache.privateServers, ['docs-internal']);
  });

  it('turns the shared level off with a located error when the secret is not set', async () => {
    const userDir = folderWith('shared_cache:\n  url: "${secret:REDIS_URL}"\n');
    const { config, errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({}),
      env: { USER: 'ada' },
    });
    assert.equal(config.sharedCache.url, undefined);
    const [error, ...others] = errors;
    assert.ok(error);
    assert.equal(others.length, 0);
    assert.equal(error.file, path.join(userDir, 'mcp-config.yaml'));
    assert.equal(error.line, 2);
    assert.match(error.message, /shared cache is off: \$\{secret:REDIS_URL\} is not set/);
  });

  it('refuses a URL that is not redis:// or rediss://, without echoing it', async () => {
    const userDir = folderWith(`shared_cache:\n  url: "http://user:${PASSWORD}@example.com"\n`);
    const { config, errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({}),
      env: { USER: 'ada' },
    });
    assert.equal(config.sharedCache.url, undefined);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /must start with redis:\/\/ or rediss:\/\//);
    assert.ok(!String(errors[0]).includes(PASSWORD), 'the URL (and its password) is not repeated');
  });

  it('is off when the partition placeholder cannot be resolved', async () => {
    const userDir = folderWith('shared_cache:\n  url: "redis://127.0.0.1:6379"\n');
    const { config, errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({}),
      env: {},
    });
    assert.equal(config.sharedCache.url, undefined);
    assert.match(String(errors[0]), /shared_cache\.partition.*\$\{env:USER\} is not set/);
  });

  it("ignores an untrusted workspace's shared_cache and honours a trusted one's", async () => {
    const workspaceDir = folderWith('shared_cache:\n  url: "redis://203.0.113.9:6379"\n  partition: "ws"\n');
    const load = (trusted: boolean): ReturnType<typeof loadMcpConfig> =>
      loadMcpConfig({
        locations: { defaultsDir, workspaceDir },
        secrets: secrets({}),
        env: { USER: 'ada' },
        isWorkspaceTrusted: () => trusted,
      });
    const untrusted = await load(false);
    assert.equal(untrusted.config.sharedCache.url, undefined, 'a workspace cannot send answers to its own Redis');
    assert.deepEqual(
      untrusted.layers.find((layer) => layer.layer === 'workspace')?.untrustedKeys,
      ['shared_cache'],
      'the ignored key is reported',
    );
    const trusted = await load(true);
    assert.equal(trusted.config.sharedCache.url, 'redis://203.0.113.9:6379');
    assert.equal(trusted.config.sharedCache.partition, 'ws');
  });

  it('rejects unknown keys and out-of-range timeouts at their location', async () => {
    const userDir = folderWith('shared_cache:\n  url: "redis://127.0.0.1:6379"\n  op_timeout_ms: 0\n  colour: blue\n');
    const { errors } = await loadMcpConfig({
      locations: { defaultsDir, userDir },
      secrets: secrets({}),
      env: { USER: 'ada' },
    });
    const text = errors.map(String).join('\n');
    assert.match(text, /shared_cache\.op_timeout_ms/);
    assert.match(text, /colour/);
  });
});
