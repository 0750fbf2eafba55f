/** The schema of `mcp-profiles.yaml`: which servers each command needs, and how to start them. */
import { z } from 'zod';
import { ConfigError } from '../errors';
import type { ConfigLocation } from './layered-store';
import type { ConfigPath } from './locate';
import type { ProfilesConfig } from './types';

const profileName = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'profile names use letters, digits, _ . -');

/** `server/tool`, each side letters, digits, `_ . -` or the `*` wildcard. */
const toolPattern = z
  .string()
  .regex(/^[A-Za-z0-9_.*-]+\/[A-Za-z0-9_.*/-]+$/, 'tool patterns look like server/tool, with * as a wildcard');

export const profileSchema = z.strictObject({
  description: z.string().default(''),
  /** Servers the profile needs, in start order when `parallel_init` is false. */
  servers: z.array(z.string().min(1)).default([]),
  /** Start the servers at the same time (default true). */
  parallel_init: z.boolean().default(true).describe('Start the servers at the same time (true) or one after another.'),
  tools: z
    .strictObject({
      servers: z
        .array(z.string().min(1))
        .default([])
        .describe('Servers whose tools agents see through the gateway (default: every enabled server).'),
      allow: z
        .array(toolPattern)
        .default([])
        .describe('Only tools matching one of these `server/tool` patterns (`*` wildcard) are exposed; empty: all.'),
      deny: z
        .array(toolPattern)
        .default([])
        .describe('Tools matching one of these `server/tool` patterns are never exposed (wins over allow).'),
    })
    .prefault({})
    .describe('Which tools agents see through the gateway while this profile is in force (default: all).'),
});

export const mcpProfilesSchema = z.strictObject({
  /** Profile used for commands without an entry in `commands`. */
  default_profile: profileName.default('lookup').describe('Profile used for commands without an entry in `commands`.'),
  profiles: z.record(profileName, profileSchema).default({}),
  /** Command name → profile name. */
  commands: z.record(z.string().min(1), profileName).default({}).describe('Command name -> profile name.'),
});

export const MCP_PROFILES_RECOVERABLE = ['profiles.*', 'commands.*'] as const;

export type McpProfilesFile = z.output<typeof mcpProfilesSchema>;

/**
 * camelCase profiles. A command naming an unknown profile is reported and dropped; an unknown
 * default profile is reported and the first profile is used instead.
 */
export function normaliseProfiles(
  file: McpProfilesFile,
  locate: (path: ConfigPath) => ConfigLocation,
): { config: ProfilesConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const report = (path: ConfigPath, keyPath: string, detail: string): void => {
    const at = locate(path);
    errors.push(new ConfigError(at.file, at.line, at.column, keyPath, detail));
  };
  const profiles = Object.entries(file.profiles).map(([name, p]) => ({
    name,
    description: p.description,
    servers: p.servers,
    parallelInit: p.parallel_init,
    tools: { servers: p.tools.servers, allow: p.tools.allow, deny: p.tools.deny },
  }));
  const known = new Set(profiles.map((p) => p.name));
  const commands: Record<string, string> = {};
  for (const [command, profile] of Object.entries(file.commands)) {
    if (known.has(profile)) commands[command] = profile;
    else report(['commands', command], `commands.${command}`, `unknown profile "${profile}"`);
  }
  let defaultProfile = file.default_profile;
  if (!known.has(defaultProfile)) {
    const fallback = profiles[0]?.name ?? defaultProfile;
    if (profiles.length > 0)
      report(['default_profile'], 'default_profile', `unknown profile "${defaultProfile}"; using "${fallback}"`);
    defaultProfile = fallback;
  }
  return { config: { profiles, commands, defaultProfile }, errors };
}
