/**
 * Servers an mcp.json declares that the gateway already exposes: VS Code would start them itself
 * and the agent would see every tool twice (once from VS Code's own client, once through the
 * gateway, uncached). A declared entry duplicates an exposed server when it has the same name, or
 * when both are the same well-known server (two context7 servers answer the same questions).
 * Entries already routed (commented out) are not declared any more and never match.
 */
import { getNodeValue, parseTree } from 'jsonc-parser';
import { inferServerKind } from '../config/server-kind';
import type { ServerDefinition } from '../mcp/types';

/** A server the gateway exposes, as far as matching needs it. */
export interface ExposedServer {
  name: string;
  kind: ServerDefinition['kind'];
}

export interface DuplicateEntry {
  /** The entry's name in the mcp.json file. */
  name: string;
  /** The gateway's server it duplicates. */
  exposedAs: string;
  reason: 'same-name' | 'same-server';
}

interface DeclaredEntry {
  name: string;
  command?: string;
  args: string[];
  url?: string;
}

function declaredEntries(text: string, key: string): DeclaredEntry[] {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const value: unknown = root ? getNodeValue(root) : undefined;
  const servers = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof servers !== 'object' || servers === null) return [];
  return Object.entries(servers as Record<string, unknown>).flatMap(([name, raw]) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const entry = raw as Record<string, unknown>;
    const args = Array.isArray(entry['args']) ? entry['args'].filter((a): a is string => typeof a === 'string') : [];
    return [
      {
        name,
        args,
        ...(typeof entry['command'] === 'string' ? { command: entry['command'] } : {}),
        ...(typeof entry['url'] === 'string' ? { url: entry['url'] } : {}),
      },
    ];
  });
}

/** The entries of `text` (an mcp.json, servers under `key`) that duplicate an exposed server. */
export function findDuplicates(text: string, exposed: readonly ExposedServer[], key = 'servers'): DuplicateEntry[] {
  const duplicates: DuplicateEntry[] = [];
  for (const entry of declaredEntries(text, key)) {
    const byName = exposed.find((server) => server.name === entry.name);
    if (byName) {
      duplicates.push({ name: entry.name, exposedAs: byName.name, reason: 'same-name' });
      continue;
    }
    const kind = inferServerKind(entry.command, entry.args, entry.url);
    const byKind = kind === 'generic' ? undefined : exposed.find((server) => server.kind === kind);
    if (byKind) duplicates.push({ name: entry.name, exposedAs: byKind.name, reason: 'same-server' });
  }
  return duplicates;
}
