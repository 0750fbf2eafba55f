/**
 * Docs layer over context7. Resolves a library name to a context7 id (`resolve-library-id`,
 * cached in memory, in-flight lookups shared) unless the query already carries one, then asks
 * `query-docs` — or the older `get-library-docs` when that is what the server lists.
 *
 * context7 reports upstream failures (rate limits, bad keys, offline) as ordinary text: those are
 * detected by `CONTEXT7_UPSTREAM_FAILURES` and thrown as `upstream-error`, never returned as docs.
 */
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery } from '../knowledge';
import type { ToolCaller } from '../mcp/types';
import { type Logger, silentLogger } from '../ports';
import { chooseLibrary, parseLibraryCandidates } from './context7-resolve';
import { invokeTool } from './invoke';
import { toMcpError } from '../mcp/error-mapping';
import { CONTEXT7_UPSTREAM_FAILURES } from './upstream-failures';

export const CONTEXT7_TOOLS = {
  resolve: 'resolve-library-id',
  queryDocs: 'query-docs',
  legacyDocs: 'get-library-docs',
} as const;

/** resolve answers these when nothing matched: a miss, not an error. */
const NO_LIBRARIES = /^\s*No (?:documentation )?libraries found\b/i;

export interface Context7AdapterOptions {
  caller: ToolCaller;
  /** Token budget passed to the older `get-library-docs` tool. Default: 5000. */
  legacyTokens?: number;
  /** Most library resolutions kept in memory. Default: 500. */
  maxResolutions?: number;
  /** Default: a silent logger. */
  logger?: Logger;
}

export class Context7Adapter implements KnowledgeAdapter {
  readonly kind = 'context7' as const;
  readonly writable = false;
  readonly serverName: string;
  private readonly caller: ToolCaller;
  private readonly legacyTokens: number;
  private readonly maxResolutions: number;
  private readonly logger: Logger;
  private readonly resolutions = new Map<string, string>();
  private readonly pendingResolutions = new Map<string, Promise<string | null>>();
  private docsTool: Promise<string> | undefined;

  constructor(options: Context7AdapterOptions) {
    this.caller = options.caller;
    this.serverName = options.caller.serverName;
    this.legacyTokens = options.legacyTokens ?? 5000;
    this.maxResolutions = options.maxResolutions ?? 500;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * The context7 id (`/org/project`) for a library name, or null when context7 knows none.
   * Successful resolutions are cached for the adapter's lifetime; failures throw `McpError`.
   */
  async resolveLibraryId(
    libraryName: string,
    query?: string,
    options: AdapterCallOptions = {},
  ): Promise<string | null> {
    const cacheKey = libraryName.trim().toLowerCase();
    const cached = this.resolutions.get(cacheKey);
    if (cached) return cached;
    const pending = this.pendingResolutions.get(cacheKey);
    if (pending) return pending;
    const lookup = this.lookUpLibrary(libraryName.trim(), query ?? libraryName, options.signal).finally(() => {
      this.pendingResolutions.delete(cacheKey);
    });
    this.pendingResolutions.set(cacheKey, lookup);
    const id = await lookup;
    if (id) this.remember(cacheKey, id);
    return id;
  }

  /**
   * Docs for the query. The library comes from `query.libraryId`, else the `library` hint, else
   * the first word of the text that is not a question word; the topic from the `topic` hint, else the text.
   */
  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    const hints = query.hints ?? {};
    const topic = hints['topic'] ?? query.text;
    let libraryId = query.libraryId;
    if (!libraryId) {
      const libraryName = hints['library'] ?? hints['libraryName'] ?? guessLibraryName(query.text);
      if (!libraryName) return null;
      libraryId = (await this.resolveLibraryId(libraryName, topic, options)) ?? undefined;
      if (!libraryId) return null;
    }
    const tool = await this.chooseDocsTool(options.signal);
    const args =
      tool === CONTEXT7_TOOLS.queryDocs
        ? { libraryId, query: topic }
        : { context7CompatibleLibraryID: libraryId, topic, tokens: this.legacyTokens };
    const { text } = await invokeTool(this.caller, tool, args, {
      signal: options.signal,
      upstreamPatterns: CONTEXT7_UPSTREAM_FAILURES,
    });
    if (text.trim() === '') return null;
    return { content: text, metadata: { libraryId, topic, tool } };
  }

  store(): Promise<void> {
    return Promise.reject(new Error(`${this.serverName} (context7) is read-only: docs cannot be stored there`));
  }

  /** Forgets a cached library resolution (`key` is the library name). */
  invalidate(key: string): Promise<void> {
    this.resolutions.delete(key.trim().toLowerCase());
    return Promise.resolve();
  }

  private async lookUpLibrary(
    libraryName: string,
    query: string,
    signal: AbortSignal | undefined,
  ): Promise<string | null> {
    const { text } = await invokeTool(
      this.caller,
      CONTEXT7_TOOLS.resolve,
      { query, libraryName },
      { signal, upstreamPatterns: CONTEXT7_UPSTREAM_FAILURES },
    );
    if (NO_LIBRARIES.test(text)) return null;
    const best = chooseLibrary(parseLibraryCandidates(text), libraryName);
    if (!best) this.logger.debug(`context7: no library id in the answer for "${libraryName}"`);
    return best?.id ?? null;
  }

  /** Asks the server once which docs tool it has; older context7 versions only have `get-library-docs`. */
  private chooseDocsTool(signal: AbortSignal | undefined): Promise<string> {
    this.docsTool ??= this.caller.listTools(signal ? { signal } : undefined).then(
      (tools) => {
        const names = new Set(tools.map((tool) => tool.name));
        return !names.has(CONTEXT7_TOOLS.queryDocs) && names.has(CONTEXT7_TOOLS.legacyDocs)
          ? CONTEXT7_TOOLS.legacyDocs
          : CONTEXT7_TOOLS.queryDocs;
      },
      (error: unknown) => {
        this.docsTool = undefined; // try again next time
        throw toMcpError(error, { server: this.serverName, tool: 'tools/list', signal });
      },
    );
    return this.docsTool;
  }

  private remember(cacheKey: string, id: string): void {
    if (this.resolutions.size >= this.maxResolutions) {
      const oldest = this.resolutions.keys().next().value;
      if (oldest !== undefined) this.resolutions.delete(oldest);
    }
    this.resolutions.set(cacheKey, id);
  }
}

/** Words that open questions ("how do I …", "what is …") and never name a library. */
const QUESTION_WORDS = new Set([
  'how',
  'do',
  'does',
  'did',
  'i',
  'we',
  'you',
  'to',
  'what',
  'whats',
  "what's",
  'is',
  'are',
  'can',
  'could',
  'should',
  'why',
  'when',
  'where',
  'which',
  'the',
  'a',
  'an',
  'in',
  'with',
  'use',
  'using',
  'my',
  'of',
  'for',
  'on',
  'get',
  'make',
]);

/** The first word of a question that could name a library. */
export function guessLibraryName(text: string): string | undefined {
  for (const raw of text.trim().split(/\s+/)) {
    const word = raw.replace(/^[^\w@]+|[^\w]+$/g, '');
    if (word && !QUESTION_WORDS.has(word.toLowerCase())) return word;
  }
  return undefined;
}
