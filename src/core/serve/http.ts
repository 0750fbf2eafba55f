/**
 * The gateway over Streamable HTTP (`serve --http`, and the extension host's loopback endpoint),
 * stateless (a fresh MCP server per request from one factory, so
 * any request can go to any process and several instances can share one address). Every request
 * passes, in order and before anything is read or created: the SDK's Host and Origin guards
 * (403), the path (404), a bearer token through the SDK's `verifyBearerToken` (401 with
 * `WWW-Authenticate`), its declared size and content type (413, 415) and the in-flight cap (503).
 * Refused requests close their connection; unproven connections are capped without ever evicting
 * an authenticated one (`connection-guard.ts`).
 *
 * Shutdown is graceful (`drain`): the listener closes (new connections are refused), requests on
 * open connections get 503, the calls in flight have a bound to finish, and any still running
 * after it end as tool errors, so a load balancer can move traffic without a request lost or hung.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  createMcpHandler,
  isJsonContentType,
  verifyBearerToken,
} from '@modelcontextprotocol/server';
import { guardsFor, hostnameForHeader } from './bind-guards';
import { ConnectionGuard } from './connection-guard';
import { isOpenEndedStream, RequestDrain } from './drain';
import type { LogRelay } from './log-relay';
import { createGatewayServer, GatewayServing, MAX_REQUEST_BODY_BYTES, type ServeApi } from './gateway-server';
import { MIN_TOKEN_LENGTH, staticTokenVerifier, type ServeTokens } from './token';
import { untilStopped } from './until-stopped';
import type { OperationalRoute } from './healthz';

export interface HttpLimits {
  /** Largest request body; larger ones get 413 before they are read. */
  maxBodyBytes: number;
  /** Authenticated requests handled at once; more get 503 with Retry-After. */
  maxInFlight: number;
  /** Connections that have not yet carried an accepted request (see `ConnectionGuard`). */
  maxUnprovenConnections: number;
  /** Time a connection has to send its request headers. */
  headersTimeoutMs: number;
  /** Time a connection has to send its whole request. */
  requestTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: MAX_REQUEST_BODY_BYTES,
  maxInFlight: 32,
  maxUnprovenConnections: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

export interface StartHttpServeOptions {
  /** Bearer tokens a request may carry (at least one; each at least 16 characters). */
  tokens: readonly string[];
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Host names clients may use besides the bind address (required for 0.0.0.0 / ::). */
  allowedHosts?: readonly string[];
  /** The name calls are recorded under in the monitor when a client does not name itself. */
  client?: string;
  /** Relays the runtime's log messages into tool-call responses. */
  logs?: LogRelay;
  /** Masks secrets in error texts (the runtime's redactor where the host has it). */
  redact?: (text: string) => string;
  limits?: Partial<HttpLimits>;
  /** Operational endpoints beside /mcp (`/healthz`, `/metrics`), behind the same Host/Origin guards. */
  routes?: readonly OperationalRoute[];
}

/** Default bound for the calls in flight when a shutdown begins. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 5000;
/** After the bound: how long cancelled calls have to write their tool error before connections close. */
const CANCEL_GRACE_MS = 1000;

export interface DrainReport {
  /** Calls in flight when the shutdown began. */
  inFlight: number;
  /** Of those, the ones still running at the bound, ended as tool errors. */
  cancelled: number;
}

