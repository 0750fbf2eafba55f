/**
 * `GET /metrics` of a team gateway: this instance's Prometheus metrics (calls, latency, cost, cache
 * hit ratio and, with a shared cache, `mcp_integration_shared_cache_*`: hit ratio, Redis latency,
 * state). Each instance is scraped on its own; Prometheus adds the `instance` label. Mount it
 * behind the bearer check (Prometheus sends one with `authorization.credentials_file`).
 */
import type { McpIntegrationApi } from '../api';
import { allowMethod, type OperationalRoute } from './healthz';

/** Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function metricsRoute(api: Pick<McpIntegrationApi, 'metricsText'>, path = '/metrics'): OperationalRoute {
  return {
    path,
    authenticated: true,
    async handle(req, res) {
      if (!allowMethod(req, res)) return;
      let text: string;
      try {
        text = await api.metricsText('prometheus');
      } catch (error) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${(error as Error).message}\n`);
        return;
      }
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  };
}
