/**
 * The runtime's preloader: built in one place from the configuration, settings and the services it
 * uses, and given new settings in one place. Background work reads the engine current at the time
 * it runs, so a configuration reload is picked up without rebuilding the preloader.
 */
import type { LibraryCache } from '../libraries/library-cache';
import type { LearningSystem } from '../learning/learning-system';
import { readManifestLibraries } from '../libraries/manifest-libraries';
import type { Logger } from '../ports';
import type { MemberTopics } from '../preload/member-topics';
import { PredictivePreloader } from '../preload/predictive-preloader';
import type { PreloadStrategy } from '../preload/types';
import type { ConfiguredState } from './reload';

export interface PreloaderDeps {
  /** The configuration in force now (its engine answers the preloader's questions). */
  state: () => ConfiguredState;
  memberTopics: MemberTopics;
  libraries: LibraryCache;
  learning: LearningSystem;
  /** Where AGGRESSIVE preloading reads the workspace manifests. */
  workspaceFolder: string | undefined;
  logger: Logger;
}

/** The docs topics preloaded for every library (the first one is what hovers show). */
export function preloadTopics(state: ConfiguredState): readonly string[] {
  const topics = state.loaded.mcp.context7.libraryCache.preloadTopics;
  return topics.length > 0 ? topics : ['getting started'];
}

export function buildPreloader(deps: PreloaderDeps): PredictivePreloader {
  const state = deps.state();
  const context7Cost = state.loaded.servers.find((s) => s.kind === 'context7')?.costPerCallUsd ?? 0;
  return new PredictivePreloader({
    strategy: preloadStrategy(state),
    concurrency: state.settings.preloadConcurrency,
    callsPerMinute: state.settings.preloadCallsPerMinute,
    costBudgetUsd: state.settings.preloadCostBudgetUsd,
    costPerCallUsd: context7Cost,
    topics: preloadTopics(state),
    memberTopics: deps.memberTopics,
    hierarchy: {
      // A disk hit is still a hit: reading it promotes it to memory, where hovers look.
      isCached: async (query) => (await deps.state().engine.hierarchy.getCached(query)) !== null,
      fetch: async (query, signal) => {
        // 'refresh': the cache was just probed, and background work must not count as the
        // person's cache misses in the hit rate the status bar shows.
        const result = await deps.state().engine.hierarchy.fetch(query, { signal, cacheMode: 'refresh' });
        return result.success ? { success: true } : { success: false, error: result.error ?? 'no answer' };
      },
    },
    libraries: { resolve: (module, language) => deps.libraries.resolve(module, language) },
    learning: deps.learning,
    manifests: { workspaceLibraries: () => readManifestLibraries(deps.workspaceFolder, deps.logger) },
    logger: deps.logger,
  });
}

/**
 * Gives the preloader the strategy and limits now in force. Background work starts or stops with
 * `active`: always when `wasActive` is not given, else only when it changed.
 */
export function applyPreloadSettings(
  preloader: PredictivePreloader,
  state: ConfiguredState,
  active: boolean,
  wasActive?: boolean,
): void {
  preloader.setStrategy(preloadStrategy(state));
  preloader.setLimits({
    concurrency: state.settings.preloadConcurrency,
    callsPerMinute: state.settings.preloadCallsPerMinute,
    costBudgetUsd: state.settings.preloadCostBudgetUsd,
  });
  if (wasActive === active) return;
  if (!active) preloader.stopBackgroundPreloading();
  else void preloader.startBackgroundPreloading();
}

function preloadStrategy(state: ConfiguredState): PreloadStrategy {
  return state.loaded.mcp.context7.libraryCache.enabled ? state.settings.preloadStrategy : 'off';
}
