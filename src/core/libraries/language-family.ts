/** VS Code language ids → the package ecosystem they share. */
const FAMILIES: Readonly<Record<string, string>> = {
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'javascript',
  typescriptreact: 'javascript',
  c: 'cpp',
  cpp: 'cpp',
};

export function languageFamily(languageId: string): string {
  return Object.prototype.hasOwnProperty.call(FAMILIES, languageId) ? (FAMILIES[languageId] ?? languageId) : languageId;
}
