/** Known-fix vocabulary: diagnostics as any host describes them, and fixes with optional edits. */
import type { FetchResult } from '../knowledge';

/** A diagnostic as any host describes it. */
export interface DiagnosticInfo {
  message: string;
  source?: string;
  code?: string;
  language?: string;
}

/** A solution's edit: replace the text in the range with `newText` (0-based lines, UTF-16 characters). */
export interface FixEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  newText: string;
}

/** Who remembered a fix (for the team: the partition name from their configuration) and when. */
export interface FixOrigin {
  by?: string;
  /** ms since the epoch */
  at: number;
}

export interface FixResult extends FetchResult {
  /** The normalised error signature the lookup used. */
  signature: string;
  /** A solution may carry an edit: replace `range` text with `newText` (0-based line/character). */
  edit?: FixEdit;
  /** Who remembered the found fix and when, when it says so. */
  rememberedBy?: string;
  rememberedAt?: number;
}
