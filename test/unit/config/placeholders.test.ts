import { strict as assert } from 'node:assert';
import {
  resolvePlaceholders,
  resolveServers,
  UnresolvedPlaceholderError,
  type PlaceholderContext,
} from '../../../src/core/config/placeholders';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import type { SecretsPort } from '../../../src/core/ports';

const secrets: SecretsPort = { get: async (name) => ({ GITHUB_TOKEN: 'ghp_secret', API: 'k' })[name] };
const ctx: PlaceholderContext = {
  secrets,
  env: { HOME_DIR: '/home/me', EMPTY: '' },
  workspaceFolder: '/ws',
  userHome: '/users/me',
};

function stdio(name: string, over: Partial<ServerDefinition['transport']> = {}, enabled = true): ServerDefinition {
  return {
    name,
    kind: 'generic',
    enabled,
    transport: { transport: 'stdio', command: 'node', args: [], env: {}, ...over } as ServerDefinition['transport'],
    timeouts: { initializeMs: 1, listMs: 1, callMs: 1 },
    costPerCallUsd: 0,
    origin: 'defaults',
  };
}

describe('config/placeholders', () => {
  it('substitutes env, secret, workspaceFolder and userHome, leaving other text alone', async () => {
    assert.equal(
      await resolvePlaceholders(
        '${env:HOME_DIR}/x ${secret:GITHUB_TOKEN} ${workspaceFolder} ${userHome} ${unknown:x} $HOME',
        ctx,
      ),
      '/home/me/x ghp_secret /ws /users/me ${unknown:x} $HOME',
    );
  });

  it('treats a substituted value as plain text (no second round of substitution)', async () => {
    const tricky: PlaceholderContext = { ...ctx, env: { A: '${secret:GITHUB_TOKEN}' } };
    assert.equal(await resolvePlaceholders('${env:A}', tricky), '${secret:GITHUB_TOKEN}');
  });

  it('throws a named error for an unset env variable, an empty one, an unset secret and a missing workspace', async () => {
    await assert.rejects(
      resolvePlaceholders('${env:NOPE}', ctx),
      (e: unknown) => e instanceof UnresolvedPlaceholderError && e.placeholder === '${env:NOPE}',
    );
    await assert.rejects(resolvePlaceholders('${env:EMPTY}', ctx), UnresolvedPlaceholderError);
    await assert.rejects(resolvePlaceholders('${secret:MISSING}', ctx), /\$\{secret:MISSING\} is not set/);
    await assert.rejects(resolvePlaceholders('${workspaceFolder}', { secrets }), /needs an open workspace folder/);
  });

  it('resolves every part of stdio and http servers', async () => {
    const http: ServerDefinition = {
      ...stdio('web'),
      transport: {
        transport: 'http',
        url: 'https://h/${env:HOME_DIR}',
        headers: { Authorization: 'Bearer ${secret:API}' },
      },
    };
    const { servers, errors } = await resolveServers(
      [
        stdio('gh', {
          command: '${userHome}/bin/gh',
          args: ['--root', '${workspaceFolder}'],
          env: { TOKEN: '${secret:GITHUB_TOKEN}' },
          cwd: '${workspaceFolder}/sub',
        }),
        http,
      ],
      ctx,
      () => ({ file: 'f', line: 1, column: 1 }),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(servers[0]?.transport, {
      transport: 'stdio',
      command: '/users/me/bin/gh',
      args: ['--root', '/ws'],
      env: { TOKEN: 'ghp_secret' },
      cwd: '/ws/sub',
    });
    assert.deepEqual(servers[1]?.transport, {
      transport: 'http',
      url: 'https://h//home/me',
      headers: { Authorization: 'Bearer k' },
    });
  });

  it('disables only the server with an unset secret, with an error naming server and placeholder at its location', async () => {
    const { servers, errors } = await resolveServers(
      [stdio('needs-token', { env: { T: '${secret:NOT_STORED}' } }), stdio('fine')],
      ctx,
      (s) => ({ file: 'mcp-config.yaml', line: s.name === 'fine' ? 9 : 4, column: 3 }),
    );
    assert.deepEqual(
      servers.map((s) => [s.name, s.enabled]),
      [
        ['needs-token', false],
        ['fine', true],
      ],
    );
    assert.equal(errors.length, 1);
    assert.deepEqual(
      [errors[0]?.file, errors[0]?.line, errors[0]?.column, errors[0]?.keyPath],
      ['mcp-config.yaml', 4, 3, 'servers.needs-token'],
    );
    assert.match(errors[0]?.detail ?? '', /server "needs-token" is disabled: \$\{secret:NOT_STORED\}/);
  });

  it('leaves disabled servers unresolved and error-free', async () => {
    const off = stdio('github', { env: { T: '${secret:NOT_STORED}' } }, false);
    const { servers, errors } = await resolveServers([off], ctx, () => ({ file: 'f', line: 1, column: 1 }));
    assert.deepEqual(errors, []);
    assert.deepEqual(servers, [off]);
  });
});
