/** The preloader's vocabulary: strategies, requests, per-library state, progress and summaries. */
import type { DocumentDetection } from '../detection/types';

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

/** What a command's preload can draw on. */
export interface CommandPreloadContext {
  detection?: DocumentDetection;
  libraryIds?: string[];
}

/** One library to preload on request; without `libraryId` it is resolved first. */
export interface PreloadRequest {
  module: string;
  language?: string;
  libraryId?: string | null;
}
