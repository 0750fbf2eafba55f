/**
 * The environment a stdio server gets: a small safe base inherited from this process (the SDK's
 * allow-list: HOME, LOGNAME, PATH, SHELL, TERM, USER) plus exactly what its definition declares.
 * Proxy, CA and token variables never leak in by accident; a definition must name them.
 */
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/client/stdio';

/** Builds the full environment for a server process. Values that look like shell functions are dropped. */
export function buildServerEnvironment(
  definitionEnv: Record<string, string>,
  parentEnv: NodeJS.ProcessEnv = process.env,
  inherited: readonly string[] = DEFAULT_INHERITED_ENV_VARS,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of inherited) {
    const value = parentEnv[key];
    // Like the SDK: a value starting with "()" is a shell function export, a known injection vector.
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  return { ...env, ...definitionEnv };
}
