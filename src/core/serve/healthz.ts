/**
 * `GET /healthz` of a team gateway: what a load balancer or an operator needs to know about one
 * instance — whether it answers, its version, the shared cache's state and each upstream server's
 * state. A separate module so the HTTP front mounts it where it wants (typically before the
 * bearer check: a load balancer's probe carries no token). It therefore reveals states only —
 * no error text, no addresses, no counts of anyone's questions.
 *
 * The status is `ok` when Redis (if configured) and every enabled server are usable, `degraded`
 * otherwise; both answer 200, because a degraded instance still answers every request from its
 * local levels and the servers that work. Only a shut-down runtime answers 503.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpIntegrationApi } from '../api';
import type { SharedCacheState } from '../store/shared-level';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  /** Null when no shared cache is configured. */
  redis: { state: SharedCacheState; hitRate: number; latencyMsP95: number } | null;
  servers: Array<{ name: string; state: string; circuit: string }>;
}

export type HealthSource = Pick<McpIntegrationApi, 'getDashboardData' | 'getServerStatuses'>;

/** A route the HTTP front can mount: it answers `GET` and `HEAD` at `path`, 405 otherwise. */
export interface OperationalRoute {
  path: string;
  /** Whether a request needs the bearer token (a load balancer's health probe has none). */
  authenticated: boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function healthReport(api: HealthSource, version: string): HealthReport {
  const dashboard = api.getDashboardData();
  const shared = dashboard.sharedCache;
  const servers = api
    .getServerStatuses()
    .map((status) => ({ name: status.name, state: status.state, circuit: status.circuit }));
  const redisUsable = !shared || shared.state === 'up' || shared.state === 'full';
  const serversUsable = servers.every(
    (server) => server.circuit !== 'open' && server.state !== 'failed' && server.state !== 'backoff',
  );
  return {
    status: redisUsable && serversUsable ? 'ok' : 'degraded',
    version,
    uptimeSeconds: Math.round(dashboard.summary.uptimeSeconds),
    redis: shared ? { state: shared.state, hitRate: shared.hitRate, latencyMsP95: shared.latencyMs.p95 } : null,
    servers,
  };
}

export function healthzRoute(api: HealthSource, version: string, path = '/healthz'): OperationalRoute {
  return {
    path,
    authenticated: false,
    handle(req, res) {
      if (!allowMethod(req, res)) return Promise.resolve();
      let body: string;
      try {
        body = `${JSON.stringify(healthReport(api, version))}\n`;
      } catch (error) {
        // A runtime that cannot report any more (shutting down) is an instance to take out.
        res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ status: 'down', version, error: (error as Error).message }));
        return Promise.resolve();
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return Promise.resolve();
    },
  };
}

/** `GET` and `HEAD` only; anything else gets 405 with `Allow`. */
export function allowMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
  return false;
}
