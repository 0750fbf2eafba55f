import { strict as assert } from 'node:assert';
import type { DocumentDetection, RuntimeDashboardData } from '../../../src/core/api';
import type { FetchResult } from '../../../src/core/knowledge';
import {
  formatDetection,
  formatLookup,
  formatPreloadSummary,
  formatServers,
  formatStats,
} from '../../../src/cli/format';

const answered: FetchResult = {
  success: true,
  content: 'Use np.zeros',
  source: 'docs',
  latencyMs: 123.4,
  cached: false,
  contextType: 'library_api',
  trail: [
    { layer: 'local-cache', outcome: 'miss', latencyMs: 0.5 },
    { layer: 'docs', server: 'context7', outcome: 'hit', latencyMs: 120, detail: 'query-docs' },
  ],
};

describe('CLI formatting', () => {
  it('formatLookup shows source, latency, cache state, the trail and the answer', () => {
    const text = formatLookup(answered);
    assert.match(text, /^source: docs {2}latency: 123 ms {2}cached: no {2}type: library_api/);
    assert.match(text, /local-cache +miss +0\.50 ms/);
    assert.match(text, /docs +hit +120 ms {2}query-docs/);
    assert.ok(text.endsWith('Use np.zeros'));
  });

  it('formatLookup of a failure shows the error and no answer', () => {
    const text = formatLookup({
      ...answered,
      success: false,
      content: null,
      source: null,
      trail: [],
      error: 'every layer timed out',
    });
    assert.equal(text, 'no answer (every layer timed out)');
  });

  it('formatServers lists state, tools and the last error', () => {
    assert.equal(formatServers([]), 'no servers configured');
    const text = formatServers([
      { name: 'context7', kind: 'context7', state: 'ready', circuit: 'closed', toolNames: ['query-docs'], restarts: 1 },
      {
        name: 'memory-bank',
        kind: 'memory-bank',
        state: 'failed',
        circuit: 'open',
        toolNames: [],
        restarts: 3,
        lastError: 'ENOENT',
      },
    ]);
    assert.match(
      text,
      /context7 \(context7\) {2}state: ready {2}circuit: closed {2}restarts: 1\n {4}tools: query-docs/,
    );
    assert.match(text, /tools: \(not listed yet\)\n {4}last error: ENOENT/);
  });

  it('formatStats shows totals, cache, latency, servers and alerts', () => {
    const data = {
      generatedAt: 0,
      summary: {
        totalCalls: 10,
        totalErrors: 1,
        errorRate: 0.1,
        cacheHits: 3,
        cacheLookups: 4,
        cacheHitRate: 0.75,
        p50LatencyMs: 2,
        p95LatencyMs: 40,
        p99LatencyMs: 90,
        totalCostUsd: 0.0123,
        uptimeSeconds: 5,
      },
      servers: [
        {
          server: 'context7',
          calls: 10,
          errors: 1,
          errorRate: 0.1,
          p50LatencyMs: 2,
          p95LatencyMs: 40,
          costUsd: 0.0123,
        },
      ],
      alerts: [{ severity: 'warning', message: 'error rate 10%' }],
      timeSeries: [],
      serverStatuses: [],
      libraries: [],
      hierarchy: { mode: 'sequential', hitRate: 0.75, entries: 7 },
    } as unknown as RuntimeDashboardData; // only the fields formatStats reads are filled in
    const text = formatStats(data);
    assert.match(text, /calls: 10 {2}errors: 1 \(10\.0%\) {2}cost: \$0\.0123/);
    assert.match(text, /cache: 3\/4 hits \(75\.0%\) {2}entries: 7 {2}mode: sequential/);
    assert.match(text, /latency: p50 2\.00 ms {2}p95 40 ms {2}p99 90 ms/);
    assert.match(text, /context7 +calls 10 {2}errors 1/);
    assert.match(text, /\[warning\] error rate 10%/);
  });

  it('formatDetection lists libraries with ids and the standard library apart', () => {
    assert.equal(formatDetection('a.xyz', null), 'a.xyz: language not supported');
    const detection: DocumentDetection = {
      uri: '/w/a.py',
      language: 'python',
      modules: [
        { name: 'os', stdlib: true, line: 0 },
        { name: 'numpy', stdlib: false, line: 1 },
        { name: 'mylib', stdlib: false, line: 2 },
      ],
      bindings: [],
      members: [],
      libraries: [
        { module: 'numpy', packageName: 'numpy', libraryId: '/numpy/numpy' },
        { module: 'mylib', packageName: 'mylib', libraryId: null },
      ],
      partial: true,
    };
    assert.equal(
      formatDetection('a.py', detection),
      'a.py (python) [partial: syntax errors]\n  libraries: numpy → /numpy/numpy, mylib\n  standard library: os',
    );
  });

  it('formatDetection names the most used members, with counts, and how many more there are', () => {
    const members = Array.from({ length: 14 }, (_, i) => ({
      name: `numpy.f${i}`,
      module: 'numpy',
      path: `f${i}`,
      count: i === 0 ? 3 : 1,
      line: i,
      character: 0,
    }));
    const text = formatDetection('b.py', {
      uri: '/w/b.py',
      language: 'python',
      modules: [{ name: 'numpy', stdlib: false, line: 0 }],
      bindings: [],
      members,
      libraries: [{ module: 'numpy', packageName: 'numpy', libraryId: '/numpy/numpy' }],
      partial: false,
    });
    assert.match(text, /\n {2}members used: numpy\.f0 ×3, numpy\.f1, .*numpy\.f11 and 2 more$/);
  });

  it('formatPreloadSummary reads as one line', () => {
    assert.equal(
      formatPreloadSummary({ libraries: 3, loaded: 2, alreadyCached: 1, failed: 0, durationMs: 1500 }),
      'preloaded 2 of 3 libraries (1 already cached, 0 failed) in 1500 ms',
    );
  });
});
