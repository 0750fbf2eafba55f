import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpIntegrationApi } from '../../../src/core/api';
import { type HealthReport, healthzRoute, type OperationalRoute } from '../../../src/core/serve/healthz';
import { metricsRoute, PROMETHEUS_CONTENT_TYPE } from '../../../src/core/serve/metrics-route';
import { SERVE_IMPLEMENTATION } from '../../../src/core/serve/gateway-server';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { TestRedis } from '../../helpers/redis-server';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from '../runtime/host';
import { waitFor } from '../runtime/wait';

describe('team gateway endpoints: /healthz and /metrics', function () {
  this.timeout(120_000);
  const tracker = new RuntimeTracker();
  const makeDir = cleanTempDirsAfter();
  let redis: TestRedis;
  let api: FakeContext7Api;
  let runtime: McpIntegrationApi;
  let server: Server;
  let base: string;

  before(async () => {
    redis = await TestRedis.start();
    api = await FakeContext7Api.start();
    const configDir = makeDir('endpoints-config-');
    writeTestConfig(configDir, {
      context7ApiUrl: api.apiUrl,
      memoryTimeoutMs: 10_000,
      preloadStrategy: 'off',
      extra: { shared_cache: { url: redis.url, partition: 'gateway', op_timeout_ms: 1_000 } },
    });
    runtime = await tracker.create(testHost({ storageDir: makeDir('endpoints-storage-'), configDir }));
    // Mounted as the HTTP front would: a table of routes by path.
    const routes = new Map<string, OperationalRoute>(
      [healthzRoute(runtime, SERVE_IMPLEMENTATION.version), metricsRoute(runtime)].map((route) => [route.path, route]),
    );
    server = createServer((req, res) => {
      const route = routes.get(req.url ?? '');
      if (route) void route.handle(req, res);
      else res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.close();
    await tracker.shutdownAll();
    await api.close();
    await redis.stop();
  });

  const health = async (): Promise<HealthReport> => {
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    return (await response.json()) as HealthReport;
  };

  it('reports the version, Redis and every upstream server, without error text or addresses', async () => {
    const report = await health();
    assert.equal(report.version, SERVE_IMPLEMENTATION.version);
    assert.equal(report.redis?.state, 'up');
    assert.deepEqual(report.servers.map((s) => s.name).sort(), ['context7', 'memory-bank'], 'the enabled servers');
    assert.ok(!JSON.stringify(report).includes(String(redis.port)), 'the Redis address is not published');
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405);
  });

  it('serves Prometheus metrics with the shared cache hit ratio and Redis latency', async () => {
    await runtime.lookup('how to use numpy broadcasting');
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), PROMETHEUS_CONTENT_TYPE);
    const text = await response.text();
    assert.match(text, /^mcp_integration_shared_cache_up\{state="up"\} 1$/m);
    assert.match(text, /^mcp_integration_shared_cache_hit_ratio \d/m);
    assert.match(text, /^mcp_integration_shared_cache_redis_latency_seconds\{quantile="0\.95"\} \d/m);
    assert.match(text, /^mcp_integration_calls_total\{server="context7"/m);
  });

  it('turns degraded (still 200: it answers) while Redis is down, and ok again after it returns', async () => {
    await redis.stop();
    await waitFor('the runtime to see Redis down', () => runtime.getDashboardData().sharedCache?.state === 'down');
    const down = await health();
    assert.equal(down.status, 'degraded');
    assert.equal(down.redis?.state, 'down');
    await redis.start();
    await waitFor('the runtime to reconnect', () => runtime.getDashboardData().sharedCache?.state === 'up');
    assert.equal((await health()).redis?.state, 'up');
  });
});
