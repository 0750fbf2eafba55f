import { strict as assert } from 'node:assert';
import type { McpIntegrationApi } from '../../../src/core/api';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { TestRedis } from '../../helpers/redis-server';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker } from '../runtime/host';
import { waitFor, waitForAsync } from '../runtime/wait';
import { openTeamRuntime } from './team-runtime';

const PREFIX = 'team:';

describe('runtimes sharing one Redis (the team cache)', function () {
  this.timeout(120_000);
  const tracker = new RuntimeTracker();
  const makeDir = cleanTempDirsAfter();
  let redis: TestRedis;
  let api: FakeContext7Api;
  let alice: McpIntegrationApi;
  let bob: McpIntegrationApi;

  const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;
  const sharedKeys = (): Promise<string[]> => redis.keys(`${PREFIX}v1:s:*`);

  const open = (partition: string): Promise<McpIntegrationApi> =>
    openTeamRuntime({ tracker, makeDir, context7ApiUrl: api.apiUrl, redisUrl: redis.url, prefix: PREFIX, partition });

  before(async () => {
    redis = await TestRedis.start();
    api = await FakeContext7Api.start();
    alice = await open('alice');
    bob = await open('bob');
  });

  after(async () => {
    await tracker.shutdownAll();
    await api.close();
    await redis.stop();
  });

  it("answers one runtime's docs question from Redis on another, without an upstream call", async () => {
    const question = 'how to use numpy broadcasting';
    const first = await alice.lookup(question);
    assert.equal(first.source, 'docs', first.error);
    await waitForAsync('the answer in the shared partition', async () => (await sharedKeys()).length === 1);
    const upstream = docsRequests();

    const second = await bob.lookup(question);
    assert.equal(second.success, true);
    assert.equal(second.cached, true);
    assert.equal(second.content, first.content);
    assert.deepEqual(
      second.trail.map((t) => [t.layer, t.outcome, t.detail]),
      [['local-cache', 'hit', 'shared']],
    );
    assert.equal(docsRequests(), upstream, 'no upstream call for the second person');
    const row = bob.getDashboardData().sharedCache;
    assert.equal(row?.hits, 1);
    assert.equal(row.state, 'up');
  });

  it("keeps a partition's private answers (a remembered fix) from other partitions", async () => {
    const key = 'KeyError: config["region"] is missing';
    await alice.store(key, 'read it with config.get("region", "eu-west-1")', { contextType: 'error_solution' });
    await waitForAsync(
      'the fix in alice’s partition',
      async () => (await redis.keys(`${PREFIX}v1:p:alice:*`)).length > 0,
    );
    assert.equal((await sharedKeys()).length, 1, 'nothing new in the shared partition');

    const seenByBob = await bob.lookup(key, { contextType: 'error_solution' });
    assert.equal(seenByBob.trail[0]?.outcome, 'miss', "bob's lookup does not find alice's fix");
    assert.ok(!seenByBob.content?.includes('eu-west-1'));

    const aliceElsewhere = await open('alice');
    const seenByAlice = await aliceElsewhere.lookup(key, { contextType: 'error_solution' });
    assert.deepEqual(
      seenByAlice.trail.map((t) => [t.layer, t.outcome, t.detail]),
      [['local-cache', 'hit', 'shared']],
      "alice's other instance (same partition) does",
    );
  });

  it('drops a corrupt shared value and answers from upstream instead', async () => {
    const question = 'how to use pandas read_csv';
    const before = new Set(await sharedKeys());
    await alice.lookup(question);
    const [written] = await waitForAsync('the new shared entry', async () => {
      const added = (await sharedKeys()).filter((key) => !before.has(key));
      return added.length > 0 && added;
    });
    assert.ok(written);
    assert.equal(await redis.command(`SET ${written} {not-an-envelope`), '+OK');
    const upstream = docsRequests();
    const dropped = bob.getDashboardData().sharedCache?.dropped ?? 0;

    const result = await bob.lookup(question);
    assert.equal(result.source, 'docs', 'the corrupt value was not returned');
    assert.match(result.content ?? '', /read_csv/);
    assert.equal(docsRequests(), upstream + 1);
    assert.equal(bob.getDashboardData().sharedCache?.dropped, dropped + 1);
  });

  it('identical concurrent misses on two runtimes make one upstream call', async () => {
    api.delayMs = 300;
    try {
      const question = 'how to use requests sessions';
      const upstream = docsRequests();
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? alice : bob).lookup(question)),
      );
      assert.ok(results.every((r) => r.success && r.content === results[0]?.content));
      assert.equal(docsRequests(), upstream + 1, 'one upstream call for 16 lookups over two runtimes');
      const viaLease = results.filter((r) => r.trail.some((t) => t.detail === 'shared')).length;
      assert.equal(viaLease, 8, "the other runtime's 8 lookups waited for the lease holder's answer");
    } finally {
      api.delayMs = 0;
    }
  });

  it('Redis stopped mid-run: answers continue, the alert fires, and the shared level is used again after it returns', async () => {
    await redis.stop();
    await waitFor('alice to see Redis down', () => alice.getDashboardData().sharedCache?.state === 'down');
    const during = await alice.lookup('how to use react hooks');
    assert.equal(during.success, true, during.error);
    assert.equal(during.source, 'docs');
    const alert = alice.getDashboardData().alerts.find((a) => a.rule === 'shared_cache');
    assert.equal(alert?.severity, 'warning');
    assert.match(alert.message, /unreachable/);

    await redis.start();
    await waitFor('alice to reconnect', () => alice.getDashboardData().sharedCache?.state === 'up');
    await waitFor('bob to reconnect', () => bob.getDashboardData().sharedCache?.state === 'up');
    assert.equal(
      alice.getDashboardData().alerts.find((a) => a.rule === 'shared_cache'),
      undefined,
      'the alert is resolved',
    );
    const question = 'how to use express routing';
    await alice.lookup(question);
    await waitForAsync('the answer in the restarted Redis', async () => (await sharedKeys()).length > 0);
    const again = await bob.lookup(question);
    assert.equal(again.trail[0]?.detail, 'shared', 'the shared level answers again');
  });
});
