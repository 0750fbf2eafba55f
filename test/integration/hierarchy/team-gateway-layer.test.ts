import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { McpIntegrationApi } from '../../../src/core/api';
import { startHttpServe } from '../../../src/core/serve/http';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { testConfig, writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from '../runtime/host';

const TEAM_TOKEN = 'team-gateway-token-9c41e7b2d06a';
const WRONG_TOKEN = 'not-the-team-token-51f0a3c8e2';
const QUESTION = 'how to use numpy broadcasting';

describe('a team gateway as a hierarchy layer', function () {
  this.timeout(120_000);
  const tracker = new RuntimeTracker();
  const makeDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let served: { url: string; close(): Promise<void> };

  const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;

  /**
   * A teammate's runtime: the test servers, plus the team gateway as the `team` layer in front of
   * them, its token from the secret TEAM_GATEWAY_TOKEN (`token`).
   */
  async function teammate(name: string, token: string): Promise<McpIntegrationApi> {
    const configDir = makeDir(`team-layer-config-${name}-`);
    const config = testConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      memoryTimeoutMs: 10_000,
      preloadStrategy: 'off',
    });
    (config['servers'] as Record<string, unknown>)['team-gateway'] = {
      kind: 'team-gateway',
      enabled: true,
      transport: 'http',
      url: served.url,
      headers: { Authorization: 'Bearer ${secret:TEAM_GATEWAY_TOKEN}' },
      timeouts: { initialize_ms: 10_000, list_ms: 5_000, call_ms: 10_000 },
    };
    const hierarchy = config['knowledge_hierarchy'] as { layers: Array<{ priority: number }> };
    hierarchy.layers = [
      { name: 'team', servers: ['team-gateway'], priority: 1, latency_target_ms: 300, timeout_ms: 15_000 },
      ...hierarchy.layers.map((layer) => ({ ...layer, priority: layer.priority + 1 })),
    ] as Array<{ priority: number }>;
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, 'mcp-config.yaml'), stringify(config));
    const secrets = { get: (key: string) => Promise.resolve(key === 'TEAM_GATEWAY_TOKEN' ? token : undefined) };
    const runtime = await tracker.create(
      testHost({ storageDir: makeDir(`team-layer-storage-${name}-`), configDir, secrets }),
    );
    assert.deepEqual(
      runtime.configErrors.map((e) => e.message),
      [],
    );
    return runtime;
  }

  before(async () => {
    api = await FakeContext7Api.start();
    // The team's gateway: a runtime of its own served over Streamable HTTP, as `serve --http` does.
    const teamConfigDir = makeDir('team-gateway-config-');
    writeTestConfig(teamConfigDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    const team = await tracker.create(
      testHost({ storageDir: makeDir('team-gateway-storage-'), configDir: teamConfigDir }),
    );
    served = await startHttpServe(team, { tokens: [TEAM_TOKEN], port: 0, client: 'team-layer-test' });
    const primed = await team.lookup(QUESTION);
    assert.equal(primed.source, 'docs', primed.error);
  });

  after(async () => {
    await served.close();
    await tracker.shutdownAll();
    await api.close();
  });

  it("answers a question the local levels miss from the team gateway's cache, without calling context7", async () => {
    const bob = await teammate('bob', TEAM_TOKEN);
    const upstream = docsRequests();
    const result = await bob.lookup(QUESTION);
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'team');
    assert.match(result.content ?? '', /broadcast/i);
    assert.deepEqual(
      result.trail.map((t) => [t.layer, t.server, t.outcome]),
      [
        ['local-cache', undefined, 'miss'],
        ['team', 'team-gateway', 'hit'],
      ],
    );
    assert.equal(docsRequests(), upstream, 'no docs call: the team answered from its cache');

    const again = await bob.lookup(QUESTION);
    assert.deepEqual(
      again.trail.map((t) => [t.layer, t.outcome]),
      [['local-cache', 'hit']],
      "the team's answer is kept in bob's local cache",
    );
  });

  it('with a wrong token the team layer fails with a clear error (no token in it) and the walk goes on', async () => {
    const eve = await teammate('eve', WRONG_TOKEN);
    const upstream = docsRequests();
    const result = await eve.lookup(QUESTION);
    const team = result.trail.find((t) => t.layer === 'team');
    assert.equal(team?.outcome, 'error', JSON.stringify(result.trail));
    assert.match(team.detail ?? '', /team gateway refused the credentials \(HTTP 401\)/);
    assert.ok(!JSON.stringify(result).includes(WRONG_TOKEN), 'the token is in no part of the result');
    assert.ok(!JSON.stringify(result).includes(TEAM_TOKEN));
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'docs', 'the next layers answered');
    assert.equal(docsRequests(), upstream + 1);
  });
});
