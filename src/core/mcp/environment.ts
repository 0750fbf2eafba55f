/**
 * The environment a stdio server gets: a small safe base inherited from this process (the SDK's
 * allow-list: HOME, LOGNAME, PATH, SHELL, TERM, USER) plus exactly what its definition declares.
 * Proxy, CA and token variables never leak in by accident; a definition must name them.
 */

/**
 * The SDK's `DEFAULT_INHERITED_ENV_VARS`, kept here so building an environment does not load the
 * SDK (see `sdk.ts`); a unit test checks the two lists stay equal.
 */
export const SAFE_INHERITED_ENV_VARS: readonly string[] =
  process.platform === 'win32'
    ? [
        'APPDATA',
        'COMSPEC',
        'HOMEDRIVE',
        'HOMEPATH',
        'LOCALAPPDATA',
        'PATH',
        'PATHEXT',
        'PROCESSOR_ARCHITECTURE',
        'PROGRAMDATA',
        'PROGRAMFILES',
        'PROGRAMFILES(X86)',
        'PROGRAMW6432',
        'SYSTEMDRIVE',
        'SYSTEMROOT',
        'TEMP',
        'USERNAME',
        'USERPROFILE',
        'WINDIR',
      ]
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

/** Builds the full environment for a server process. Values that look like shell functions are dropped. */
export function buildServerEnvironment(
  definitionEnv: Record<string, string>,
  parentEnv: NodeJS.ProcessEnv = process.env,
  inherited: readonly string[] = SAFE_INHERITED_ENV_VARS,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of inherited) {
    const value = parentEnv[key];
    // Like the SDK: a value starting with "()" is a shell function export, a known injection vector.
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  return { ...env, ...definitionEnv };
}
