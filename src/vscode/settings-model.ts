/**
 * The `mcpIntegration.*` settings as one typed, normalised object. Pure (no `vscode` import):
 * `settings.ts` reads the raw values, this file validates them, falls back to defaults on bad input
 * (with a warning the host shows once), and sorts changes into "apply live" and "needs restart".
 */
import type { HierarchyMode, PreloadStrategy, RuntimeSettings } from '../core/api';
import type { LogLevel } from '../core/ports';

export const SETTINGS_SECTION = 'mcpIntegration';

export interface ExtensionSettings {
  /** Runtime settings, without the installation id (the host adds the machine id). */
  runtime: Omit<RuntimeSettings, 'installationId'>;
  /** Folder with the user's YAML overrides; empty → `~/.mcp-integration`. */
  configDirectory: string;
  /** Workspace-relative folder with the workspace's YAML overrides. Default `.mcp-integration`. */
  workspaceConfigPath: string;
  statusBarEnabled: boolean;
  logLevel: LogLevel;
}

export const DEFAULT_SETTINGS: ExtensionSettings = {
  runtime: {
    enabled: true,
    rolloutPercent: 100,
    hierarchyMode: 'sequential',
    preloadStrategy: 'balanced',
    preloadCallsPerMinute: 60,
    preloadCostBudgetUsd: 0.5,
    preloadConcurrency: 2,
  },
  configDirectory: '',
  workspaceConfigPath: '.mcp-integration',
  statusBarEnabled: true,
  logLevel: 'info',
};

const HIERARCHY_MODES: readonly HierarchyMode[] = ['sequential', 'hedged'];
const PRELOAD_STRATEGIES: readonly PreloadStrategy[] = ['off', 'balanced', 'aggressive'];
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Reads one raw setting by its key below `mcpIntegration.` (e.g. `preload.strategy`). */
export type RawSettingReader = (key: string) => unknown;

export interface NormalisedSettings {
  settings: ExtensionSettings;
  /** One line per setting that had a bad value and fell back to its default. */
  warnings: string[];
}

export function normaliseSettings(read: RawSettingReader): NormalisedSettings {
  const warnings: string[] = [];
  const pick = <T>(key: string, fallback: T, accept: (value: unknown) => value is T, expected: string): T => {
    const value = read(key);
    if (value === undefined || value === null) return fallback;
    if (accept(value)) return value;
    warnings.push(
      `${SETTINGS_SECTION}.${key}: expected ${expected}, got ${JSON.stringify(value)}; using ${JSON.stringify(fallback)}.`,
    );
    return fallback;
  };
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const isString = (v: unknown): v is string => typeof v === 'string';
  const inRange =
    (min: number, max: number, integer: boolean) =>
    (v: unknown): v is number =>
      typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
  const oneOf =
    <T extends string>(values: readonly T[]) =>
    (v: unknown): v is T =>
      typeof v === 'string' && (values as readonly string[]).includes(v);
  const d = DEFAULT_SETTINGS;
  return {
    settings: {
      runtime: {
        enabled: pick('enabled', d.runtime.enabled, isBoolean, 'true or false'),
        rolloutPercent: pick(
          'rolloutPercent',
          d.runtime.rolloutPercent,
          inRange(0, 100, false),
          'a number from 0 to 100',
        ),
        hierarchyMode: pick(
          'hierarchy.mode',
          d.runtime.hierarchyMode,
          oneOf(HIERARCHY_MODES),
          HIERARCHY_MODES.join(' or '),
        ),
        preloadStrategy: pick(
          'preload.strategy',
          d.runtime.preloadStrategy,
          oneOf(PRELOAD_STRATEGIES),
          PRELOAD_STRATEGIES.join(', '),
        ),
        preloadCallsPerMinute: pick(
          'preload.callsPerMinute',
          d.runtime.preloadCallsPerMinute,
          inRange(0, 10_000, false),
          'a number from 0 to 10000',
        ),
        preloadCostBudgetUsd: pick(
          'preload.costBudgetUsd',
          d.runtime.preloadCostBudgetUsd,
          inRange(0, 1_000, false),
          'a number from 0 to 1000',
        ),
        preloadConcurrency: pick(
          'preload.concurrency',
          d.runtime.preloadConcurrency,
          inRange(1, 16, true),
          'a whole number from 1 to 16',
        ),
      },
      configDirectory: pick('configDirectory', d.configDirectory, isString, 'a folder path').trim(),
      workspaceConfigPath:
        pick('workspaceConfigPath', d.workspaceConfigPath, isString, 'a workspace-relative folder').trim() ||
        d.workspaceConfigPath,
      statusBarEnabled: pick('statusBar.enabled', d.statusBarEnabled, isBoolean, 'true or false'),
      logLevel: pick('logLevel', d.logLevel, oneOf(LOG_LEVELS), LOG_LEVELS.join(', ')),
    },
    warnings,
  };
}

/** Setting keys whose change needs a new runtime (they decide where configuration is read from). */
export const RESTART_KEYS: readonly string[] = ['configDirectory', 'workspaceConfigPath'];

export type SettingsChange = 'none' | 'live' | 'restart';

/** How to apply a change, given which keys VS Code says were affected. */
export function classifyChange(affects: (key: string) => boolean): SettingsChange {
  if (RESTART_KEYS.some((key) => affects(`${SETTINGS_SECTION}.${key}`))) return 'restart';
  return affects(SETTINGS_SECTION) ? 'live' : 'none';
}

/** Whether a message at `level` passes the `logLevel` filter. */
export function isLogLevelEnabled(threshold: LogLevel, level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}
