export { Monitor, type CallBreakdown, type CallEvent, type CustomMetricStats, type MetricsSnapshot } from './monitor';
export { DEFAULT_THRESHOLDS, type AlertThresholds, type MonitorOptions } from './options';
export { SEVERITY_RANK } from './alert-book';
export type * from './types';
