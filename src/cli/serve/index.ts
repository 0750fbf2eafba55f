/**
 * `mcp-integration serve`: the knowledge hierarchy as one MCP server, over stdio (default) or
 * stateless Streamable HTTP with a bearer token (`--http PORT`).
 */
export { guardsFor } from './bind-guards';
export { DEFAULT_HTTP_LIMITS, serveHttp, type HttpLimits, type HttpServeCounters, type HttpServeOptions } from './http';
export { LogRelay } from './log-relay';
export { serveStdio } from './stdio';
export { generateToken, GENERATED_TOKEN_FILE, readTokenFile, staticTokenVerifier, type ServeTokens } from './token';
export { createHierarchyServer, SERVE_IMPLEMENTATION, type HierarchyServerOptions } from './tools';
