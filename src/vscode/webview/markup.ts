/**
 * The static skeletons of the two webviews. Element ids are what the scripts fill in; `data-testid`s
 * are what end-to-end tests read. Nothing dynamic goes here: data arrives by message.
 */

export const ANSWER_BODY = `    <header>
      <h1 id="answer-title" data-testid="answer-title">MCP answer</h1>
      <p id="answer-query" data-testid="answer-query"></p>
      <p id="answer-remembered" data-testid="answer-remembered" hidden></p>
      <dl class="meta">
        <dt>Source</dt><dd id="answer-source" data-testid="answer-source">–</dd>
        <dt>Latency</dt><dd id="answer-latency" data-testid="answer-latency">–</dd>
        <dt>Cached</dt><dd id="answer-cached" data-testid="answer-cached">–</dd>
        <dt>Type</dt><dd id="answer-type" data-testid="answer-type">–</dd>
      </dl>
      <button id="apply-fix" data-testid="apply-fix" hidden>Apply fix…</button>
    </header>
    <main>
      <p id="answer-error" class="error" data-testid="answer-error" hidden></p>
      <article id="answer-content" data-testid="answer-content"></article>
      <h2>Trail</h2>
      <table id="answer-trail" data-testid="answer-trail">
        <thead><tr><th>Layer</th><th>Outcome</th><th>Latency</th><th>Detail</th></tr></thead>
        <tbody></tbody>
      </table>
    </main>`;

export const DASHBOARD_BODY = `    <header class="toolbar">
      <h1>MCP Integration</h1>
      <span id="updated-at" data-testid="updated-at"></span>
      <span class="spacer"></span>
      <button id="refresh" data-testid="refresh">Refresh</button>
      <button id="export-json" data-testid="export-json">Export JSON…</button>
      <button id="export-prometheus" data-testid="export-prometheus">Export Prometheus…</button>
    </header>
    <section class="cards">
      <div class="card"><span class="label">Calls</span><span class="value" id="total-calls" data-testid="total-calls">–</span></div>
      <div class="card"><span class="label">Cache hit rate</span><span class="value" id="hit-rate" data-testid="hit-rate">–</span></div>
      <div class="card"><span class="label">Error rate</span><span class="value" id="error-rate" data-testid="error-rate">–</span></div>
      <div class="card"><span class="label">p50 latency</span><span class="value" id="p50-latency" data-testid="p50-latency">–</span></div>
      <div class="card"><span class="label">p95 latency</span><span class="value" id="p95-latency" data-testid="p95-latency">–</span></div>
      <div class="card"><span class="label">Cost</span><span class="value" id="total-cost" data-testid="total-cost">–</span></div>
    </section>
    <section id="charts" class="charts">
      <div id="latency-chart" data-testid="latency-chart"></div>
      <div id="hitrate-chart" data-testid="hitrate-chart"></div>
    </section>
    <h2>Servers</h2>
    <table id="servers" data-testid="servers">
      <thead><tr><th>Server</th><th>State</th><th>Circuit</th><th>Calls</th><th>Errors</th><th>p95</th><th>Cost</th><th>Last error</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Agent tools (through the gateway)</h2>
    <table id="tools" data-testid="tools">
      <thead><tr><th>Server</th><th>Tool</th><th>Calls</th><th>Hit rate</th><th>p50</th><th>p95</th><th>Errors</th><th>Cost</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Alerts</h2>
    <table id="alerts" data-testid="alerts">
      <thead><tr><th>Severity</th><th>Rule</th><th>Server</th><th>Message</th><th>Last seen</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Detected libraries</h2>
    <table id="libraries" data-testid="libraries">
      <thead><tr><th>Module</th><th>Library id</th><th>Preload</th><th>Documents</th><th>Error</th></tr></thead>
      <tbody></tbody>
    </table>`;
