/**
 * `${env:NAME}`, `${secret:NAME}`, `${workspaceFolder}` and `${userHome}` in server definitions.
 * Resolution is async (secrets come from the host's SecretStorage). A placeholder that cannot be
 * resolved disables that one server with an error naming it; the other servers are unaffected.
 * Values are substituted as plain strings and never evaluated.
 */
import os from 'node:os';
import { ConfigError } from '../errors';
import type { ServerDefinition } from '../mcp/types';
import type { SecretsPort } from '../ports';

export interface PlaceholderContext {
  secrets: SecretsPort;
  /** Environment for `${env:…}`; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Absolute path for `${workspaceFolder}`; unset means the placeholder is an error. */
  workspaceFolder?: string;
  /** Home folder for `${userHome}`; default `os.homedir()`. */
  userHome?: string;
}

/** Where a server is written, so an unresolved placeholder can be reported there. */
export type ServerLocator = (server: ServerDefinition) => { file: string; line: number; column: number };

const PLACEHOLDER = /\$\{(?:(env|secret):([A-Za-z0-9_.-]+)|(workspaceFolder|userHome))\}/g;

export class UnresolvedPlaceholderError extends Error {
  constructor(
    readonly placeholder: string,
    reason: string,
  ) {
    super(`${placeholder} ${reason}`);
  }
}

/** Substitutes every placeholder in `text`; throws `UnresolvedPlaceholderError` for the first unset one. */
export async function resolvePlaceholders(text: string, ctx: PlaceholderContext): Promise<string> {
  const matches = [...text.matchAll(PLACEHOLDER)];
  if (matches.length === 0) return text;
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += text.slice(last, m.index) + (await resolveOne(m[0], m[1], m[2], m[3], ctx));
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

async function resolveOne(
  whole: string,
  scheme: string | undefined,
  name: string | undefined,
  variable: string | undefined,
  ctx: PlaceholderContext,
): Promise<string> {
  if (variable === 'workspaceFolder') {
    if (!ctx.workspaceFolder) throw new UnresolvedPlaceholderError(whole, 'needs an open workspace folder');
    return ctx.workspaceFolder;
  }
  if (variable === 'userHome') return ctx.userHome ?? os.homedir();
  const value = scheme === 'secret' ? await ctx.secrets.get(name ?? '') : (ctx.env ?? process.env)[name ?? ''];
  if (value === undefined || value === '')
    throw new UnresolvedPlaceholderError(
      whole,
      scheme === 'secret' ? 'is not set (store the secret first)' : 'is not set in the environment',
    );
  return value;
}

async function resolveRecord(record: Record<string, string>, ctx: PlaceholderContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) out[key] = await resolvePlaceholders(value, ctx);
  return out;
}

/** Resolves one server's command, args, env, cwd (stdio) or url, headers (http). */
export async function resolveServerDefinition(
  server: ServerDefinition,
  ctx: PlaceholderContext,
): Promise<ServerDefinition> {
  const t = server.transport;
  if (t.transport === 'http') {
    return {
      ...server,
      transport: {
        transport: 'http',
        url: await resolvePlaceholders(t.url, ctx),
        headers: await resolveRecord(t.headers, ctx),
      },
    };
  }
  const args: string[] = [];
  for (const arg of t.args) args.push(await resolvePlaceholders(arg, ctx));
  return {
    ...server,
    transport: {
      transport: 'stdio',
      command: await resolvePlaceholders(t.command, ctx),
      args,
      env: await resolveRecord(t.env, ctx),
      ...(t.cwd !== undefined ? { cwd: await resolvePlaceholders(t.cwd, ctx) } : {}),
    },
  };
}

/**
 * Resolves every enabled server. Disabled servers are left as written (their secrets may never be
 * set). A server with an unresolvable placeholder comes back disabled, with one located error.
 */
export async function resolveServers(
  servers: readonly ServerDefinition[],
  ctx: PlaceholderContext,
  locate: ServerLocator,
): Promise<{ servers: ServerDefinition[]; errors: ConfigError[] }> {
  const errors: ConfigError[] = [];
  const resolved = await Promise.all(
    servers.map(async (server) => {
      if (!server.enabled) return server;
      try {
        return await resolveServerDefinition(server, ctx);
      } catch (error) {
        if (!(error instanceof UnresolvedPlaceholderError)) throw error;
        const at = locate(server);
        errors.push(
          new ConfigError(
            at.file,
            at.line,
            at.column,
            `servers.${server.name}`,
            `server "${server.name}" is disabled: ${error.message}`,
          ),
        );
        return { ...server, enabled: false };
      }
    }),
  );
  return { servers: resolved, errors };
}