export interface HttpServeHandle {
  /** The endpoint, `http://<host>:<port>/mcp`. */
  url: string;
  /**
   * Stops taking requests (the listener closes; requests on open connections get 503) and waits up
   * to `timeoutMs` for the calls in flight; those still running then end as tool errors.
   */
  drain(timeoutMs: number): Promise<DrainReport>;
  /** Stops listening, ends every connection and open stream; resolves once they are closed. */
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Writes a web `Response` (the SDK's bearer challenge) to a Node response. */
async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  const body = await response.text();
  res.writeHead(response.status, headers).end(body);
}

function printListening(url: string, tokens: ServeTokens): void {
  const lines = [`mcp-integration: serving MCP on ${url}`];
  if (tokens.generated) {
    lines.push(
      `mcp-integration: token (send "Authorization: Bearer <token>"): ${tokens.tokens[0]}`,
      `mcp-integration: the token is also in ${tokens.file} (readable by you only)`,
    );
  } else {
    lines.push(`mcp-integration: clients authenticate with a token from ${tokens.file}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

/**
 * Serves the gateway over Streamable HTTP on a loopback (or explicitly allowed) address. Host
 * agnostic: the CLI wraps it (`serve --http`), and the extension host runs it to hand VS Code an
 * HTTP server definition that shares the live runtime.
 */
export async function startHttpServe(api: ServeApi, options: StartHttpServeOptions): Promise<HttpServeHandle> {
  if (options.tokens.length === 0) throw new Error('startHttpServe needs at least one bearer token');
  const short = options.tokens.find((token) => token.length < MIN_TOKEN_LENGTH);
  if (short !== undefined) throw new Error(`bearer tokens must be at least ${MIN_TOKEN_LENGTH} characters`);
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const bindAddress = options.host ?? '127.0.0.1';
  const guards = guardsFor(bindAddress, options.allowedHosts);
  const verifier = staticTokenVerifier(options.tokens);
  const connections = new ConnectionGuard(limits.maxUnprovenConnections);
  const relay = options.logs;
  const serving = new GatewayServing(api, {
    ...(options.client ? { client: options.client } : {}),
    ...(options.redact ? { redact: options.redact } : {}),
  });
  const handler = createMcpHandler(
    () => createGatewayServer(serving, relay ? { logs: { relay, scope: 'request' } } : {}),
    { maxRequestBodySize: limits.maxBodyBytes },
  );
  // Stateless: no instance outlives its request, so changes go out on the listen streams
  // (`subscriptions/listen`) 2026-era clients keep open.
  const listChanges = serving.onToolListChanged(() => handler.notify.toolsChanged());
  const mcp = toNodeHandler(handler, { maxRequestBodySize: limits.maxBodyBytes });
  const routes = new Map((options.routes ?? []).map((route) => [route.path, route]));
  const calls = new RequestDrain();
  let draining = false;
  let inFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Until the request proves itself, its connection is closed after the answer.
    res.setHeader('connection', 'close');
    if (!guards.host(req, res) || !guards.origin(req, res)) return;
    // Also the health probe: a load balancer takes the instance out while it drains.
    if (draining) return refuse(res, 503, 'Shutting down; retry on another instance', { 'retry-after': '1' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.get(url.pathname);
    if (route && !route.authenticated) return route.handle(req, res);
    if (url.pathname !== '/mcp' && !route) return refuse(res, 404, 'Not found: the MCP endpoint is /mcp');
    let auth: AuthInfo;
    try {
      auth = await verifyBearerToken(req.headers.authorization, { verifier });
    } catch (error) {
      return sendWebResponse(res, bearerAuthChallengeResponse(error));
    }
    if (route) return route.handle(req, res);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!Number.isFinite(declared) || declared > limits.maxBodyBytes)
      return refuse(res, 413, `Request body larger than ${limits.maxBodyBytes} bytes`);
    if (req.method === 'POST' && !isJsonContentType(req.headers['content-type']))
      return refuse(res, 415, 'Unsupported Media Type: send application/json');
    if (inFlight >= limits.maxInFlight)
      return refuse(res, 503, 'Too many requests in flight; retry shortly', { 'retry-after': '1' });
    res.removeHeader('connection');
    connections.prove(req.socket);
    inFlight += 1;
    const ended = isOpenEndedStream(req) ? () => undefined : calls.begin();
    // An answer counts as finished once written (or its connection is gone), not when the handler returns.
    res.once('close', ended);
    try {
      await mcp(Object.assign(req, { auth }), res);
    } finally {
      inFlight -= 1;
    }
  };

  const http: Server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Check those timeouts every second rather than every 30 s, so idle strangers go quickly.
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      handle(req, res).catch(() => {
        // Never echo internal error text to a client: it could carry paths or values.
        if (!res.headersSent) refuse(res, 500, 'Internal error');
        else res.end();
      });
    },
  );
  http.on('connection', (socket) => connections.accept(socket));
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, bindAddress, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    listChanges.dispose();
    await handler.close();
    throw error;
  }
  const { port } = http.address() as AddressInfo;
  const shownHost =
    bindAddress === '0.0.0.0' || bindAddress === '::' ? guards.allowed[0] : hostnameForHeader(bindAddress);
  let closing: Promise<void> | undefined;
  let drained: Promise<DrainReport> | undefined;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    drain: (timeoutMs) =>
      (drained ??= (async () => {
        draining = true;
        // Stops accepting connections; idle keep-alive ones close now, busy ones after their answer.
        http.close();
        http.closeIdleConnections();
        const pending = calls.count;
        if (await calls.idle(timeoutMs)) return { inFlight: pending, cancelled: 0 };
        const cancelled = calls.count;
        serving.cancelCalls();
        await calls.idle(CANCEL_GRACE_MS);
        return { inFlight: pending, cancelled };
      })()),
    close: () =>
      (closing ??= (async () => {
        listChanges.dispose();
        await handler.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })()),
  };
}

export interface HttpServeOptions extends Omit<StartHttpServeOptions, 'tokens'> {
  tokens: ServeTokens;
  /** Called with the endpoint URL once listening. Default: print it (and a generated token) to stderr. */
  onListening?: (url: string, tokens: ServeTokens) => void;
  signal?: AbortSignal;
  /** Bound for the calls in flight at shutdown; default {@link DEFAULT_DRAIN_TIMEOUT_MS}. */
  drainTimeoutMs?: number;
  /** Receives the shutdown's progress lines. Default: stderr. */
  notice?: (line: string) => void;
}

const toStderr = (line: string): void => void process.stderr.write(`mcp-integration: ${line}\n`);

/**
 * `serve --http`: serves until SIGINT/SIGTERM or `signal`, then drains (see {@link HttpServeHandle.drain})
 * and resolves once every connection is closed; the caller then closes the upstream servers.
 */
export async function serveHttp(api: ServeApi, options: HttpServeOptions): Promise<DrainReport> {
  const {
    tokens,
    onListening,
    signal,
    drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS,
    notice = toStderr,
    ...rest
  } = options;
  const served = await startHttpServe(api, { ...rest, tokens: tokens.tokens });
  (onListening ?? printListening)(served.url, tokens);
  await untilStopped(signal).done;
  notice(`stopping: no new requests; calls in flight have up to ${drainTimeoutMs} ms`);
  const report = await served.drain(drainTimeoutMs);
  await served.close();
  notice(`stopped: ${report.inFlight - report.cancelled} call(s) finished, ${report.cancelled} cancelled`);
  return report;
}
