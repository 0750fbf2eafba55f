/**
 * The gateway: every enabled server's tools re-exported to agents as `<server><separator><tool>`,
 * plus the hierarchy's own tools. Calls reach their server through an `UpstreamToolSource` (the
 * connection pool: lazy start, call timeouts, circuit breaker), read-only results are answered
 * from the same two-level cache as lookups, identical concurrent calls share one upstream call,
 * writes invalidate their server's cached results, and every call is reported to the observer.
 * The answer waits for nothing a direct call would not: cache writes (past the memory level) and
 * the observer's record happen once it is on its way (`AfterAnswer`).
 *
 * Failures never escape as exceptions, except for a name that is not exposed: a hung, crashed or
 * failing upstream becomes a tool result with `isError`, which is never cached.
 */
import type { GatewayConfig, ToolSelection } from '../config/types';
import { SingleFlight } from '../hierarchy/single-flight';
import { type Disposable, type Logger, silentLogger } from '../ports';
import type { CacheHit, Clock } from '../store/cache-types';
import type { ResultCache } from '../store/result-cache';
import { AfterAnswer } from './after-answer';
import {
  entryIdentity,
  fromCachedAnswer,
  hitMeta,
  toCachedAnswer,
  withCacheMeta,
  type CacheMeta,
} from './cache-entries';
import { cacheAddress, toolPolicy, type CacheAddress, type ToolPolicy } from './cache-policy';
import { UpstreamForwarding } from './forwarding';
import { ServerInvalidations } from './invalidations';
import { ServerToolLists } from './tool-lists';
import { exposedToolName } from './naming';
import type { UpstreamServer, UpstreamToolSource } from './ports';
import { resultText, textResult, type ToolCallResult, type ToolDefinition } from './protocol';
import { cacheableResult, callUpstream, type CallOutcome } from './upstream-call';
import { ALL_TOOLS, serverSelected, toolSelected } from './selection';
import {
  UnknownToolError,
  type ExposedTool,
  type GatewayCallOptions,
  type GatewayObserver,
  type LocalTool,
} from './types';

/** The server name the hierarchy's own tools are reported under (and matched by in tool patterns). */
export const LOCAL_SERVER = 'mcp-integration';
const DEFAULT_LIST_WAIT_MS = 10_000;

export interface GatewayOptions {
  source: UpstreamToolSource;
  /** The result cache lookups use (shared, so preloaded docs and agent calls answer each other). */
  cache: ResultCache;
  config: GatewayConfig;
  /** The tool selection of the profile in force; read at every listing. Default: everything. */
  selection?: () => ToolSelection;
  /** Tools the gateway answers itself. */
  localTools?: () => LocalTool[];
  observer?: GatewayObserver;
  /** Where invalidation times persist; without it they live in memory only. */
  stateFile?: string;
  /** How long a listing waits for a slow server before answering without it. Default 10 s. */
  listWaitMs?: number;
  now?: Clock;
  logger?: Logger;
}

interface UpstreamRoute {
  exposed: ExposedTool;
  server: UpstreamServer;
  tool: ToolDefinition;
  policy: ToolPolicy;
}

type Route = UpstreamRoute | { exposed: ExposedTool; local: LocalTool };

