/** Configuration errors (1-based file positions) as 0-based diagnostic entries. Pure, unit-tested. */
import type { ConfigError } from '../core/errors';

export interface DiagnosticEntry {
  file: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  character: number;
  message: string;
}

/** ConfigError (1-based positions) → 0-based diagnostic entries grouped by file. Pure. */
export function configErrorEntries(errors: readonly ConfigError[]): Map<string, DiagnosticEntry[]> {
  const byFile = new Map<string, DiagnosticEntry[]>();
  for (const error of errors) {
    const entry: DiagnosticEntry = {
      file: error.file,
      line: Math.max(0, error.line - 1),
      character: Math.max(0, error.column - 1),
      message: error.keyPath ? `${error.keyPath}: ${error.detail}` : error.detail,
    };
    byFile.set(error.file, [...(byFile.get(error.file) ?? []), entry]);
  }
  return byFile;
}
