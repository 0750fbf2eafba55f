/**
 * Which partition of the shared level an answer belongs to. Only answers that are the same for
 * everyone go to the team's `shared` partition: those of the public docs servers (context7's
 * library docs and resolved library ids), unless the configuration marks that server private.
 * Everything else — project memory, error solutions, remembered fixes, code symbols, anything
 * from GitHub (the repository may be private) or from a server marked private — stays in the
 * configured partition of its owner. Unknown means private: a wrong guess must never publish.
 *
 * The one exception is team memory: a fix someone chose to remember for the team (an
 * `error_solution` answer marked `metadata.teamMemory`) goes to the `team` partition, which every
 * instance under the same prefix reads. Only the fix flow marks answers so, and only when
 * `shared_cache.team_memory` is on.
 */
import type { CachedAnswer } from './cache-types';

export type PartitionKind = 'shared' | 'team' | 'private';

export interface PartitionPolicy {
  partitionOf(answer: CachedAnswer): PartitionKind;
}

export interface PartitionPolicyOptions {
  /** Servers whose answers are the same for everyone (the public docs servers). */
  sharedServers: readonly string[];
  /** Servers whose answers always stay private, whatever their kind (wins over `sharedServers`). */
  privateServers: readonly string[];
}

/** Context types that are private by nature, whoever answered them. */
const ALWAYS_PRIVATE = new Set(['error_solution', 'project_memory', 'code_symbol', 'github_issue']);

/** The metadata flag that publishes a remembered fix to the team partition. */
export const TEAM_MEMORY_FLAG = 'teamMemory';

/** Whether an answer is a fix remembered for the team. */
export function isTeamMemory(answer: CachedAnswer): boolean {
  return answer.contextType === 'error_solution' && answer.metadata?.[TEAM_MEMORY_FLAG] === true;
}

/** The server an answer came from: the hierarchy and the gateway both record it in `metadata.server`. */
export function answeringServer(answer: CachedAnswer): string | undefined {
  const server = answer.metadata?.['server'];
  return typeof server === 'string' ? server : undefined;
}

export function partitionPolicy(options: PartitionPolicyOptions): PartitionPolicy {
  const privateServers = new Set(options.privateServers);
  const sharedServers = new Set(options.sharedServers.filter((server) => !privateServers.has(server)));
  return {
    partitionOf(answer) {
      if (isTeamMemory(answer)) return 'team';
      if (ALWAYS_PRIVATE.has(answer.contextType)) return 'private';
      const server = answeringServer(answer);
      return server !== undefined && sharedServers.has(server) ? 'shared' : 'private';
    },
  };
}
