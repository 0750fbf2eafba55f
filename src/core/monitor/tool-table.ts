/**
 * Per-tool figures for calls through the gateway: calls, cache hit rate, latency percentiles,
 * errors and cost per (server, tool), and the clients that called. Bounded: at most
 * `MAX_TOOL_ROWS` rows are kept (a misbehaving client cannot grow it without limit).
 */
import { addCall, newCallStats, ratio, type CallStats } from './history';
import type { ToolMetrics } from './types';

/** One call through the gateway, as the monitor records it. */
export interface ToolCallRecord {
  client: string;
  server: string;
  tool: string;
  latencyMs: number;
  ok: boolean;
  /** Whether the tool's results may be cached (only these count in its hit rate). */
  cacheable: boolean;
  /** Answered without an upstream call of its own (a cache hit, or a shared identical call). */
  hit: boolean;
  costUsd: number;
}

const MAX_TOOL_ROWS = 1000;
const MAX_CLIENTS_PER_ROW = 20;

interface ToolRow {
  server: string;
  tool: string;
  stats: CallStats;
  cacheLookups: number;
  cacheHits: number;
  clients: Set<string>;
}

export class ToolTable {
  private readonly rows = new Map<string, ToolRow>();

  record(call: ToolCallRecord): void {
    const key = `${call.server}\u0000${call.tool}`;
    let row = this.rows.get(key);
    if (!row) {
      if (this.rows.size >= MAX_TOOL_ROWS) return;
      row = {
        server: call.server,
        tool: call.tool,
        stats: newCallStats(),
        cacheLookups: 0,
        cacheHits: 0,
        clients: new Set(),
      };
      this.rows.set(key, row);
    }
    addCall(row.stats, call.latencyMs, call.ok, call.costUsd);
    if (call.cacheable) {
      row.cacheLookups += 1;
      if (call.hit) row.cacheHits += 1;
    }
    if (row.clients.size < MAX_CLIENTS_PER_ROW) row.clients.add(call.client);
  }

  snapshot(): ToolMetrics[] {
    return [...this.rows.values()]
      .map((row) => ({
        server: row.server,
        tool: row.tool,
        calls: row.stats.calls,
        cacheHits: row.cacheHits,
        hitRate: ratio(row.cacheHits, row.cacheLookups),
        errors: row.stats.errors,
        p50LatencyMs: row.stats.latency.quantile(0.5),
        p95LatencyMs: row.stats.latency.quantile(0.95),
        costUsd: row.stats.costUsd,
        clients: [...row.clients].sort(),
      }))
      .sort((a, b) => b.calls - a.calls || a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool));
  }
}
