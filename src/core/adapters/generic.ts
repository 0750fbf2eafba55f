/**
 * An adapter for any other MCP server, driven by the `toolMapping` of its YAML definition:
 * `fetch` and `store` name a tool and an argument template with `{query}`, `{key}`, `{value}`,
 * `{contextType}` placeholders; `resultPath` picks the answer out of the structured result (or of
 * the text parsed as JSON). Without a `store` mapping the adapter is read-only.
 */
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery, StoreOptions } from '../knowledge';
import type { GenericToolMapping, ToolCaller } from '../mcp/types';
import { invokeTool } from './invoke';
import { selectPath } from './result-path';
import { structuredOrJson } from './structured';
import { fillArguments } from './template';

export interface GenericAdapterOptions {
  caller: ToolCaller;
  mapping: GenericToolMapping;
}

export class GenericAdapter implements KnowledgeAdapter {
  readonly kind = 'generic' as const;
  readonly serverName: string;
  readonly writable: boolean;
  private readonly caller: ToolCaller;
  private readonly mapping: GenericToolMapping;

  constructor(options: GenericAdapterOptions) {
    this.caller = options.caller;
    this.serverName = options.caller.serverName;
    this.mapping = options.mapping;
    this.writable = options.mapping.store !== undefined;
  }

  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    const fetchMapping = this.mapping.fetch;
    if (!fetchMapping) return null;
    const args = fillArguments(fetchMapping.arguments, {
      query: query.text,
      key: query.text,
      contextType: query.contextType,
      language: query.language,
      libraryId: query.libraryId,
      ...query.hints,
    });
    const result = await invokeTool(this.caller, fetchMapping.tool, args, { signal: options.signal });
    const answer = fetchMapping.resultPath
      ? selectPath(structuredOrJson(result), fetchMapping.resultPath)
      : result.text;
    const content = answerText(answer);
    return content === undefined ? null : { content, metadata: { tool: fetchMapping.tool } };
  }

  async store(key: string, value: string, options: StoreOptions): Promise<void> {
    const storeMapping = this.mapping.store;
    if (!storeMapping) throw new Error(`${this.serverName} has no store mapping in its toolMapping: it is read-only`);
    const args = fillArguments(storeMapping.arguments, {
      key,
      query: key,
      value,
      contextType: options.contextType,
      ttlSeconds: String(options.ttlSeconds),
    });
    await invokeTool(this.caller, storeMapping.tool, args, { signal: options.signal });
  }

  /** The mapping has no delete operation; entries expire on the server's own terms. */
  async invalidate(): Promise<void> {
    return undefined;
  }
}

/** Strings as they are, other values as pretty JSON; nothing, empty strings and empty lists are a miss. */
function answerText(answer: unknown): string | undefined {
  if (answer === undefined || answer === null) return undefined;
  if (typeof answer === 'string') return answer.trim() === '' ? undefined : answer;
  if (Array.isArray(answer) && answer.length === 0) return undefined;
  return JSON.stringify(answer, null, 2);
}