export class Gateway {
  private config: GatewayConfig;
  private routes = new Map<string, Route>();
  private readonly lists: ServerToolLists;
  private readonly identities = new Map<string, Promise<string>>();
  /** Identities once known, so a call needs no asynchronous turn to build its key. */
  private readonly knownIdentities = new Map<string, string>();
  private readonly flights = new SingleFlight<CallOutcome, undefined>();
  private readonly listeners = new Set<() => void>();
  private readonly afterAnswer: AfterAnswer;
  private readonly invalidations: ServerInvalidations;
  private readonly subscriptions: Disposable[] = [];
  private readonly forwarding: UpstreamForwarding;
  private readonly now: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: GatewayOptions) {
    this.config = options.config;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.afterAnswer = new AfterAnswer(this.logger);
    this.invalidations = new ServerInvalidations(options.stateFile, this.logger);
    this.lists = new ServerToolLists(options.source, options.listWaitMs ?? DEFAULT_LIST_WAIT_MS, this.logger, () =>
      this.emitListChanged(),
    );
    this.forwarding = new UpstreamForwarding(
      options.source,
      () => options.selection?.() ?? ALL_TOOLS,
      () => this.config.separator,
      this.logger,
    );
    this.subscriptions.push(
      options.source.onToolsChanged((server) => {
        this.lists.forget(server);
        this.forgetIdentity(server);
        this.emitListChanged();
      }),
    );
    const calls = options.source.onCallCompleted?.((server, tool) => this.noteCallElsewhere(server, tool));
    if (calls) this.subscriptions.push(calls);
  }

  get separator(): string {
    return this.config.separator;
  }

  /** The exposed tools: every selected upstream tool, then the local ones. */
  async listTools(options: { signal?: AbortSignal } = {}): Promise<ExposedTool[]> {
    const selection = this.options.selection?.() ?? ALL_TOOLS;
    const servers = this.options.source.servers().filter((server) => serverSelected(selection, server.name));
    const lists = await Promise.all(servers.map((server) => this.lists.list(server.name, options.signal)));
    const routes = new Map<string, Route>();
    servers.forEach((server, index) => {
      for (const tool of lists[index] ?? []) {
        if (!toolSelected(selection, server.name, tool.name)) continue;
        const name = exposedToolName(server.name, tool.name, this.config.separator);
        if (routes.has(name)) {
          this.logger.warn(`Gateway: ${server.name}/${tool.name} would be exposed as "${name}", which is taken`);
          continue;
        }
        const exposed: ExposedTool = {
          name,
          server: server.name,
          upstreamName: tool.name,
          definition: { ...tool, name },
        };
        routes.set(name, { exposed, server, tool, policy: toolPolicy(this.config, server, tool) });
      }
    });
    const localSelection = { ...selection, servers: [] };
    for (const local of this.options.localTools?.() ?? []) {
      const name = local.definition.name;
      if (routes.has(name) || !toolSelected(localSelection, LOCAL_SERVER, name)) continue;
      routes.set(name, {
        exposed: { name, server: LOCAL_SERVER, upstreamName: name, definition: local.definition },
        local,
      });
    }
    this.routes = routes;
    return [...routes.values()].map((route) => route.exposed);
  }

  /** Calls an exposed tool. Throws `UnknownToolError` for a name that is not exposed; never for upstream failures. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: GatewayCallOptions = {},
  ): Promise<ToolCallResult> {
    const started = performance.now();
    const route = this.routes.get(name) ?? (await this.listTools({ signal: options.signal }), this.routes.get(name));
    if (!route) throw new UnknownToolError(name);
    const client = options.client ?? 'unknown';
    if ('local' in route) return this.callLocal(route.local, route.exposed.upstreamName, args, options, started);
    const { server, tool, policy } = route;
    const report = (outcome: CallOutcome, facts: { cached: boolean; shared: boolean; upstream: boolean }): void =>
      this.notifyLater({
        client,
        server: server.name,
        tool: tool.name,
        latencyMs: performance.now() - started,
        ok: outcome.ok,
        cacheable: policy.cacheable,
        ...facts,
        costUsd: facts.upstream ? server.costPerCallUsd : 0,
        ...(outcome.error ? { error: outcome.error } : {}),
      });

    const address = policy.cacheable
      ? cacheAddress(
          this.knownIdentities.get(server.name) ?? (await this.identity(server.name)),
          tool.name,
          args,
          policy.rule,
        )
      : undefined;
    if (!address) {
      const outcome = await callUpstream(this.options.source, server, tool.name, args, options.signal);
      if (policy.invalidates) await this.invalidateServer(server.name);
      report(outcome, { cached: false, shared: false, upstream: true });
      return outcome.result;
    }

    if (!this.invalidations.loaded) await this.invalidations.load();
    // A miss known without waiting (no entry in memory or the disk index, no shared level) goes
    // straight to its flight: the miss path then has no asynchronous turn before the upstream call.
    const hit = this.options.cache.certainMiss(address.key) ? undefined : await this.freshHit(server.name, address);
    if (hit) {
      const outcome = { result: withCacheMeta(fromCachedAnswer(hit.value), hitMeta(hit, this.now())), ok: true };
      report(outcome, { cached: true, shared: false, upstream: false });
      return outcome.result;
    }
    const ticket = this.flights.join(
      address.key,
      (cancellation) => {
        const controller = new AbortController();
        cancellation.onAbort((reason) => controller.abort(reason));
        return { promise: this.fetchAndStore(server, route, address, args, controller.signal), state: undefined };
      },
      options.signal,
    );
    const outcome = await ticket.outcome;
    const shared = ticket.joined;
    if (outcome.status === 'done') {
      const meta: CacheMeta = { cached: false, ...(shared ? { shared } : {}) };
      const result = withCacheMeta(outcome.value.result, meta);
      report(outcome.value, { cached: false, shared, upstream: !shared });
      return result;
    }
    const message =
      outcome.status === 'cancelled' ? `${name}: cancelled by the caller` : `${name}: ${errorText(outcome.error)}`;
    report(
      { result: textResult(message, true), ok: false, error: message },
      { cached: false, shared, upstream: !shared },
    );
    return textResult(message, true);
  }

  /** Upstream resources (URIs unchanged) and prompts (named like tools), for servers that have them. */
  get forwarded(): UpstreamForwarding {
    return this.forwarding;
  }

  /** Marks everything the server has cached so far as stale. */
  async invalidateServer(server: string): Promise<void> {
    await this.invalidations.invalidate(server, this.now()).catch((error: unknown) => {
      this.logger.warn(`Gateway: could not persist the invalidation of ${server}`, error);
    });
  }

  /** Applies a changed configuration; clients are told their tool list changed. */
  updateConfig(config: GatewayConfig): void {
    this.config = config;
    this.emitListChanged();
  }

  /** Tells clients the tool list changed (the profile or the servers changed). */
  refresh(): void {
    this.identities.clear();
    this.knownIdentities.clear();
    this.emitListChanged();
  }

  onListChanged(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Resolves when every cache write and call record started so far is done. */
  flush(): Promise<void> {
    return this.afterAnswer.flush();
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.flights.abortAll('the gateway is shutting down');
    this.listeners.clear();
  }

  private async callLocal(
    local: LocalTool,
    name: string,
    args: Record<string, unknown>,
    options: GatewayCallOptions,
    started: number,
  ): Promise<ToolCallResult> {
    let result: ToolCallResult;
    try {
      result = await local.call(args, options);
    } catch (error) {
      result = textResult(`${name}: ${errorText(error)}`, true);
    }
    this.notifyLater({
      client: options.client ?? 'unknown',
      server: LOCAL_SERVER,
      tool: name,
      latencyMs: performance.now() - started,
      ok: result.isError !== true,
      cacheable: false,
      cached: false,
      shared: false,
      upstream: false,
      costUsd: 0,
      ...(result.isError ? { error: resultText(result).slice(0, 500) } : {}),
    });
    return result;
  }

  private async freshHit(server: string, address: CacheAddress): Promise<CacheHit | undefined> {
    // A miss claims the shared lease: this call (or the flight it joins) goes upstream.
    const hit = await this.options.cache.get(address.key, 'use', { claim: true });
    if (!hit || (hit.value.content === '' && hit.value.metadata?.['result'] === undefined)) return undefined;
    const storedFor = entryIdentity(hit.value);
    const identity = address.kind === 'tool' ? undefined : await this.identity(server);
    if (identity !== undefined && storedFor !== undefined && storedFor !== identity) return undefined;
    if (!this.invalidations.isFresh(server, hit.value.storedAt)) return undefined;
    return hit;
  }

  private async fetchAndStore(
    server: UpstreamServer,
    route: UpstreamRoute,
    address: CacheAddress,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallOutcome> {
    // Stored with the time the call started: a write that lands while it runs makes it stale.
    const startedAt = this.now();
    try {
      const outcome = await callUpstream(this.options.source, server, route.tool.name, args, signal);
      if (outcome.ok && cacheableResult(server, outcome.result)) {
        const identity = await this.identity(server.name);
        const answer = toCachedAnswer(outcome.result, {
          server: server.name,
          tool: route.tool.name,
          identity,
          contextType: address.contextType,
          storedAt: startedAt,
          source: address.kind === 'shared' ? 'docs' : `gateway:${server.name}`,
        });
        // The memory level has it before this returns (so the next identical call hits); the disk
        // and shared writes finish after the answer, their failures logged.
        this.afterAnswer.track(this.options.cache.set(address.key, answer, route.policy.ttlSeconds), 'a cache write');
      }
      return outcome;
    } finally {
      // The shared lease a miss claimed: storing the answer has given it back already; without
      // one, it goes back now so other instances stop waiting.
      this.options.cache.release(address.key);
    }
  }

  private identity(server: string): Promise<string> {
    let identity = this.identities.get(server);
    if (!identity) {
      const asked = this.options.source.identity(server).catch(() => `${server}@unknown`);
      void asked.then((known) => {
        if (this.identities.get(server) === asked) this.knownIdentities.set(server, known);
      });
      identity = asked;
      this.identities.set(server, identity);
    }
    return identity;
  }

  private forgetIdentity(server: string): void {
    this.identities.delete(server);
    this.knownIdentities.delete(server);
  }

  /** A call made by someone else (an adapter) to a tool that writes also makes the cache stale. */
  private noteCallElsewhere(server: string, tool: string): void {
    const definition = this.lists.lastKnown(server)?.find((candidate) => candidate.name === tool);
    const upstream = this.options.source.servers().find((candidate) => candidate.name === server);
    if (!definition || !upstream) return;
    if (toolPolicy(this.config, upstream, definition).invalidates) void this.invalidateServer(server);
  }

  /** The observer hears of a call once its answer is on its way: recording never delays the answer. */
  private notifyLater(event: Parameters<NonNullable<GatewayObserver['onCall']>>[0]): void {
    if (this.options.observer?.onCall) this.afterAnswer.defer(() => this.notify(event), 'recording the call');
  }

  private notify(event: Parameters<NonNullable<GatewayObserver['onCall']>>[0]): void {
    try {
      this.options.observer?.onCall?.(event);
    } catch (error) {
      this.logger.warn('A gateway observer threw', error);
    }
  }

  private emitListChanged(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.logger.warn('A gateway list-changed listener threw', error);
      }
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
