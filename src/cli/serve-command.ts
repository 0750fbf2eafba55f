/**
 * `mcp-integration serve`: the gateway as one MCP server, over stdio or (`--http PORT`) stateless
 * Streamable HTTP — the form a team runs as several instances on one Redis behind a load balancer.
 * On SIGTERM/SIGINT the HTTP form drains (see `serveHttp`) before the upstream servers and Redis close.
 */
import { type Command, InvalidArgumentError } from 'commander';
import path from 'node:path';
import type { McpIntegrationApi } from '../core/api';
import type { HostPorts } from '../core/ports';
import { guardsFor } from '../core/serve/bind-guards';
import { SERVE_IMPLEMENTATION } from '../core/serve/gateway-server';
import { healthzRoute } from '../core/serve/healthz';
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_HTTP_LIMITS, serveHttp } from '../core/serve/http';
import { LogRelay } from '../core/serve/log-relay';
import { metricsRoute } from '../core/serve/metrics-route';
import { serveStdio } from '../core/serve/stdio';
import { generateToken, readTokenFile } from '../core/serve/token';
import { CliError } from './cli-error';
import type { CliHostOptions } from './host';

/** Builds the runtime, runs the action and shuts the runtime down (main's `withRuntime`). */
export type RunWithRuntime = (
  program: Command,
  action: (runtime: McpIntegrationApi, host: HostPorts) => Promise<void>,
  hostOptions: Pick<CliHostOptions, 'logTap'>,
) => Promise<void>;

interface ServeOptions {
  http?: number;
  host?: string;
  allowedHost?: string[];
  tokenFile?: string;
  drainTimeoutMs?: number;
  maxInFlight?: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

function parseCount(minimum: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < minimum) throw new InvalidArgumentError(`must be a whole number ≥ ${minimum}`);
    return n;
  };
}

const HTTP_ONLY: ReadonlyArray<keyof ServeOptions> = [
  'host',
  'allowedHost',
  'tokenFile',
  'drainTimeoutMs',
  'maxInFlight',
];

export function addServeCommand(program: Command, withRuntime: RunWithRuntime): void {
  program
    .command('serve')
    .description(
      "serve every configured server's tools through the caching gateway, with lookup, find_fix, remember_fix and stats, as one MCP server",
    )
    .option('--http <port>', 'serve Streamable HTTP on 127.0.0.1:PORT/mcp instead of stdio', parsePort)
    .option('--host <address>', 'with --http: the address to bind (default 127.0.0.1)')
    .option(
      '--allowed-host <name>',
      'with --http: a Host name clients may use besides the bound address (repeatable; needed for 0.0.0.0)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--token-file <file>',
      'with --http: bearer tokens clients must send, one per line (default: a random token, saved and printed)',
    )
    .option(
      '--drain-timeout-ms <ms>',
      `with --http: on SIGTERM/SIGINT, how long calls in flight may finish before they are cancelled (default ${DEFAULT_DRAIN_TIMEOUT_MS})`,
      parseCount(0),
    )
    .option(
      '--max-in-flight <n>',
      `with --http: requests handled at once; more get 503 with Retry-After (default ${DEFAULT_HTTP_LIMITS.maxInFlight})`,
      parseCount(1),
    )
    .action(async (opts: ServeOptions) => {
      if (opts.http === undefined && HTTP_ONLY.some((name) => opts[name] !== undefined))
        throw new CliError(
          '--host, --allowed-host, --token-file, --drain-timeout-ms and --max-in-flight need --http PORT',
          2,
        );
      // A bind that cannot be served is refused before anything starts or a token is written.
      if (opts.http !== undefined) {
        try {
          guardsFor(opts.host ?? '127.0.0.1', opts.allowedHost);
        } catch (error) {
          throw new CliError((error as Error).message, 2);
        }
      }
      const port = opts.http;
      const logs = new LogRelay();
      await withRuntime(
        program,
        async (rt, host) => {
          if (port === undefined) return serveStdio(rt, { logs });
          const tokens = await (
            opts.tokenFile ? readTokenFile(path.resolve(opts.tokenFile)) : generateToken(host.storageDir)
          ).catch((error: Error) => {
            throw new CliError(error.message, 2);
          });
          // /healthz for a load balancer's probe (no token), /metrics for Prometheus (with one).
          const routes = [healthzRoute(rt, SERVE_IMPLEMENTATION.version), metricsRoute(rt)];
          // Returns after the drain; withRuntime then closes the upstream servers and Redis.
          await serveHttp(rt, {
            port,
            host: opts.host,
            allowedHosts: opts.allowedHost,
            tokens,
            logs,
            routes,
            drainTimeoutMs: opts.drainTimeoutMs,
            ...(opts.maxInFlight !== undefined ? { limits: { maxInFlight: opts.maxInFlight } } : {}),
          });
        },
        { logTap: logs.tap },
      );
    });
}
