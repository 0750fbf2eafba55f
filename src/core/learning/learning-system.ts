/**
 * LearningSystem: learns from outcomes which server answers each context type best, and which
 * libraries each command ends up needing. Estimates decay with age (half-life), so routing follows
 * servers as they change. State is persisted atomically, debounced, and survives restarts; a
 * corrupt file is set aside with a warning and learning starts over. Several processes may share
 * the file: each save takes a lock, reads what is on disk and adds what this process learned since
 * its last save (`merge.ts`), so neither process's learning is lost.
 */
import type { ContextType } from '../knowledge';
import { silentLogger, type Logger } from '../ports';
import { withFileLock } from '../store/file-lock';
import { JsonStateFile } from '../store/json-state-file';
import { addObservation, decayedTo, decayFactor, type DecayingSums } from './decay';
import { mergeLearningStates } from './merge';
import { isOutcomeType, OUTCOME_VALUE, type OutcomeType } from './outcome';
import { initialLearningState, validateLearningState, type LearningState } from './state';

export interface LearningSystemOptions {
  /** Absolute path of the JSON state file. */
  file: string;
  /** Age at which an observation counts half. Default 14 days. */
  halfLifeDays?: number;
  /** Default: silent. */
  logger?: Logger;
  /** Clock in ms since epoch. Default `Date.now`. */
  now?: () => number;
  /** Decayed observations a server needs before `routingOrder` moves it. Default 5. */
  minSamples?: number;
  /** Mean latency at which a success is worth half as much when ranking servers. Default 1000 ms. */
  latencyHalfValueMs?: number;
  /** Delay that coalesces writes after changes. Default 2000 ms. */
  saveDebounceMs?: number;
}

/** One finished command or lookup, as the guide's `track_success` takes it. */
export interface TrackedOutcome {
  query: string;
  /** Default `general`. */
  contextType?: ContextType;
  /** Servers that took part. Each is credited with the outcome. */
  mcpsUsed: string[];
  outcome: OutcomeType;
  /** End-to-end latency; used for a server unless `serverLatencyMs` has its own figure. */
  latencyMs?: number;
  /** Per-server latency (from the hierarchy's trail), when known. */
  serverLatencyMs?: Record<string, number>;
  /** The command it served (`fix`, `lookup`, …): feeds library prediction. */
  command?: string;
  /** Library ids the command used. */
  libraries?: string[];
}

export interface ServerEstimate {
  contextType: ContextType;
  server: string;
  /** Decayed number of observations. */
  samples: number;
  /** Estimated success rate 0–1 (with a uniform prior, so few samples stay near 0.5). */
  successRate: number;
  /** Decayed mean latency in ms, 0 when unknown. */
  meanLatencyMs: number;
  /** What routing ranks by: success rate discounted by latency. */
  expectedValue: number;
}

export interface LearningSnapshot {
  estimates: ServerEstimate[];
  commands: Array<{ command: string; libraries: Array<{ library: string; weight: number }> }>;
  outcomes: { success: number; partial: number; failure: number };
}

const DAY_MS = 86_400_000;
/** Bounds on what is remembered, so a long-lived state file stays small. */
const MAX_ESTIMATES = 2000;
const MAX_COOCCURRENCE = 5000;
/** Co-occurrence weight below which a pair is forgotten. */
const FORGET_BELOW = 0.01;

interface Cooccurrence {
  weight: number;
  updatedAt: number;
}

export class LearningSystem {
  private readonly estimates = new Map<string, DecayingSums & { contextType: string; server: string }>();
  private readonly cooccurrence = new Map<string, Map<string, Cooccurrence>>();
  private outcomes = { success: 0, partial: 0, failure: 0 };
  private saveTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  /** The state as last read from or written to disk: what this process learned is the rest. */
  private base: LearningState = initialLearningState();
  private saving: Promise<void> = Promise.resolve();
  private readonly halfLifeMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;

