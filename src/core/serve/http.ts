/**
 * `serve --http`: Streamable HTTP, stateless (a fresh MCP server per request from one factory, so
 * any request can go to any process and several instances can share one address). Every request
 * passes, in order and before anything is read or created: the SDK's Host and Origin guards
 * (403), the path (404), a bearer token through the SDK's `verifyBearerToken` (401 with
 * `WWW-Authenticate`), its declared size and content type (413, 415) and the in-flight cap (503).
 * Refused requests close their connection; unproven connections are capped without ever evicting
 * an authenticated one (`connection-guard.ts`).
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
import type { McpIntegrationApi } from '../api';
import { guardsFor, hostnameForHeader } from './bind-guards';
import { ConnectionGuard } from './connection-guard';
import type { LogRelay } from './log-relay';
import { staticTokenVerifier, type ServeTokens } from './token';
import { createHierarchyServer, MAX_REQUEST_BODY_BYTES } from './tools';
import { untilStopped } from './until-stopped';

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

export interface HttpServeOptions {
  /** TCP port; 0 picks a free one (see `onListening`). */
  port: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Host names clients may use besides the bind address (required for 0.0.0.0 / ::). */
  allowedHosts?: string[];
  tokens: ServeTokens;
  /** Relays the runtime's log messages into tool-call responses. */
  logs?: LogRelay;
  limits?: Partial<HttpLimits>;
  /** Called with the endpoint URL once listening. Default: print it (and a generated token) to stderr. */
  onListening?: (url: string, tokens: ServeTokens) => void;
  signal?: AbortSignal;
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

/** Serves until SIGINT/SIGTERM or `signal`; resolves once every connection is closed. */
export async function serveHttp(runtime: McpIntegrationApi, options: HttpServeOptions): Promise<void> {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const bindAddress = options.host ?? '127.0.0.1';
  const guards = guardsFor(bindAddress, options.allowedHosts);
  const verifier = staticTokenVerifier(options.tokens.tokens);
  const connections = new ConnectionGuard(limits.maxUnprovenConnections);
  const logs = options.logs;
  const handler = createMcpHandler(
    () => createHierarchyServer(runtime, logs ? { logs: { relay: logs, scope: 'request' } } : {}),
    { maxRequestBodySize: limits.maxBodyBytes },
  );
  const mcp = toNodeHandler(handler, { maxRequestBodySize: limits.maxBodyBytes });
  let inFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Until the request proves itself, its connection is closed after the answer.
    res.setHeader('connection', 'close');
    if (!guards.host(req, res) || !guards.origin(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/mcp') return refuse(res, 404, 'Not found: the MCP endpoint is /mcp');
    let auth: AuthInfo;
    try {
      auth = await verifyBearerToken(req.headers.authorization, { verifier });
    } catch (error) {
      return sendWebResponse(res, bearerAuthChallengeResponse(error));
    }
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
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, bindAddress, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const shownHost =
    bindAddress === '0.0.0.0' || bindAddress === '::' ? guards.allowed[0] : hostnameForHeader(bindAddress);
  const endpoint = `http://${shownHost}:${port}/mcp`;
  (options.onListening ?? printListening)(endpoint, options.tokens);

  await untilStopped(options.signal).done;
  await handler.close();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
