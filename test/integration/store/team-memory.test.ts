import { strict as assert } from 'node:assert';
import type { McpIntegrationApi } from '../../../src/core/api';
import { hierarchyTools } from '../../../src/core/gateway/hierarchy-tools';
import { resultText } from '../../../src/core/gateway/protocol';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { TestRedis } from '../../helpers/redis-server';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker } from '../runtime/host';
import { waitForAsync } from '../runtime/wait';
import { openTeamRuntime } from './team-runtime';

const PREFIX = 'memo:';

describe('team memory: remembered fixes shared through the team partition', function () {
  this.timeout(120_000);
  const tracker = new RuntimeTracker();
  const makeDir = cleanTempDirsAfter();
  let redis: TestRedis;
  let api: FakeContext7Api;

  const open = (partition: string, teamMemory: boolean): Promise<McpIntegrationApi> =>
    openTeamRuntime({
      tracker,
      makeDir,
      context7ApiUrl: api.apiUrl,
      redisUrl: redis.url,
      prefix: PREFIX,
      partition,
      sharedCache: { team_memory: teamMemory },
    });

  before(async () => {
    redis = await TestRedis.start();
    api = await FakeContext7Api.start();
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
    await redis.stop();
  });

  it("a fix alice remembers for the team is found by bob's runtime, saying who remembered it and when", async () => {
    const alice = await open('alice', true);
    const bob = await open('bob', true);
    const before = Date.now();
    const signature = await alice.rememberFix(
      { message: "Cannot find module './config.json'", source: 'ts', code: '2307' },
      'enable "resolveJsonModule" in tsconfig.json',
    );
    const after = Date.now();
    await waitForAsync('the fix in the team partition', async () => (await redis.keys(`${PREFIX}v1:t:*`)).length === 1);
    assert.deepEqual(await redis.keys(`${PREFIX}v1:p:*`), [], 'nothing in a private partition');

    // Another path, same signature: a teammate's quick fix for the same error.
    const fix = await bob.findFix({ message: "Cannot find module './settings.json'", source: 'ts', code: '2307' });
    assert.equal(fix.signature, signature);
    assert.equal(fix.success, true, fix.error);
    assert.equal(fix.content, 'enable "resolveJsonModule" in tsconfig.json');
    assert.deepEqual(
      fix.trail.map((t) => [t.layer, t.outcome, t.detail]),
      [['local-cache', 'hit', 'shared']],
    );
    assert.equal(fix.rememberedBy, 'alice');
    assert.ok(
      fix.rememberedAt !== undefined && fix.rememberedAt >= before && fix.rememberedAt <= after,
      `remembered at ${fix.rememberedAt}`,
    );

    // The gateway's find_fix, as a teammate's agent calls it.
    const findFix = hierarchyTools(bob).find((tool) => tool.definition.name === 'find_fix');
    assert.ok(findFix);
    const result = await findFix.call({ message: "Cannot find module './x.json'", source: 'ts', code: '2307' }, {});
    assert.equal(result.isError, undefined);
    const structured = result.structuredContent ?? {};
    assert.equal(structured['rememberedBy'], 'alice');
    assert.equal(structured['rememberedAt'], fix.rememberedAt);
    const when = new Date(fix.rememberedAt).toISOString().slice(0, 16).replace('T', ' ');
    assert.match(resultText(result), new RegExp(`remembered by alice, ${when} UTC`));
  });

  it("a fix alice remembers privately (team memory off) stays out of bob's reach", async () => {
    const alicePrivate = await open('alice', false);
    const bob = await open('bob', true);
    const diagnostic = { message: 'Object is possibly undefined', source: 'ts', code: '2532' };
    await alicePrivate.rememberFix(diagnostic, 'narrow it with an if first');
    await waitForAsync(
      'the fix in alice’s partition',
      async () => (await redis.keys(`${PREFIX}v1:p:alice:*`)).length > 0,
    );
    assert.equal((await redis.keys(`${PREFIX}v1:t:*`)).length, 1, 'nothing new in the team partition');

    const seenByBob = await bob.findFix(diagnostic);
    assert.equal(seenByBob.trail[0]?.outcome, 'miss', "bob's lookup does not find alice's private fix");
    assert.notEqual(seenByBob.content, 'narrow it with an if first');

    const seenByAlice = await (await open('alice', false)).findFix(diagnostic);
    assert.equal(seenByAlice.content, 'narrow it with an if first', "alice's other instance (same partition) does");
    assert.equal(seenByAlice.rememberedBy, undefined, 'a private fix names nobody');
    assert.ok(seenByAlice.rememberedAt !== undefined);
  });
});
