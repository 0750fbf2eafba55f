/**
 * What a `store` kept, in words a user can act on. A value kept only in this process's memory
 * is not "stored" (it is gone when the CLI exits or the window reloads), so success needs the
 * cache's disk level or a memory server to have taken it.
 */
import type { StoreReport } from '../hierarchy/types';
import type { ContextType } from '../knowledge';

/** How the runtime stores a value: the facade's options, plus metadata for the fix flow's team flag. */
export interface RuntimeStoreOptions {
  contextType?: ContextType;
  ttlSeconds?: number;
  metadata?: Record<string, unknown>;
}

/** Where a stored value was kept. `store` rejects when no target kept it. */
export interface StoreResult {
  /** `local cache` (on disk) and each memory server that took the value. */
  targets: string[];
  /** Targets that did not take it, with the reason. */
  failed: Array<{ target: string; error: string }>;
}

export const LOCAL_CACHE_TARGET = 'local cache';

export function storeResultOf(report: StoreReport): StoreResult {
  const targets: string[] = [];
  const failed: StoreResult['failed'] = [];
  if (report.persisted) targets.push(LOCAL_CACHE_TARGET);
  else failed.push({ target: LOCAL_CACHE_TARGET, error: report.persistError ?? 'not written' });
  for (const layer of report.layers) {
    if (layer.ok) targets.push(layer.server);
    else failed.push({ target: layer.server, error: layer.error ?? 'unknown error' });
  }
  return { targets, failed };
}

/** Thrown by `store` (and `rememberFix`) when no target kept the value. */
export class StoreFailedError extends Error {
  constructor(readonly result: StoreResult) {
    super(
      `nothing kept the value: ${
        result.failed.map((f) => `${f.target}: ${f.error}`).join('; ') || 'no cache and no writable memory server'
      }`,
    );
    this.name = 'StoreFailedError';
  }
}
