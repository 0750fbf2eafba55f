/**
 * `shared_cache` from file content to `SharedCacheConfig`: camelCase, then placeholders resolved
 * (`${secret:REDIS_URL}`, `${env:USER}`). A placeholder that cannot be resolved, or a URL that is
 * not `redis://`/`rediss://`, turns the shared level off with one located error; everything else
 * keeps working from the local levels.
 */
import { ConfigError } from '../errors';
import type { ConfigLocation } from './layered-store';
import { type PlaceholderContext, resolvePlaceholders, UnresolvedPlaceholderError } from './placeholders';
import type { SharedCacheFile } from './shared-cache-schema';
import type { SharedCacheConfig } from './types';

const SECRET_PLACEHOLDER = /\$\{secret:/u;

export function normaliseSharedCache(file: SharedCacheFile): SharedCacheConfig {
  return {
    ...(file.url !== undefined ? { url: file.url } : {}),
    prefix: file.prefix,
    partition: file.partition,
    opTimeoutMs: file.op_timeout_ms,
    connectTimeoutMs: file.connect_timeout_ms,
    maxEntryBytes: file.max_entry_bytes,
    lease: { ttlMs: file.lease.ttl_ms, waitMs: file.lease.wait_ms, maxHoldMs: file.lease.max_hold_ms },
    privateServers: [...file.private_servers],
    teamMemory: file.team_memory,
  };
}

/** Resolves the URL and the partition; on failure the result has no URL and one error at `at`. */
export async function resolveSharedCache(
  config: SharedCacheConfig,
  ctx: PlaceholderContext,
  at: (key: 'url' | 'partition' | 'team_memory') => ConfigLocation,
): Promise<{ config: SharedCacheConfig; errors: ConfigError[] }> {
  if (config.url === undefined) return { config, errors: [] };
  if (config.teamMemory && SECRET_PLACEHOLDER.test(config.partition)) {
    // The partition name is published with every team fix as who remembered it.
    const where = at('team_memory');
    const resolved = await resolveSharedCache({ ...config, teamMemory: false }, ctx, at);
    return {
      config: resolved.config,
      errors: [
        new ConfigError(
          where.file,
          where.line,
          where.column,
          'shared_cache.team_memory',
          'team memory is off: it publishes the partition name as who remembered a fix, and this partition comes from a ${secret:…}',
        ),
        ...resolved.errors,
      ],
    };
  }
  const off = (key: 'url' | 'partition', reason: string): { config: SharedCacheConfig; errors: ConfigError[] } => {
    const where = at(key);
    const { url: _dropped, ...rest } = config;
    return {
      config: rest,
      errors: [
        new ConfigError(
          where.file,
          where.line,
          where.column,
          `shared_cache.${key}`,
          `the shared cache is off: ${reason}`,
        ),
      ],
    };
  };
  let url: string;
  let partition: string;
  try {
    url = await resolvePlaceholders(config.url, ctx);
  } catch (error) {
    if (error instanceof UnresolvedPlaceholderError) return off('url', error.message);
    throw error;
  }
  try {
    partition = await resolvePlaceholders(config.partition, ctx);
  } catch (error) {
    if (error instanceof UnresolvedPlaceholderError) return off('partition', error.message);
    throw error;
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // The URL itself is never echoed: it may carry a password.
    return off('url', 'the URL does not parse');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    return off('url', 'the URL must start with redis:// or rediss://');
  return { config: { ...config, url, partition }, errors: [] };
}
