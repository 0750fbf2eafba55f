/**
 * What the gateway may cache, under which key and for how long, and which calls invalidate.
 *
 * - A tool is cacheable when the server declares it `readOnlyHint` and `idempotentHint`, or a
 *   rule marks it `cacheable: true`; `cacheable: false` always wins.
 * - The key is `server identity + tool + the canonical form of the key arguments`: only the
 *   arguments a rule lists in `key_args` (all when it lists none), object keys sorted, the
 *   `case_insensitive_args` trimmed and lower-cased. A rule with `shared_key: library_docs` uses
 *   the key of preloaded library docs instead, so both paths answer each other.
 * - A call invalidates its server's cached results when the rule says so, or else when the tool is
 *   not read-only and `invalidate_on_write` is on.
 */
import type { GatewayConfig, GatewayToolRule } from '../config/types';
import { CONTEXT_TYPES } from '../knowledge';
import { libraryDocsQuery } from '../preload/queries';
import { cacheKey } from '../store/cache-key';
import type { UpstreamServer } from './ports';
import type { ToolDefinition } from './protocol';

const KEY_VERSION = 'g1';

export interface ToolPolicy {
  cacheable: boolean;
  ttlSeconds: number;
  invalidates: boolean;
  rule?: GatewayToolRule;
}

export type CacheAddress =
  { kind: 'tool'; key: string; contextType: string } | { kind: 'shared'; key: string; contextType: string };

/** The rule for a server's tool: one naming the server wins over one naming its kind. */
export function ruleFor(
  rules: readonly GatewayToolRule[],
  server: UpstreamServer,
  tool: string,
): GatewayToolRule | undefined {
  return (
    rules.find((rule) => rule.tool === tool && rule.server === server.name) ??
    rules.find((rule) => rule.tool === tool && rule.server === undefined && rule.kind === server.kind)
  );
}

export function toolPolicy(config: GatewayConfig, server: UpstreamServer, tool: ToolDefinition): ToolPolicy {
  const rule = ruleFor(config.tools, server, tool.name);
  const annotations = tool.annotations ?? {};
  const declared = annotations.readOnlyHint === true && annotations.idempotentHint === true;
  const cacheable = rule?.cacheable ?? (declared || rule?.sharedKey !== undefined);
  const readOnly = annotations.readOnlyHint === true || rule?.cacheable === true;
  return {
    cacheable,
    ttlSeconds: rule?.ttlSeconds ?? config.defaultTtlSeconds,
    invalidates: rule?.invalidates ?? (config.invalidateOnWrite && !readOnly),
    ...(rule ? { rule } : {}),
  };
}

/**
 * Where a call's result lives in the cache, or undefined when the arguments cannot be keyed
 * (a shared docs key without its two arguments): such a call simply is not cached.
 */
export function cacheAddress(
  identity: string,
  tool: string,
  args: Record<string, unknown>,
  rule: GatewayToolRule | undefined,
): CacheAddress | undefined {
  if (rule?.sharedKey === 'library_docs') {
    const libraryId = args['libraryId'];
    const query = args['query'];
    if (typeof libraryId !== 'string' || typeof query !== 'string' || !libraryId.trim() || !query.trim())
      return undefined;
    return { kind: 'shared', key: cacheKey(libraryDocsQuery(libraryId, query)), contextType: CONTEXT_TYPES.libraryApi };
  }
  const names = rule?.keyArgs ?? Object.keys(args);
  const insensitive = new Set(rule?.caseInsensitiveArgs ?? []);
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    const value = args[name];
    if (value === undefined) continue;
    picked[name] = insensitive.has(name) && typeof value === 'string' ? value.trim().toLowerCase() : value;
  }
  return {
    kind: 'tool',
    key: JSON.stringify([KEY_VERSION, identity, tool, canonicalJson(picked)]),
    contextType: GATEWAY_CONTEXT_TYPE,
  };
}

/** The context type gateway-only entries are stored under. */
export const GATEWAY_CONTEXT_TYPE = 'gateway_tool';

/** JSON with object keys sorted at every depth, so equal arguments give equal keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return jsonScalar(value) ?? 'null';
}

/** JSON text of a scalar; undefined for undefined, functions and symbols (which JSON.stringify's type hides). */
function jsonScalar(value: unknown): string | undefined {
  return JSON.stringify(value);
}
