/**
 * The runtime's shared level: built once from `shared_cache` (none without a URL) and handed to
 * the result cache, which owns it from then on. Which answers are the team's is decided per write
 * from the servers configured at that moment: those of the public docs servers (context7) that
 * the person configured themselves — never one a workspace declared, whose answers could be
 * anything — unless `private_servers` names them.
 */
import type { SharedCacheConfig } from '../config/types';
import type { ServerDefinition } from '../mcp/types';
import type { Logger } from '../ports';
import { partitionPolicy, type PartitionPolicy } from '../store/partitions';
import { RedisSharedCache } from '../store/redis-shared-cache';
import type { SharedCacheLevel } from '../store/shared-level';

/** Names of the servers whose answers are the same for everyone. */
export function sharedServerNames(servers: readonly ServerDefinition[]): string[] {
  return servers
    .filter((server) => server.kind === 'context7' && (server.origin === 'defaults' || server.origin === 'user'))
    .map((server) => server.name);
}

function livePolicy(config: SharedCacheConfig, servers: () => readonly ServerDefinition[]): PartitionPolicy {
  return {
    partitionOf: (answer) =>
      partitionPolicy({
        sharedServers: sharedServerNames(servers()),
        privateServers: config.privateServers,
      }).partitionOf(answer),
  };
}

/**
 * With team memory on and a shared level: the name remembered fixes are signed with, the level's
 * own partition (the configuration's at the time the level was built). Undefined otherwise.
 */
export function teamMemberOf(level: SharedCacheLevel | undefined, config: SharedCacheConfig): string | undefined {
  return level && config.teamMemory ? level.health().partition : undefined;
}

/**
 * Connects to the configured Redis and waits (at most the connect timeout) for the connection, so
 * the first lookups already use it. Undefined when no shared cache is configured.
 */
export async function createSharedLevel(
  config: SharedCacheConfig,
  servers: () => readonly ServerDefinition[],
  logger: Logger,
): Promise<SharedCacheLevel | undefined> {
  if (config.url === undefined) return undefined;
  const level = new RedisSharedCache({
    url: config.url,
    prefix: config.prefix,
    partition: config.partition,
    policy: livePolicy(config, servers),
    opTimeoutMs: config.opTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxEntryBytes: config.maxEntryBytes,
    lease: config.lease,
    logger,
  });
  if (!(await level.whenReady(config.connectTimeoutMs)))
    logger.warn(
      `Shared cache: ${level.health().endpoint} is not reachable yet; answers come from the local cache and upstream until it is`,
    );
  return level;
}
