import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Monitor, type MetricsSnapshot } from '../../../src/core/monitor/monitor';
import { manualClock } from './clock';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the Prometheus text format 0.0.4: every sample belongs to a declared family. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        assert.ok(['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3] ?? ''), line);
        types.set(meta[2] ?? '', meta[3] ?? '');
      } else helps.add(meta[2] ?? '');
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    assert.ok(sample, `not a valid sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] ?? ''] = pair[2] ?? '';
    const name = sample[1] ?? '';
    const family = [...types.keys()].find(
      (f) => name === f || ['_bucket', '_sum', '_count'].some((s) => name === f + s),
    );
    assert.ok(family, `sample ${name} has no # TYPE`);
    assert.ok(helps.has(family), `family ${family} has no # HELP`);
    samples.push({ name, labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

describe('Monitor export', () => {
  let monitor: Monitor;
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'monitor-export-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => monitor.stop());
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const populate = (): void => {
    monitor.recordCall({ server: 'context7', contextType: 'library_api', latencyMs: 250, ok: true });
    monitor.recordCall({ server: 'context7', contextType: 'library_api', latencyMs: 900, ok: false, error: 'timeout' });
    monitor.recordCall({ server: 'memory-bank', contextType: 'error_solution', latencyMs: 12, ok: true });
    monitor.recordCacheLookup(true);
    monitor.recordCacheLookup(false);
    monitor.recordMetric('command.fix.duration', 120, { outcome: 'success' }, 'ms');
    monitor.setServerStatuses([
      { name: 'context7', kind: 'context7', state: 'ready', circuit: 'closed', toolNames: [], restarts: 0 },
    ]);
  };

  it('produces valid Prometheus exposition with mcp_integration_* counters, histograms and gauges', async () => {
    monitor = new Monitor({ now: manualClock().now, costPerCallUsd: { context7: 0.001 } });
    populate();
    const { types, samples } = parseExposition(await monitor.prometheusText());
    assert.equal(types.get('mcp_integration_calls_total'), 'counter');
    assert.equal(types.get('mcp_integration_call_duration_seconds'), 'histogram');
    assert.equal(types.get('mcp_integration_cost_usd_total'), 'counter');
    assert.equal(types.get('mcp_integration_cache_hit_ratio'), 'gauge');
    assert.equal(types.get('mcp_integration_server_up'), 'gauge');
    assert.equal(types.get('mcp_integration_command_fix_duration_ms'), 'summary');
    assert.ok([...types.keys()].every((name) => name.startsWith('mcp_integration_')));
    const find = (name: string, labels: Record<string, string>): Sample | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    assert.equal(
      find('mcp_integration_calls_total', { server: 'context7', context_type: 'library_api', outcome: 'error' })?.value,
      1,
    );
    assert.equal(
      find('mcp_integration_calls_total', { server: 'context7', context_type: 'library_api', outcome: 'ok' })?.value,
      1,
    );
    assert.equal(find('mcp_integration_call_duration_seconds_count', { server: 'context7' })?.value, 2);
    assert.equal(find('mcp_integration_call_duration_seconds_bucket', { server: 'context7', le: '0.25' })?.value, 1);
    assert.equal(find('mcp_integration_cache_hit_ratio', {})?.value, 0.5);
    assert.equal(find('mcp_integration_server_up', { server: 'context7' })?.value, 1);
    assert.equal(find('mcp_integration_command_fix_duration_ms_count', { outcome: 'success' })?.value, 1);
    assert.ok(Math.abs((find('mcp_integration_cost_usd_total', { server: 'context7' })?.value ?? 0) - 0.002) < 1e-9);
  });

  it('keeps two monitors apart (own registry, not the global one)', async () => {
    monitor = new Monitor({ now: manualClock().now });
    const other = new Monitor({ now: manualClock().now });
    other.recordCall({ server: 'only-in-other', contextType: 'general', latencyMs: 1, ok: true });
    assert.doesNotMatch(await monitor.prometheusText(), /only-in-other/);
    other.stop();
  });

  it('exports JSON that round-trips to toJSON()', async () => {
    monitor = new Monitor({ now: manualClock().now });
    populate();
    const file = path.join(tempDir(), 'nested', 'metrics.json');
    await monitor.exportMetrics(file, 'json');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as MetricsSnapshot;
    assert.deepEqual(parsed, monitor.toJSON());
    assert.equal(parsed.dashboard.summary.totalCalls, 3);
    assert.equal(parsed.breakdown.length, 2);
  });

  it('writes atomically: replaces the whole file, leaves no temp files, and keeps the old file on failure', async () => {
    monitor = new Monitor({ now: manualClock().now });
    const dir = tempDir();
    const file = path.join(dir, 'metrics.prom');
    writeFileSync(file, 'old');
    populate();
    await monitor.exportMetrics(file, 'prometheus');
    const written = readFileSync(file, 'utf8');
    assert.equal(written, await monitor.prometheusText());
    assert.deepEqual(readdirSync(dir), ['metrics.prom']);
    await assert.rejects(monitor.exportMetrics(file, 'xml' as never), /Unknown metrics format/);
    assert.equal(readFileSync(file, 'utf8'), written);
  });
});
