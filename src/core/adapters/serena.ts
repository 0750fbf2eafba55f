/**
 * Code-symbol layer over serena. `code_symbol` questions go to `find_symbol` (name path taken from
 * the question, with bodies), falling back to `search_for_pattern`; remembered facts
 * (`error_solution`, `project_memory`, …) live in serena's memories as TTL envelopes.
 */
import { CONTEXT_TYPES } from '../knowledge';
import type {
  AdapterAnswer,
  AdapterCallOptions,
  ContextType,
  KnowledgeAdapter,
  KnowledgeQuery,
  StoreOptions,
} from '../knowledge';
import type { ToolCaller } from '../mcp/types';
import {
  createEnvelope,
  createTombstone,
  envelopeMetadata,
  isExpired,
  parseEnvelope,
  serializeEnvelope,
} from './envelope';
import { invokeTool } from './invoke';
import { encodeKey } from './key-encoding';
import { KeyedQueue } from './keyed-queue';
import { formatPatternMatches, formatSymbols, parseSymbols } from './serena-format';
import { structuredOrJson } from './structured';
import { symbolNamePath } from './symbol-query';
import { COMMON_UPSTREAM_FAILURES } from './upstream-failures';
import type { UpstreamFailurePattern } from './upstream-failures';

/** serena reports tool exceptions as ordinary text. */
export const SERENA_UPSTREAM_FAILURES: readonly UpstreamFailurePattern[] = [
  ...COMMON_UPSTREAM_FAILURES,
  { id: 'tool-exception', pattern: /^\s*Error executing tool\b/i },
  { id: 'error-prefix', pattern: /^\s*Error:\s/ },
];

const MEMORY_MISSING = /^\s*Memory file .* not found\b/i;

export interface SerenaAdapterOptions {
  caller: ToolCaller;
  /** Most symbols returned per question. Default: 5. */
  maxMatches?: number;
  /** Context types kept in serena's memories. Default: error_solution, project_memory, test_stability, quality_baseline. */
  memoryContextTypes?: readonly ContextType[];
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
}

export class SerenaAdapter implements KnowledgeAdapter {
  readonly kind = 'serena' as const;
  readonly writable = true;
  readonly serverName: string;
  private readonly caller: ToolCaller;
  private readonly maxMatches: number;
  private readonly memoryTypes: ReadonlySet<ContextType>;
  private readonly now: () => number;
  private readonly queue = new KeyedQueue();

  constructor(options: SerenaAdapterOptions) {
    this.caller = options.caller;
    this.serverName = options.caller.serverName;
    this.maxMatches = options.maxMatches ?? 5;
    this.memoryTypes = new Set(
      options.memoryContextTypes ?? [
        CONTEXT_TYPES.errorSolution,
        CONTEXT_TYPES.projectMemory,
        CONTEXT_TYPES.testStability,
        CONTEXT_TYPES.qualityBaseline,
      ],
    );
    this.now = options.now ?? Date.now;
  }

  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    if (this.memoryTypes.has(query.contextType)) return this.readMemory(query.text, options.signal);
    if (query.contextType === CONTEXT_TYPES.codeSymbol || query.contextType === CONTEXT_TYPES.general) {
      return this.findSymbol(query, options.signal);
    }
    return null;
  }

  async store(key: string, value: string, options: StoreOptions): Promise<void> {
    const envelope = createEnvelope(key, value, options.contextType, options.ttlSeconds, this.now());
    await this.queue.run(key, () => this.writeMemory(key, serializeEnvelope(envelope), options.signal));
  }

  /** Overwrites the memory with an expired envelope (serena's stand-ins may lack `delete_memory`). */
  async invalidate(key: string, options: AdapterCallOptions = {}): Promise<void> {
    await this.queue.run(key, async () => {
      const tombstone = createTombstone(key, CONTEXT_TYPES.general, this.now());
      await this.writeMemory(key, serializeEnvelope(tombstone), options.signal);
    });
  }

  /** Names of serena's memories, optionally filtered by topic. */
  async listMemories(topic?: string, options: AdapterCallOptions = {}): Promise<string[]> {
    const result = await invokeTool(
      this.caller,
      'list_memories',
      topic ? { topic } : {},
      this.invokeOptions(options.signal),
    );
    const data = structuredOrJson(result);
    if (Array.isArray(data)) return data.filter((name): name is string => typeof name === 'string');
    return result.text
      .split(/\r?\n/)
      .map((line) => line.replace(/^[-*]\s*/, '').trim())
      .filter(Boolean);
  }

  private async findSymbol(query: KnowledgeQuery, signal: AbortSignal | undefined): Promise<AdapterAnswer | null> {
    const namePath = query.hints?.['symbol'] ?? symbolNamePath(query.text);
    if (!namePath) return null;
    const args: Record<string, unknown> = {
      name_path_pattern: namePath,
      include_body: true,
      max_matches: this.maxMatches,
    };
    const relativePath = query.hints?.['relativePath'];
    if (relativePath) args['relative_path'] = relativePath;
    const found = parseSymbols(
      structuredOrJson(await invokeTool(this.caller, 'find_symbol', args, this.invokeOptions(signal))),
    );
    if (found.length > 0) {
      return {
        content: formatSymbols(found.slice(0, this.maxMatches)),
        metadata: { tool: 'find_symbol', namePath, matches: found.length },
      };
    }
    const lastSegment = namePath.split('/').pop() ?? namePath;
    const pattern = `\\b${escapeRegExp(lastSegment)}\\b`;
    const searchArgs: Record<string, unknown> = { substring_pattern: pattern };
    if (relativePath) searchArgs['relative_path'] = relativePath;
    const matches = structuredOrJson(
      await invokeTool(this.caller, 'search_for_pattern', searchArgs, this.invokeOptions(signal)),
    );
    const content = formatPatternMatches(matches, this.maxMatches);
    return content ? { content, metadata: { tool: 'search_for_pattern', pattern } } : null;
  }

  private async readMemory(key: string, signal: AbortSignal | undefined): Promise<AdapterAnswer | null> {
    const { text } = await invokeTool(
      this.caller,
      'read_memory',
      { memory_name: encodeKey(key) },
      this.invokeOptions(signal),
    );
    if (MEMORY_MISSING.test(text)) return null;
    const envelope = parseEnvelope(text);
    if (!envelope || envelope.key !== key || isExpired(envelope, this.now())) return null;
    return { content: envelope.value, metadata: { ...envelopeMetadata(envelope), tool: 'read_memory' } };
  }

  private async writeMemory(key: string, content: string, signal: AbortSignal | undefined): Promise<void> {
    await invokeTool(this.caller, 'write_memory', { memory_name: encodeKey(key), content }, this.invokeOptions(signal));
  }

  private invokeOptions(signal: AbortSignal | undefined): {
    signal?: AbortSignal;
    upstreamPatterns: readonly UpstreamFailurePattern[];
  } {
    return { signal, upstreamPatterns: SERENA_UPSTREAM_FAILURES };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
