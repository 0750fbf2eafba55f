/** In-process fakes of the preloader's own ports. */
import type { DetectedLibrary, DocumentDetection } from '../../../src/core/api';
import type { KnowledgeQuery } from '../../../src/core/knowledge';
import type { PreloadHierarchyPort, PreloadLibrariesPort } from '../../../src/core/preload/ports';

export interface FetchCall {
  query: KnowledgeQuery;
  signal: AbortSignal;
  release(result?: { success: boolean; error?: string }): void;
}

/** A hierarchy whose fetches wait until the test releases them (or answer at once when `auto`). */
export class FakeHierarchy implements PreloadHierarchyPort {
  readonly calls: FetchCall[] = [];
  readonly cached = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly auto = true) {}

  isCached(query: KnowledgeQuery): boolean {
    return this.cached.has(`${query.libraryId}#${query.text}`);
  }

  fetch(query: KnowledgeQuery, signal: AbortSignal): Promise<{ success: boolean; error?: string }> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve) => {
      const finish = (result: { success: boolean; error?: string }): void => {
        if (!call.done) {
          call.done = true;
          this.inFlight -= 1;
          if (result.success) this.cached.add(`${query.libraryId}#${query.text}`);
          resolve(result);
        }
      };
      const call = { query, signal, done: false, release: (result = { success: true }) => finish(result) };
      this.calls.push(call);
      signal.addEventListener('abort', () => finish({ success: false, error: 'aborted' }), { once: true });
      if (this.auto) setImmediate(() => finish({ success: true }));
    });
  }

  libraries(): string[] {
    return this.calls.map((c) => c.query.libraryId ?? '');
  }
}

export class FakeLibraries implements PreloadLibrariesPort {
  async resolve(module: string): Promise<DetectedLibrary> {
    return { module, packageName: module, libraryId: module === 'unknown-lib' ? null : `/${module}/${module}` };
  }
}

export function detection(
  uri: string,
  libraries: string[],
  options: { stdlib?: string[]; unresolved?: string[] } = {},
): DocumentDetection {
  const stdlib = options.stdlib ?? [];
  const unresolved = options.unresolved ?? [];
  const all = [...libraries, ...stdlib, ...unresolved];
  return {
    uri,
    language: 'python',
    modules: all.map((name, line) => ({ name, stdlib: stdlib.includes(name), line })),
    bindings: [],
    libraries: all.map((module) => ({
      module,
      packageName: module,
      libraryId: libraries.includes(module) ? `/${module}/${module}` : null,
    })),
    partial: false,
  };
}

/** Lets queued microtasks and immediates run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
