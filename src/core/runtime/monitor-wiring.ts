/**
 * The monitor as the runtime builds it from the configuration, and the wiring that turns what the
 * pool, the monitor and the preloader report into runtime events (masked on the way out).
 */
import type { McpConfig } from '../config/types';
import type { ConnectionPool } from '../mcp/connection-pool';
import type { ServerDefinition } from '../mcp/types';
import { Monitor } from '../monitor/monitor';
import type { Disposable, Logger } from '../ports';
import type { PredictivePreloader } from '../preload/predictive-preloader';
import type { SecretRedactor } from '../redaction';
import type { RuntimeEvents } from './events';
import { latencyTargetsByServer } from './layers';

export function createMonitor(config: McpConfig, servers: readonly ServerDefinition[], logger: Logger): Monitor {
  const alerts = config.monitoring.alerts;
  return new Monitor({
    costPerCallUsd: Object.fromEntries(servers.map((s) => [s.name, s.costPerCallUsd])),
    latencyTargetsMs: latencyTargetsByServer(config.knowledgeHierarchy),
    thresholds: {
      errorRateWarning: alerts.errorRate.warning,
      errorRateError: alerts.errorRate.error,
      latencyOverTargetFactor: alerts.latencyOverTargetFactor,
      cacheHitRateMin: alerts.cacheHitRateMin,
      costBudgetPerDayUsd: alerts.costBudgetUsdDaily,
      serverDown: alerts.serverDown.enabled,
    },
    bucketSeconds: config.monitoring.history.bucketSeconds,
    maxBuckets: config.monitoring.history.buckets,
    logger,
  });
}

export interface EventSources {
  pool: ConnectionPool;
  monitor: Monitor;
  preloader: PredictivePreloader;
  events: RuntimeEvents;
  redactor: SecretRedactor;
}

/** Server statuses reach the monitor and the hosts; metrics and preload progress reach the hosts. */
export function wireRuntimeEvents(sources: EventSources): Disposable[] {
  const { pool, monitor, preloader, events, redactor } = sources;
  return [
    pool.onStatusChange((raw) => {
      const statuses = redactor.redactDeep(raw);
      monitor.setServerStatuses(statuses);
      events.emit({ type: 'servers', statuses });
    }),
    monitor.onChange(() => events.emit({ type: 'metrics' })),
    preloader.onProgress((progress) => events.emit({ type: 'preload', progress })),
  ];
}

/** Redis going down or coming back changes the alert and the dashboard row at once. */
export function watchSharedLevel(
  shared: {
    health: Parameters<Monitor['watchSharedCache']>[0] extends () => infer H ? () => H : never;
    onStateChange(listener: () => void): Disposable;
  },
  monitor: Monitor,
  events: RuntimeEvents,
): Disposable {
  monitor.watchSharedCache(() => shared.health());
  return shared.onStateChange(() => {
    monitor.evaluateAlerts();
    events.emit({ type: 'metrics' });
  });
}

/** The monitor's metrics as text, in the format asked for. */
export async function metricsText(monitor: Monitor, format: 'json' | 'prometheus'): Promise<string> {
  return format === 'json' ? `${JSON.stringify(monitor.toJSON(), null, 2)}\n` : monitor.prometheusText();
}
