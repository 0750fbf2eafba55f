/**
 * A digest of the tools a client is offered: names, descriptions, schemas and annotations, in a
 * canonical order. It is the `version` of the server definition VS Code gets, so VS Code refreshes
 * its cached tool list exactly when what the agent may call changed, and never otherwise.
 */
import { createHash } from 'node:crypto';
import type { ToolDefinition } from './protocol';

/**
 * Plain code-unit order (not locale order, which differs between machines). Object keys and tool
 * names are unique, so no two ever compare equal.
 */
// Stryker disable next-line EqualityOperator: `<=` and `>=` differ from `<` and `>` only for equal strings, which never meet here (see above)
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodeUnits(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 16 hex characters; the order tools are listed in does not matter. */
export function toolSetDigest(tools: readonly ToolDefinition[]): string {
  const sorted = [...tools].sort((a, b) => byCodeUnits(a.name, b.name));
  return createHash('sha256').update(canonical(sorted)).digest('hex').slice(0, 16);
}
