/**
 * Shapes shared by the import detector, the per-language specs and the document index.
 */
import type { Node, QueryMatch } from 'web-tree-sitter';
import type { DetectedLibrary } from '../libraries/types';

export interface DetectedModule {
  /** Module as its package manager names it (`numpy`, `@scope/pkg`, `github.com/x/y`). */
  name: string;
  stdlib: boolean;
  /** 0-based line of the first import of it. */
  line: number;
}

/** A local name bound by an import (`np` → `numpy`), for hover and symbol-at-cursor lookups. */
export interface ImportBinding {
  localName: string;
  module: string;
}

export interface DocumentDetection {
  uri: string;
  language: string;
  modules: DetectedModule[];
  bindings: ImportBinding[];
  libraries: DetectedLibrary[];
  /** True when the tree had errors and earlier results were merged in. */
  partial: boolean;
}

/** A host document the detector tracks. */
export interface HostDocument {
  uri: string;
  languageId: string;
  text: string;
  /** Visible documents are preloaded first. */
  visible?: boolean;
}

/** One content change, in the shape VS Code and tree-sitter both understand (UTF-16 offsets). */
export interface DocumentChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

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
