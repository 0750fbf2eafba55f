/** A small in-process KnowledgeAdapter with controllable answers, latency and failures. */
import type {
  AdapterAnswer,
  AdapterCallOptions,
  AdapterKind,
  KnowledgeAdapter,
  KnowledgeQuery,
  StoreOptions,
} from '../../../src/core/knowledge';
import type { HierarchyLayer } from '../../../src/core/hierarchy/types';

export interface FakeAdapterOptions {
  serverName: string;
  /** Answer per query text; a function may decide per query. Missing → null (a miss). */
  answer?: string | null | ((query: KnowledgeQuery) => string | null);
  latencyMs?: number;
  /** Throw this on fetch (after the latency). */
  error?: Error;
  /** Never settle, and ignore the abort signal (a hung server). */
  hang?: boolean;
  writable?: boolean;
  /** Whether stored values are answered by later fetches (a memory layer). Default: writable. */
  remembers?: boolean;
  failStore?: boolean;
}

export class FakeAdapter implements KnowledgeAdapter {
  readonly kind: AdapterKind = 'generic';
  readonly serverName: string;
  readonly writable: boolean;
  calls: KnowledgeQuery[] = [];
  aborted = 0;
  stored: Array<{ key: string; value: string; options: StoreOptions }> = [];
  invalidated: string[] = [];
  private readonly memory = new Map<string, string>();

  constructor(private readonly options: FakeAdapterOptions) {
    this.serverName = options.serverName;
    this.writable = options.writable ?? false;
  }

  fetch(query: KnowledgeQuery, callOptions: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    this.calls.push(query);
    if (this.options.hang) return new Promise(() => undefined);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        callOptions.signal?.removeEventListener('abort', onAbort);
        if (this.options.error) return reject(this.options.error);
        const remembered = this.memory.get(query.text);
        if (remembered !== undefined) return resolve({ content: remembered });
        const answer = typeof this.options.answer === 'function' ? this.options.answer(query) : this.options.answer;
        resolve(answer === null || answer === undefined ? null : { content: answer });
      }, this.options.latencyMs ?? 0);
      const onAbort = (): void => {
        this.aborted++;
        clearTimeout(timer);
        reject(new Error('aborted'));
      };
      callOptions.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async store(key: string, value: string, options: StoreOptions): Promise<void> {
    if (this.options.failStore) throw new Error('store refused');
    this.stored.push({ key, value, options });
    if (this.options.remembers ?? this.writable) this.memory.set(key, value);
  }

  async invalidate(key: string): Promise<void> {
    this.invalidated.push(key);
    this.memory.delete(key);
  }
}

export function layer(
  name: string,
  priority: number,
  adapters: FakeAdapter[],
  overrides: Partial<HierarchyLayer> = {},
): HierarchyLayer {
  return { name, priority, latencyTargetMs: 100, timeoutMs: 2000, adapters, ...overrides };
}
