/**
 * One `tools/call` over stateless Streamable HTTP as a load balancer's client sends it: a POST on
 * its own connection, the answer read whether the server replied with JSON or an SSE stream.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import { mcpPost, type RawResponse, toolCall } from './raw-http';

export interface HttpToolAnswer {
  status: number;
  /** The JSON-RPC result, when the response carried one. */
  result: CallToolResult | undefined;
  raw: RawResponse;
}

/** The JSON-RPC message of a response body: plain JSON, or the last `data:` line of an SSE stream. */
export function jsonRpcMessage(body: string): { result?: unknown; error?: unknown } | undefined {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed) as { result?: unknown };
  const data = trimmed
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice('data:'.length).trim())
    .filter((line) => line.startsWith('{'));
  const last = data.at(-1);
  return last === undefined ? undefined : (JSON.parse(last) as { result?: unknown });
}

let nextId = 1;

/** Calls `name` on the endpoint `url` with the bearer `token`; rejects on a connection error. */
export async function callToolOverHttp(
  url: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
  timeoutMs = 30_000,
): Promise<HttpToolAnswer> {
  const raw = await mcpPost(url, toolCall(nextId++, name, args), { authorization: `Bearer ${token}` }, timeoutMs);
  const message = raw.status === 200 ? jsonRpcMessage(raw.body) : undefined;
  return { status: raw.status, result: message?.result as CallToolResult | undefined, raw };
}

/** The text blocks of a tool result, joined. */
export function resultText(result: CallToolResult | undefined): string {
  return (result?.content ?? []).map((block) => (block.type === 'text' ? block.text : '')).join('');
}
