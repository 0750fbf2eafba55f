/**
 * Open alerts, one per (rule, server): a condition that keeps holding updates its alert instead
 * of raising a new one, and an alert whose condition no longer holds is resolved (removed).
 */
import type { AlertCondition } from './alert-rules';
import type { Alert, AlertSeverity } from './types';

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export class AlertBook {
  private readonly open = new Map<string, Alert>();

  /** Replaces the open set by `conditions`. Returns whether anything a user would see changed. */
  update(conditions: AlertCondition[], now: number): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const condition of conditions) {
      const id = `${condition.rule}:${condition.server ?? '*'}`;
      seen.add(id);
      const existing = this.open.get(id);
      if (existing) {
        changed ||= existing.severity !== condition.severity || existing.message !== condition.message;
        existing.severity = condition.severity;
        existing.message = condition.message;
        existing.lastSeenAt = now;
      } else {
        changed = true;
        this.open.set(id, {
          id,
          severity: condition.severity,
          rule: condition.rule,
          ...(condition.server !== undefined ? { server: condition.server } : {}),
          message: condition.message,
          firstSeenAt: now,
          lastSeenAt: now,
        });
      }
    }
    for (const id of this.open.keys()) {
      if (!seen.has(id)) {
        this.open.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  /** Open alerts at or above `minSeverity`, worst first. */
  list(minSeverity: AlertSeverity = 'info'): Alert[] {
    return [...this.open.values()]
      .filter((a) => SEVERITY_RANK[a.severity] >= SEVERITY_RANK[minSeverity])
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.firstSeenAt - b.firstSeenAt)
      .map((a) => ({ ...a }));
  }
}
