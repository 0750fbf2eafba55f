/**
 * Raw HTTP requests for tests that play an attacker or a browser: `fetch` will not send a foreign
 * `Host` header, so these go through `node:http` with every header under the test's control.
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request on its own connection (no keep-alive), answered or rejected within `timeoutMs`. */
export function rawRequest(url: string, options: RawRequest = {}, timeoutMs = 10_000): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'POST',
        headers: { host: target.host, ...options.headers },
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A JSON-RPC POST as an MCP client would send it (2025-era, stateless). */
export function mcpPost(
  url: string,
  message: object,
  headers: Record<string, string> = {},
  timeoutMs?: number,
): Promise<RawResponse> {
  return rawRequest(
    url,
    {
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(message),
    },
    timeoutMs,
  );
}

/** A `tools/call` request body. */
export function toolCall(id: number, name: string, args: Record<string, unknown>): object {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}
