/** npm package names from import specifiers. */

/**
 * `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`, `node:fs` kept; relative paths, URLs and
 * anything that cannot be an npm name → null.
 */
export function npmPackageName(specifier: string): string | null {
  if (specifier.startsWith('node:')) return specifier;
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9_~$][\w.~$-]*$/i.test(name) && !(name.startsWith('@') && parts.length < 2)
    ? name
    : null;
}
