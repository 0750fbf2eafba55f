/**
 * Shapes shared by the import detector, the per-language specs and the document index.
 */
import type { Node, QueryMatch } from 'web-tree-sitter';
import type { DetectedModule, ImportBinding } from '../api';

/** One import as a language spec reads it from one query match. */
export interface RawImport {
  /** Module as its package manager names it; already normalised (top-level package, crate …). */
  module: string;
  /** Local names the import binds (`np`, `useState`); empty when it binds none. */
  localNames: string[];
}

/** A RawImport tied to the rows of the statement it came from, so edits can invalidate it. */
export interface ImportRecord extends RawImport {
  stdlib: boolean;
  startRow: number;
  endRow: number;
}

/** What detection produces for one text. */
export interface ExtractedImports {
  /** One entry per module, ordered by first line. */
  modules: DetectedModule[];
  bindings: ImportBinding[];
  /** The tree had syntax errors and imports of the last error-free version were merged in. */
  partial: boolean;
  /** The tree had syntax errors (with or without an earlier result to merge). */
  hasError: boolean;
}

/** The captures of one match, by capture name. */
export type CaptureMap = ReadonlyMap<string, Node[]>;

/**
 * How to find imports in one language. Every pattern of `query` captures the whole statement
 * (or call) as `@stmt`; `read` turns a match into imports (relative ones already dropped).
 */
export interface LanguageSpec {
  /** Grammar file stem: `tree-sitter-<grammar>.wasm`. */
  grammar: string;
  query: string;
  read(captures: CaptureMap, match: QueryMatch): RawImport[];
  isStdlib(module: string): boolean;
}
