/**
 * Tool results as entries of the shared result cache. The entry's `content` is the result's text
 * (what the hierarchy, hovers and the palette read from a shared docs entry); the whole result is
 * kept in `metadata` only when text alone would lose something (several blocks, non-text blocks,
 * structured content). Hits are marked in `_meta` with their age.
 */
import type { CachedAnswer, CacheHit } from '../store/cache-types';
import { resultText, type ToolCallResult } from './protocol';

/** The `_meta` key of the gateway's cache facts on a result. */
export const CACHE_META_KEY = 'mcp-integration/cache';

export interface CacheMeta {
  cached: boolean;
  /** Age of the cached result in seconds (hits only). */
  ageSeconds?: number;
  /** When it was stored, ISO 8601 (hits only). */
  storedAt?: string;
  /** memory or disk (hits only). */
  level?: string;
  /** True when this call shared an identical call that was already under way. */
  shared?: boolean;
}

interface GatewayMetadata {
  gateway: 1;
  server: string;
  tool: string;
  serverIdentity: string;
  result?: ToolCallResult;
}

export function toCachedAnswer(
  result: ToolCallResult,
  facts: { server: string; tool: string; identity: string; contextType: string; storedAt: number; source: string },
): CachedAnswer {
  const { _meta: _dropped, ...rest } = result;
  const plain = rest.content.length === 1 && rest.content[0]?.type === 'text' && rest.structuredContent === undefined;
  const metadata: GatewayMetadata = {
    gateway: 1,
    server: facts.server,
    tool: facts.tool,
    serverIdentity: facts.identity,
    ...(plain ? {} : { result: rest }),
  };
  return {
    content: resultText(result),
    source: facts.source,
    contextType: facts.contextType,
    storedAt: facts.storedAt,
    metadata: { ...metadata },
  };
}

/** The server identity an entry was stored for, when the gateway stored it. */
export function entryIdentity(answer: CachedAnswer): string | undefined {
  const identity = answer.metadata?.['serverIdentity'];
  return typeof identity === 'string' ? identity : undefined;
}

export function fromCachedAnswer(answer: CachedAnswer): ToolCallResult {
  const stored = answer.metadata?.['result'];
  if (isToolCallResult(stored)) return { ...stored };
  return { content: [{ type: 'text', text: answer.content }] };
}

export function withCacheMeta(result: ToolCallResult, meta: CacheMeta): ToolCallResult {
  return { ...result, _meta: { ...result._meta, [CACHE_META_KEY]: meta } };
}

export function hitMeta(hit: CacheHit, now: number): CacheMeta {
  return {
    cached: true,
    ageSeconds: Math.max(0, Math.round((now - hit.value.storedAt) / 1000)),
    storedAt: new Date(hit.value.storedAt).toISOString(),
    level: hit.level,
  };
}

function isToolCallResult(value: unknown): value is ToolCallResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as ToolCallResult).content);
}
