import { strict as assert } from 'node:assert';
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/client/stdio';
import { buildServerEnvironment, SAFE_INHERITED_ENV_VARS } from '../../../src/core/mcp/environment';

describe('buildServerEnvironment', () => {
  it("inherits exactly the SDK's allow-list (kept as a copy so the SDK loads only when a server starts)", () => {
    assert.deepEqual([...SAFE_INHERITED_ENV_VARS], DEFAULT_INHERITED_ENV_VARS);
  });

  const parent = {
    HOME: '/home/dev',
    PATH: '/usr/bin',
    USER: 'dev',
    HTTPS_PROXY: 'http://proxy:3128',
    GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_secret',
    NODE_OPTIONS: '--inspect',
    AWS_SECRET_ACCESS_KEY: 'nope',
  };

  it('passes only the safe base variables from the parent environment', () => {
    const env = buildServerEnvironment({}, parent);
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'PATH', 'USER']);
  });

  it('adds exactly the variables the definition declares, which win over the base', () => {
    const env = buildServerEnvironment({ CONTEXT7_API_URL: 'http://127.0.0.1:1/api', PATH: '/opt/bin' }, parent);
    assert.equal(env['CONTEXT7_API_URL'], 'http://127.0.0.1:1/api');
    assert.equal(env['PATH'], '/opt/bin');
    assert.equal(env['HTTPS_PROXY'], undefined, 'proxies must be passed on purpose');
    assert.equal(env['GITHUB_PERSONAL_ACCESS_TOKEN'], undefined, 'tokens must be passed on purpose');
  });

  it('drops inherited values that are exported shell functions', () => {
    const env = buildServerEnvironment({}, { ...parent, SHELL: '() { :; }; echo pwned' });
    assert.equal(env['SHELL'], undefined);
  });

  it('uses the given allow-list', () => {
    assert.deepEqual(buildServerEnvironment({}, parent, ['USER']), { USER: 'dev' });
  });
});
