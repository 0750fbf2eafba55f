/** What the preloader needs from the rest of the core; the runtime wires these to the real modules. */
import type { DetectedLibrary } from '../libraries/types';
import type { KnowledgeQuery } from '../knowledge';

export interface PreloadHierarchyPort {
  /**
   * Whether the local cache already answers the query (no upstream call). May look on disk, so it
   * may answer asynchronously; a cached library costs no call budget and counts as `alreadyCached`.
   */
  isCached(query: KnowledgeQuery): boolean | Promise<boolean>;
  fetch(query: KnowledgeQuery, signal: AbortSignal): Promise<{ success: boolean; error?: string }>;
}

export interface PreloadLibrariesPort {
  /** Resolves a module to its library id (`libraryId: null` when it cannot be resolved). */
  resolve(module: string, language: string): Promise<DetectedLibrary>;
}

/** The LearningSystem as the preloader sees it (AGGRESSIVE preloads what commands tend to need). */
export interface PreloadLearningPort {
  predictLibraries(command: string, limit: number): string[];
}

/** The workspace's manifests (package.json, requirements.txt, …), for AGGRESSIVE preloading. */
export interface PreloadManifestPort {
  workspaceLibraries(): Promise<Array<{ module: string; language: string }>>;
}
