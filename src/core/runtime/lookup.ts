/**
 * One lookup, from a question to a masked answer: SmartTrigger picks the context type, a library
 * the question names addresses the docs, preloaded member docs may answer at once, else the
 * hierarchy walks its layers (starting the command profile's servers as the walk begins), and
 * LearningSystem hears how it went.
 */
import { CONTEXT_TYPES, type ContextType, type FetchResult, type KnowledgeQuery } from '../knowledge';
import type { LearningSystem } from '../learning/learning-system';
import { OutcomeType } from '../learning/outcome';
import type { LibraryCache } from '../libraries/library-cache';
import type { ConnectionPool } from '../mcp/connection-pool';
import type { Monitor } from '../monitor/monitor';
import type { MemberTopic, MemberTopics } from '../preload/member-topics';
import type { ActivatedProfile, MCPProfileManager } from '../profiles/profile-manager';
import type { SecretRedactor } from '../redaction';
import { libraryMentionedIn } from './library-mentions';
import { answerFromMemberDocs, type MemberAnswerDeps } from './member-answers';
import type { ConfiguredState } from './reload';

export const DISABLED_MESSAGE =
  'MCP Integration is disabled (enable it in the settings, or this installation is outside the rollout)';

export interface LookupOptions {
  /** When absent, SmartTrigger's best guess is used. */
  contextType?: ContextType;
  language?: string;
  /** The command the lookup serves (selects a profile); default `lookup`. */
  command?: string;
  signal?: AbortSignal;
  /** Skip the local cache (still writes back). */
  bypassCache?: boolean;
}

export interface LookupDeps {
  /** The configuration in force now: its trigger rules and engine answer. */
  state: () => ConfiguredState;
  active: () => boolean;
  libraries: LibraryCache;
  profiles: MCPProfileManager;
  pool: ConnectionPool;
  monitor: Monitor;
  learning: LearningSystem;
  memberTopics: MemberTopics;
  /** Waits, until the signal aborts, for a member's docs a preload under way is fetching (see PredictivePreloader). */
  memberDocsReady: (topic: MemberTopic, signal: AbortSignal) => Promise<boolean>;
  redactor: SecretRedactor;
}

/** How long a question waits for a member's docs a preload is fetching, when no docs layer says. */
const DEFAULT_PRELOAD_WAIT_MS = 10_000;

/** Starts the servers a command's profile needs, in parallel; servers not configured are skipped. */
export function startProfileServers(
  profiles: MCPProfileManager,
  pool: ConnectionPool,
  command: string,
): Promise<ActivatedProfile> {
  return profiles.activateForCommand(command, (name) => (pool.has(name) ? pool.start(name) : Promise.resolve()));
}

export class LookupFlow {
  constructor(private readonly deps: LookupDeps) {}

  async lookup(query: string, options: LookupOptions = {}): Promise<FetchResult> {
    const { engine, trigger } = this.deps.state();
    const contextType = options.contextType ?? trigger.bestContextType(query, { language: options.language });
    if (!this.deps.active()) return disabledResult(contextType);
    const command = options.command ?? 'lookup';
    // A known library named in a library question lets the docs layer skip its resolve call and
    // keeps each library's answers apart in the caches. Other questions are addressed exactly as
    // written (error signatures and stored keys must match what was stored), but the docs layer
    // still learns which library is meant, through a hint that is not part of any key.
    const mention =
      contextType === CONTEXT_TYPES.errorSolution
        ? undefined
        : libraryMentionedIn(query, (word) => this.deps.libraries.getLibraryId(word, options.language));
    const libraryId = contextType === CONTEXT_TYPES.libraryApi ? mention?.libraryId : undefined;
    const address = { contextType, language: options.language, ...(libraryId ? { libraryId } : {}) };
    const question: KnowledgeQuery = {
      text: query,
      ...address,
      ...(mention && !libraryId ? { hints: { library: mention.word } } : {}),
    };
    // Docs answer docs questions only: a project decision or an error about `read_csv` is not its docs.
    const docsQuestion = contextType === CONTEXT_TYPES.libraryApi || contextType === CONTEXT_TYPES.general;
    if (docsQuestion && !options.bypassCache) {
      const preloaded = await answerFromMemberDocs(this.memberAnswers(options.signal), question, mention?.libraryId);
      if (preloaded) {
        this.deps.monitor.recordCacheLookup(true);
        return preloaded;
      }
    }
    const result = await engine.hierarchy.fetch(question, {
      signal: options.signal,
      cacheMode: options.bypassCache ? 'refresh' : 'use',
      // On a miss, start the servers the command's profile needs, in parallel, as the walk
      // begins. A hit never starts anything.
      onWalk: () => void startProfileServers(this.deps.profiles, this.deps.pool, command),
    });
    this.learn(query, command, result, libraryId);
    return this.redactResult(result);
  }

  /** Errors and trails carry server text: masked in full. Content only loses known secret values. */
  private redactResult<T extends FetchResult>(result: T): T {
    const { redactor } = this.deps;
    return {
      ...result,
      content: result.content === null ? null : redactor.redactKnown(result.content),
      trail: redactor.redactDeep(result.trail),
      ...(result.error !== undefined ? { error: redactor.redact(result.error) } : {}),
    };
  }

  private memberAnswers(signal: AbortSignal | undefined): MemberAnswerDeps {
    const { engine, loaded } = this.deps.state();
    const { hierarchy } = engine;
    // Waiting is bounded by what asking the docs layer would take: never slower than a cold miss.
    const waitMs =
      loaded.mcp.knowledgeHierarchy.layers.find((layer) => layer.name === 'docs')?.timeoutMs ?? DEFAULT_PRELOAD_WAIT_MS;
    return {
      awaitPreload: (member) => {
        const bound = AbortSignal.timeout(waitMs);
        return this.deps.memberDocsReady(member, signal ? AbortSignal.any([signal, bound]) : bound);
      },
      members: this.deps.memberTopics,
      getCached: (query) => hierarchy.getCached(query),
      // 'refresh': the preloaded answer was the person's cache hit; this is background work.
      fetchInBackground: (query) => void hierarchy.fetch(query, { cacheMode: 'refresh' }),
    };
  }

  private learn(query: string, command: string, result: FetchResult, libraryId?: string): void {
    const layers = result.trail.filter((t) => t.layer !== 'local-cache' && t.outcome !== 'skipped');
    if (result.cached || layers.length === 0) return;
    const servers = layers.map((t) => t.layer);
    this.deps.learning.trackSuccess({
      query,
      contextType: result.contextType,
      mcpsUsed: servers,
      outcome: result.success
        ? OutcomeType.SUCCESS
        : layers.some((t) => t.outcome === 'hit')
          ? OutcomeType.PARTIAL
          : OutcomeType.FAILURE,
      latencyMs: result.latencyMs,
      serverLatencyMs: Object.fromEntries(layers.map((t) => [t.layer, t.latencyMs])),
      command,
      ...(libraryId ? { libraries: [libraryId] } : {}),
    });
  }
}

function disabledResult(contextType: ContextType): FetchResult {
  return {
    success: false,
    content: null,
    source: null,
    latencyMs: 0,
    cached: false,
    contextType,
    trail: [],
    error: DISABLED_MESSAGE,
  };
}
