/** Host settings merged over the YAML configuration, and the guide's rollback/rollout switch. */
import { createHash } from 'node:crypto';
import type { HierarchyMode } from '../hierarchy/types';
import type { PreloadStrategy } from '../preload/types';

/** Host settings that override the YAML configuration (VS Code settings, CLI flags). */
export interface RuntimeSettings {
  /** The guide's rollback switch: when false every lookup reports "disabled" and nothing starts. */
  enabled: boolean;
  /** 0–100: share of installations that use the integration, stable per installation id. */
  rolloutPercent: number;
  /** A stable id for the rollout bucket (VS Code: machine id; CLI: hostname + user). */
  installationId: string;
  hierarchyMode: HierarchyMode;
  preloadStrategy: PreloadStrategy;
  /** Upstream calls per minute background preloading may spend. */
  preloadCallsPerMinute: number;
  /** USD background preloading may spend per session. */
  preloadCostBudgetUsd: number;
  preloadConcurrency: number;
}
import type { McpConfig } from '../config/types';

/** Host settings win where given; the YAML configuration supplies the rest. */
export function resolveSettings(config: McpConfig, overrides: Partial<RuntimeSettings>): RuntimeSettings {
  return {
    enabled: overrides.enabled ?? config.enabled,
    rolloutPercent: clampPercent(overrides.rolloutPercent ?? config.rolloutPercent),
    installationId: overrides.installationId ?? 'default',
    hierarchyMode: overrides.hierarchyMode ?? config.knowledgeHierarchy.mode,
    preloadStrategy: overrides.preloadStrategy ?? config.preload.strategy,
    preloadCallsPerMinute: overrides.preloadCallsPerMinute ?? config.preload.callsPerMinute,
    preloadCostBudgetUsd: overrides.preloadCostBudgetUsd ?? config.preload.costBudgetUsd,
    preloadConcurrency: overrides.preloadConcurrency ?? config.preload.concurrency,
  };
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 100;
}

/**
 * Stable rollout bucket 0–99 for an installation. A hash rather than the guide's `hash(user_id)`,
 * whose value changes between processes in Python: here the same installation always lands in
 * the same bucket, so a 20 % rollout is the same 20 % every day.
 */
export function rolloutBucket(installationId: string): number {
  return createHash('sha256').update(installationId).digest().readUInt32BE(0) % 100;
}

/** Whether this installation uses the integration (the guide's `should_use_mcp_integration`). */
export function isRolledOut(settings: RuntimeSettings, configEnabled: boolean): boolean {
  return settings.enabled && configEnabled && rolloutBucket(settings.installationId) < settings.rolloutPercent;
}
