/**
 * Reloading the configuration in two steps: everything a new configuration needs (the files read,
 * settings, the pool's replacement servers, adapters and hierarchy, trigger rules) is built first
 * without touching the running state; only when all of it was built does the runtime swap it in.
 * A failure on the way leaves the runtime exactly as it was and says why.
 */
import type { ConnectionPool, PoolUpdate } from '../mcp/connection-pool';
import type { HostPorts } from '../ports';
import type { SecretRedactor } from '../redaction';
import { SmartTrigger } from '../triggers/smart-trigger';
import type { ConfigLayerStores, LoadedConfiguration } from './config-stores';
import { buildEngine, type Engine, type EngineDeps } from './engine';
import { serversToRun } from './prepare-servers';
import { resolveSettings, type RuntimeSettings } from './settings';

/** The part of the runtime's state a configuration decides, swapped as one. */
export interface ConfiguredState {
  loaded: LoadedConfiguration;
  settings: RuntimeSettings;
  engine: Engine;
  trigger: SmartTrigger;
}

export interface ReloadCandidate extends ConfiguredState {
  /** The pool's replacement servers, not yet swapped in. */
  pool: PoolUpdate;
}

export interface ReloadDeps {
  stores: ConfigLayerStores;
  redactor: SecretRedactor;
  overrides: Partial<RuntimeSettings>;
  ports: HostPorts;
  pool: ConnectionPool;
  engine: EngineDeps;
}

/** Rejected reloads: the previous configuration stays in force. The message says why. */
export class ReloadFailedError extends Error {
  override readonly name = 'ReloadFailedError';
}

/** Builds the state of the configuration on disk now. Throws without changing anything running. */
export async function prepareReload(deps: ReloadDeps): Promise<ReloadCandidate> {
  try {
    const loaded = await deps.stores.load();
    // Remembered even if a later step fails: the reason reported may quote these values.
    deps.redactor.addFromServers(loaded.servers);
    const settings = resolveSettings(loaded.mcp, deps.overrides);
    const pool = deps.pool.prepareUpdate(await serversToRun(loaded, deps.ports));
    const engine = buildEngine(loaded, settings, pool, deps.engine);
    const trigger = new SmartTrigger(loaded.mcp.smartTriggers);
    return { loaded, settings, engine, trigger, pool };
  } catch (error) {
    const reason = deps.redactor.redact(error instanceof Error ? error.message : String(error));
    const failure = `The configuration was not reloaded; the previous one stays in force: ${reason}`;
    deps.ports.logger.warn(failure);
    // No `cause`: hosts log this error with their own, unmasked, loggers.
    throw new ReloadFailedError(failure);
  }
}
