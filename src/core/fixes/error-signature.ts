/**
 * Error signatures: the key under which a fix is remembered. Two diagnostics that differ only in a
 * path, a number or an identifier should share a fix, so those parts are abstracted; the source
 * and code stay because they say which tool raised the error and which rule it broke.
 */
import type { DiagnosticInfo } from './types';

const RULES: Array<[RegExp, string]> = [
  // Quoted things first: their contents are names or values, whatever they contain.
  [/'[^'\n]*'|"[^"\n]*"|`[^`\n]*`|‘[^’\n]*’|“[^”\n]*”/g, '<name>'],
  // URLs and file paths (Windows and POSIX, with optional :line:col).
  [/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>'],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.@-]+){2,}(?::\d+){0,2}/g, '<path>'],
  [/\b[\w.-]+\.(?:py|ts|tsx|js|jsx|mjs|cjs|go|rs|java|rb|php|cs|cpp|c|h)\b(?::\d+){0,2}/g, '<path>'],
  // Hex addresses and numbers.
  [/\b0x[0-9a-f]+\b/gi, '<n>'],
  [/\b\d+(?:\.\d+)?\b/g, '<n>'],
];

/** Normalises a diagnostic message: paths, numbers and names abstracted, whitespace collapsed. */
export function normaliseErrorMessage(message: string): string {
  let text = message.split('\n')[0] ?? '';
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** `error:<source>:<code>:<normalised message>`; source and code empty when unknown. */
export function errorSignature(diagnostic: DiagnosticInfo): string {
  const source = (diagnostic.source ?? '').trim().toLowerCase();
  const code = (diagnostic.code ?? '').trim().toLowerCase();
  return `error:${source}:${code}:${normaliseErrorMessage(diagnostic.message)}`;
}
