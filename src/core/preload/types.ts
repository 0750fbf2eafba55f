/** The preloader's vocabulary: strategies, per-library state, progress and summaries. */

export type PreloadStrategy = 'off' | 'balanced' | 'aggressive';

export type LibraryPreloadStatus = 'queued' | 'loading' | 'ready' | 'failed' | 'cancelled' | 'skipped';

export interface LibraryPreloadState {
  libraryId: string;
  module: string;
  status: LibraryPreloadStatus;
  /** Documents that imported it. */
  documents: string[];
  error?: string;
  updatedAt: number;
}

export interface PreloadProgress {
  queued: number;
  running: number;
  done: number;
  failed: number;
  current?: string;
}

export interface PreloadSummary {
  libraries: number;
  loaded: number;
  alreadyCached: number;
  failed: number;
  durationMs: number;
}
