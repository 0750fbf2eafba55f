/**
 * The languages the detector has grammars for. Kept in step with `activationEvents` in package.json
 * (a unit test checks that), and used to decide which documents are sent to the runtime.
 */
export const DETECTED_LANGUAGES: readonly string[] = [
  'python',
  'javascript',
  'typescript',
  'typescriptreact',
  'javascriptreact',
  'go',
  'rust',
  'java',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'php',
];

/** Documents larger than this are not sent to the detector (generated or minified files). */
export const MAX_DETECTED_DOCUMENT_CHARS = 2_000_000;

export function isDetectedLanguage(languageId: string): boolean {
  return DETECTED_LANGUAGES.includes(languageId);
}
