/**
 * The shared cache's alert: Redis down, hanging or full. Answers keep coming from the local levels
 * and upstream, so it is a warning — but a team loses its shared answers and its single-flight
 * until it clears. A first connection that takes longer than `CONNECTING_GRACE_MS` counts as down.
 */
import type { SharedCacheHealth } from '../store/shared-level';
import type { AlertCondition } from './alert-rules';

const CONNECTING_GRACE_MS = 10_000;

export function sharedCacheRule(health: SharedCacheHealth | undefined, now: number): AlertCondition[] {
  if (!health) return [];
  const where = `Shared cache (${health.endpoint})`;
  const fallback = 'answers come from the local cache and upstream';
  const reason = health.lastError ? ` (${health.lastError})` : '';
  switch (health.state) {
    case 'down':
      return [{ rule: 'shared_cache', severity: 'warning', message: `${where} is unreachable${reason}; ${fallback}` }];
    case 'slow':
      return [{ rule: 'shared_cache', severity: 'warning', message: `${where} does not answer in time; ${fallback}` }];
    case 'full':
      return [
        {
          rule: 'shared_cache',
          severity: 'warning',
          message: `${where} refuses writes (out of memory); new answers stay local`,
        },
      ];
    case 'connecting':
      return now - health.since > CONNECTING_GRACE_MS
        ? [{ rule: 'shared_cache', severity: 'warning', message: `${where} cannot be reached${reason}; ${fallback}` }]
        : [];
    default:
      return [];
  }
}
