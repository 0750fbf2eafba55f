import { strict as assert } from 'node:assert';
import { escapeMarkdown, formatStatus, worstSeverity } from '../../../src/vscode/status-format';
import { formatLatency, formatPercent } from '../../../media/src/lib/format';
import { sampleDashboardData } from './sample-data';

describe('status bar formatting', () => {
  it('shows the cache hit rate as a whole percentage', () => {
    const view = formatStatus({ data: sampleDashboardData(), preloading: false, enabled: true, restricted: false });
    assert.equal(view.text, '$(database) 90%');
    assert.equal(view.severity, 'none');
  });

  it('spins while preloading and says so in the tooltip', () => {
    const view = formatStatus({ data: sampleDashboardData(), preloading: true, enabled: true, restricted: false });
    assert.equal(view.text, '$(sync~spin) 90%');
    assert.match(view.tooltip, /Preloading/);
  });

  it('colours by the worst open alert', () => {
    assert.equal(worstSeverity([]), 'none');
    assert.equal(worstSeverity(['info']), 'none');
    assert.equal(worstSeverity(['info', 'warning']), 'warning');
    assert.equal(worstSeverity(['warning', 'critical']), 'error');
    const data = sampleDashboardData();
    data.alerts.push({
      id: 'a',
      severity: 'error',
      rule: 'error_rate',
      message: 'too many errors',
      firstSeenAt: 0,
      lastSeenAt: 0,
    });
    assert.equal(formatStatus({ data, preloading: false, enabled: true, restricted: false }).severity, 'error');
  });

  it('lists each server with its state, p95 and error rate, escaping names', () => {
    const data = sampleDashboardData();
    data.serverStatuses.push({
      name: 'context7_[x]',
      kind: 'context7',
      state: 'ready',
      circuit: 'open',
      toolNames: [],
      restarts: 0,
    });
    data.servers.push({
      server: 'context7_[x]',
      calls: 4,
      errors: 1,
      errorRate: 0.25,
      p50LatencyMs: 100,
      p95LatencyMs: 450,
      costUsd: 0,
    });
    const tooltip = formatStatus({ data, preloading: false, enabled: true, restricted: true }).tooltip;
    assert.match(tooltip, /\| context7\\_\\\[x\\\] \| ready \(circuit open\) \| 450 ms \| 25% \|/);
    assert.match(tooltip, /Restricted Mode/);
  });

  it('reports disabled and starting states', () => {
    assert.equal(
      formatStatus({ data: undefined, preloading: false, enabled: false, restricted: false }).text,
      '$(database) off',
    );
    assert.equal(
      formatStatus({ data: undefined, preloading: false, enabled: true, restricted: false }).text,
      '$(database) –',
    );
  });

  it('formats numbers for people', () => {
    assert.equal(formatPercent(0.934), '93%');
    assert.equal(formatPercent(0.5, 0), '–');
    assert.equal(formatLatency(12.4), '12 ms');
    assert.equal(formatLatency(2345), '2.3 s');
    assert.equal(formatLatency(0), '–');
    assert.equal(escapeMarkdown('a*b\nc'), 'a\\*b c');
  });
});