  private constructor(
    private readonly file: JsonStateFile<LearningState>,
    private readonly options: LearningSystemOptions,
  ) {
    this.halfLifeMs = Math.max(1e-6, options.halfLifeDays ?? 14) * DAY_MS;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  static async create(options: LearningSystemOptions): Promise<LearningSystem> {
    const logger = options.logger ?? silentLogger;
    const file = new JsonStateFile<LearningState>({
      path: options.file,
      initial: initialLearningState,
      validate: validateLearningState,
      logger,
    });
    const system = new LearningSystem(file, options);
    system.base = await file.read();
    system.load(system.base);
    return system;
  }

  /** The guide's `track_success`: records an outcome for each server used and the command's libraries. */
  trackSuccess(event: TrackedOutcome): void {
    if (!isOutcomeType(event.outcome)) {
      this.logger.warn(`Ignoring an outcome of unknown type "${String(event.outcome)}"`);
      return;
    }
    const now = this.now();
    const contextType = event.contextType ?? 'general';
    const value = OUTCOME_VALUE[event.outcome];
    this.outcomes[event.outcome] += 1;
    for (const server of new Set(event.mcpsUsed)) {
      const key = estimateKey(contextType, server);
      const current = this.estimates.get(key) ?? {
        contextType,
        server,
        weight: 0,
        success: 0,
        latencySum: 0,
        latencyWeight: 0,
        updatedAt: now,
      };
      const latency = event.serverLatencyMs?.[server] ?? event.latencyMs;
      this.estimates.set(key, {
        contextType,
        server,
        ...addObservation(current, now, this.halfLifeMs, value, latency),
      });
    }
    if (event.command && event.libraries?.length && event.outcome !== 'failure') {
      const libraries = this.librariesOf(event.command);
      for (const library of new Set(event.libraries)) {
        const entry = libraries.get(library);
        const weight = entry ? entry.weight * decayFactor(entry.updatedAt, now, this.halfLifeMs) : 0;
        libraries.set(library, { weight: weight + value, updatedAt: Math.max(now, entry?.updatedAt ?? now) });
      }
    }
    this.enforceBounds();
    this.scheduleSave();
  }

  estimate(contextType: ContextType, server: string): ServerEstimate | undefined {
    const sums = this.estimates.get(estimateKey(contextType, server));
    return sums ? this.toEstimate(sums) : undefined;
  }

  /**
   * Candidates best expected value first. Servers with fewer than `minSamples` (decayed)
   * observations are unknown: they keep their place, and only the known ones are reordered
   * among the places the known ones held.
   */
  routingOrder(contextType: ContextType, candidates: string[]): string[] {
    const minSamples = this.options.minSamples ?? 5;
    const known = candidates
      .map((server, index) => ({ server, index, estimate: this.estimate(contextType, server) }))
      .filter((c) => c.estimate !== undefined && c.estimate.samples >= minSamples);
    const ranked = [...known].sort(
      (a, b) => (b.estimate?.expectedValue ?? 0) - (a.estimate?.expectedValue ?? 0) || a.index - b.index,
    );
    const order = [...candidates];
    known.forEach((slot, i) => {
      order[slot.index] = ranked[i]?.server ?? slot.server;
    });
    return order;
  }

  /** Libraries the command used most (decayed), best first; feeds AGGRESSIVE preloading. */
  predictLibraries(command: string, limit = 5): string[] {
    const now = this.now();
    return [...(this.cooccurrence.get(command) ?? new Map<string, Cooccurrence>())]
      .map(([library, c]) => ({ library, weight: c.weight * decayFactor(c.updatedAt, now, this.halfLifeMs) }))
      .filter((c) => c.weight >= FORGET_BELOW)
      .sort((a, b) => b.weight - a.weight || a.library.localeCompare(b.library))
      .slice(0, Math.max(0, limit))
      .map((c) => c.library);
  }

  snapshot(): LearningSnapshot {
    const now = this.now();
    return {
      estimates: [...this.estimates.values()]
        .map((sums) => this.toEstimate(sums))
        .sort((a, b) => a.contextType.localeCompare(b.contextType) || b.expectedValue - a.expectedValue),
      commands: [...this.cooccurrence].map(([command, libraries]) => ({
        command,
        libraries: [...libraries]
          .map(([library, c]) => ({ library, weight: c.weight * decayFactor(c.updatedAt, now, this.halfLifeMs) }))
          .sort((a, b) => b.weight - a.weight),
      })),
      outcomes: { ...this.outcomes },
    };
  }

  /** Writes pending changes now. Never throws: a failed write is logged and retried on the next change. */
  flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    // One save at a time in this process; the lock orders saves between processes.
    this.saving = this.saving.then(() => this.save());
    return this.saving;
  }

