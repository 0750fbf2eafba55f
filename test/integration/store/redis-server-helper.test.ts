import { strict as assert } from 'node:assert';
import { isPidAlive } from '../../helpers/processes';
import { redisCommand, TestRedis } from '../../helpers/redis-server';

describe('test helper: a real redis-server per test', () => {
  it('starts on a free loopback port in its own folder, restarts on the same port, and stops', async () => {
    const redis = await TestRedis.start();
    try {
      assert.equal(await redis.command('PING'), '+PONG');
      assert.equal(await redis.command('CONFIG GET dir'), '*2', 'CONFIG GET answers an array');
      assert.equal(await redis.command('SET probe 1'), '+OK');
      const { port, pid } = redis;
      assert.ok(pid !== undefined && isPidAlive(pid));

      await redis.stop();
      assert.equal(redis.running, false);
      assert.equal(isPidAlive(pid), false, 'the process is gone once stop() resolves');
      await assert.rejects(redisCommand(port, 'PING'), 'nothing answers while it is stopped');

      await redis.start();
      assert.equal(redis.port, port, 'a restart keeps the port, as a Redis that comes back would');
      assert.equal(await redis.command('GET probe'), '$-1', 'persistence is off: a restart starts empty');
    } finally {
      await redis.stop();
    }
  });
});
