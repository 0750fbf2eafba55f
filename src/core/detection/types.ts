/**
 * Shapes shared by the import detector, the per-language specs and the document index.
 */
import type { Node, QueryMatch } from 'web-tree-sitter';
import type { DetectedLibrary } from '../libraries/types';
import type { MemberSpec } from './members/spec';

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
  /** The member of the module the name stands for (`nn` → `nn`, `useEffect` → `useEffect`); absent for the module itself. */
  path?: string;
}

/** A member of an imported module that the code uses (`pd.read_csv(...)`, `useEffect(...)`, `gin.Default()`). */
export interface DetectedMember {
  /** `<module>.<member path>`: `numpy.linalg.norm`, `react.useEffect`, `github.com/gin-gonic/gin.Default`, `serde_json.json!`. */
  name: string;
  module: string;
  /** The member path inside the module: `linalg.norm`, `useEffect`, `Default`, `json!`. */
  path: string;
  /** Uses in the document. */
  count: number;
  /** 0-based line and UTF-16 column of the first use. */
  line: number;
  character: number;
}

export interface DocumentDetection {
  uri: string;
  language: string;
  modules: DetectedModule[];
  bindings: ImportBinding[];
  /** Members of imported modules the code uses, most used first. */
  members: DetectedMember[];
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
  /**
   * For each local name (same order), the member path inside the module it stands for: `''` for
   * the module itself (`np`), `model_selection.train_test_split`, `nn`, `Assert.assertEquals`.
   * Absent: every name stands for the module.
   */
  paths?: string[];
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
  /** Members of imported modules the code uses, most used first (languages with a member spec). */
  members: DetectedMember[];
}

/**
 * One occurrence found by a member query, tied to its rows like an ImportRecord: a use of a bound
 * name (`np` in `np.linalg.norm(x)`, with the chain `linalg`, `norm`), a declaration of a local
 * that may shadow one (`def f(np):`), or a re-export that names a module's member directly.
 */
export type UsageRecord =
  | {
      kind: 'use';
      name: string;
      chain: string[];
      macro: boolean;
      row: number;
      column: number;
      startRow: number;
      endRow: number;
    }
  | {
      kind: 'decl';
      name: string;
      /** The function-like scope the local belongs to; the record's rows are the scope's rows. */
      scope: { startRow: number; startColumn: number; endRow: number; endColumn: number };
      startRow: number;
      endRow: number;
    }
  | { kind: 'reexport'; module: string; path: string; row: number; column: number; startRow: number; endRow: number };

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
  /** How to find the members code uses; absent for languages without member detection. */
  members?: MemberSpec;
}