  private async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    try {
      await withFileLock(`${this.file.path}.lock`, async () => {
        const mine = this.toState();
        const merged = mergeLearningStates(await this.file.read(), this.base, mine, this.now(), this.halfLifeMs);
        await this.file.write(merged);
        // Outcomes tracked while the file was read and written are carried over, not dropped.
        const current = mergeLearningStates(merged, mine, this.toState(), this.now(), this.halfLifeMs);
        this.base = merged;
        this.replaceState(current);
      });
    } catch (error) {
      this.dirty = true;
      this.logger.warn(`Could not save learned routing data to ${this.file.path}`, error);
    }
  }

  /** Flushes and stops the save timer. */
  async dispose(): Promise<void> {
    await this.flush();
  }

  private toEstimate(stored: DecayingSums & { contextType: string; server: string }): ServerEstimate {
    const sums = decayedTo(stored, this.now(), this.halfLifeMs);
    const successRate = (sums.success + 1) / (sums.weight + 2);
    const meanLatencyMs = sums.latencyWeight > 0 ? sums.latencySum / sums.latencyWeight : 0;
    const halfValue = this.options.latencyHalfValueMs ?? 1000;
    return {
      contextType: stored.contextType,
      server: stored.server,
      samples: sums.weight,
      successRate,
      meanLatencyMs,
      expectedValue: successRate / (1 + meanLatencyMs / halfValue),
    };
  }

  private replaceState(state: LearningState): void {
    this.estimates.clear();
    this.cooccurrence.clear();
    this.load(state);
    this.enforceBounds();
  }

  private load(state: LearningState): void {
    for (const e of state.estimates) this.estimates.set(estimateKey(e.contextType, e.server), { ...e });
    for (const c of state.cooccurrence) {
      this.librariesOf(c.command).set(c.library, { weight: c.weight, updatedAt: c.updatedAt });
    }
    this.outcomes = { ...state.outcomes };
  }

  private toState(): LearningState {
    const cooccurrence: LearningState['cooccurrence'] = [];
    for (const [command, libraries] of this.cooccurrence) {
      for (const [library, c] of libraries)
        cooccurrence.push({ command, library, weight: c.weight, updatedAt: c.updatedAt });
    }
    return {
      version: 1,
      estimates: [...this.estimates.values()].map((e) => ({ ...e })),
      cooccurrence,
      outcomes: { ...this.outcomes },
    };
  }

  /** Forgets the faintest memories first when the tables outgrow their caps. */
  private enforceBounds(): void {
    const now = this.now();
    if (this.estimates.size > MAX_ESTIMATES) {
      const faintest = [...this.estimates].sort(
        ([, a], [, b]) => decayedTo(a, now, this.halfLifeMs).weight - decayedTo(b, now, this.halfLifeMs).weight,
      );
      for (const [key] of faintest.slice(0, this.estimates.size - MAX_ESTIMATES)) this.estimates.delete(key);
    }
    const pairs: Array<{ command: string; library: string; weight: number }> = [];
    for (const [command, libraries] of this.cooccurrence) {
      for (const [library, c] of libraries)
        pairs.push({ command, library, weight: c.weight * decayFactor(c.updatedAt, now, this.halfLifeMs) });
    }
    const forget = pairs.filter((p) => p.weight < FORGET_BELOW);
    if (pairs.length - forget.length > MAX_COOCCURRENCE) {
      const kept = pairs.filter((p) => p.weight >= FORGET_BELOW).sort((a, b) => a.weight - b.weight);
      forget.push(...kept.slice(0, kept.length - MAX_COOCCURRENCE));
    }
    for (const { command, library } of forget) {
      const libraries = this.cooccurrence.get(command);
      libraries?.delete(library);
      if (libraries?.size === 0) this.cooccurrence.delete(command);
    }
  }

  private librariesOf(command: string): Map<string, Cooccurrence> {
    let libraries = this.cooccurrence.get(command);
    if (!libraries) this.cooccurrence.set(command, (libraries = new Map<string, Cooccurrence>()));
    return libraries;
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => void this.flush(), this.options.saveDebounceMs ?? 2000);
    this.saveTimer.unref();
  }
}

function estimateKey(contextType: string, server: string): string {
  return `${contextType}\u0000${server}`;
}
