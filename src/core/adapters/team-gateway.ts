/**
 * A team gateway as a layer: another instance's `serve --http` (the team's shared runtime, usually
 * behind a load balancer, with its bearer token in the server's `Authorization` header). Its
 * `lookup` tool answers through the team's whole hierarchy — its cache (and the team Redis behind
 * it), its memory, its docs — so a question a teammate already asked is answered here without this
 * instance calling the upstream servers itself. Read-only: fixes reach the team through team
 * memory (`shared_cache.team_memory`), not through this layer.
 *
 * The gateway's "no layer had an answer" is a miss, not an error. A refused token is an error that
 * says so, without the token: the SDK's HTTP error carries the response, never the request headers.
 */
import { McpError } from '../errors';
import { memoryKey } from '../hierarchy/memory-key';
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery } from '../knowledge';
import { toMcpError } from '../mcp/error-mapping';
import type { CallToolResult, ToolCaller } from '../mcp/types';
import { normalizeToolResult } from './normalize';
import { isRecord } from './structured';

const LOOKUP_TOOL = 'lookup';
/** The gateway's own limit on a question's length (`hierarchy-tools.ts`). */
const MAX_QUERY_LENGTH = 4000;

export class TeamGatewayAdapter implements KnowledgeAdapter {
  readonly kind = 'team-gateway' as const;
  readonly writable = false;
  readonly serverName: string;

  constructor(private readonly caller: ToolCaller) {
    this.serverName = caller.serverName;
  }

  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    // The gateway's `lookup` takes no library id, so a question scoped to one carries it in its text.
    const text = memoryKey(query);
    if (text.length > MAX_QUERY_LENGTH) return null;
    const args = {
      query: text,
      contextType: query.contextType,
      ...(query.language ? { language: query.language } : {}),
    };
    let result: CallToolResult;
    try {
      result = await this.caller.callTool(LOOKUP_TOOL, args, options.signal ? { signal: options.signal } : undefined);
    } catch (error) {
      throw this.explain(toMcpError(error, { server: this.serverName, tool: LOOKUP_TOOL, signal: options.signal }));
    }
    const structured = isRecord(result.structuredContent) ? result.structuredContent : undefined;
    // The team had nothing: its hierarchy's failure result (`success: false`) is a miss here.
    if (result.isError === true && structured?.['success'] === false) return null;
    const normalized = normalizeToolResult(this.serverName, LOOKUP_TOOL, result);
    const content = typeof structured?.['content'] === 'string' ? structured['content'] : normalized.text;
    if (!content.trim()) return null;
    return {
      content,
      metadata: {
        tool: LOOKUP_TOOL,
        // What answered on the team's side (`local-cache`, `docs`, …) and whether it was cached there.
        ...(typeof structured?.['source'] === 'string' ? { teamSource: structured['source'] } : {}),
        ...(typeof structured?.['cached'] === 'boolean' ? { teamCached: structured['cached'] } : {}),
      },
    };
  }

  async store(): Promise<void> {
    throw new Error(
      `${this.serverName} (team gateway) is read-only: remembered fixes reach the team through shared_cache.team_memory`,
    );
  }

  /** Nothing is cached here, so there is nothing to forget. */
  async invalidate(): Promise<void> {
    return undefined;
  }

  /** A refused token reads as what it is; the message names the header, never its value. */
  private explain(error: McpError): McpError {
    const status = refusalStatus(error);
    if (status === undefined) return error;
    return new McpError(
      'unavailable',
      this.serverName,
      `${this.serverName}: the team gateway refused the credentials (HTTP ${status}); check the token in its Authorization header`,
      LOOKUP_TOOL,
      { cause: error },
    );
  }
}

/** 401 or 403 when the gateway refused the request: the SDK's HTTP error (a `status`) somewhere in the causes. */
function refusalStatus(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const status = (current as { status?: unknown }).status;
    if (status === 401 || status === 403) return status;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
