/** VS Code language ids → import specs. */
import type { LanguageSpec } from '../types';
import { cpp } from './cpp';
import { csharp } from './csharp';
import { go } from './go';
import { java } from './java';
import { javascript, tsx, typescript } from './javascript';
import { php } from './php';
import { python } from './python';
import { ruby } from './ruby';
import { rust } from './rust';

const SPECS: Readonly<Record<string, LanguageSpec>> = {
  python,
  javascript,
  javascriptreact: javascript,
  typescript,
  typescriptreact: tsx,
  go,
  rust,
  java,
  c: cpp,
  cpp,
  csharp,
  ruby,
  php,
};

/** The spec for a VS Code language id, or undefined when detection does not support it. */
export function specFor(languageId: string): LanguageSpec | undefined {
  return Object.prototype.hasOwnProperty.call(SPECS, languageId) ? SPECS[languageId] : undefined;
}

/** Language ids with a grammar. */
export const SUPPORTED_LANGUAGES: readonly string[] = Object.keys(SPECS);

const EXTENSIONS: Readonly<Record<string, string>> = {
  '.py': 'python',
  '.pyi': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascriptreact',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescriptreact',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.cs': 'csharp',
  '.rb': 'ruby',
  '.php': 'php',
};

/** The VS Code language id for a file path by its extension, or undefined when unsupported. */
export function languageIdForPath(filePath: string): string | undefined {
  const dot = filePath.lastIndexOf('.');
  if (dot < 0 || dot < filePath.lastIndexOf('/') || dot < filePath.lastIndexOf('\\')) return undefined;
  const ext = filePath.slice(dot).toLowerCase();
  return Object.prototype.hasOwnProperty.call(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
}
