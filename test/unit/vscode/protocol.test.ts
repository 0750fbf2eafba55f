import { strict as assert } from 'node:assert';
import {
  isAnswerFromWebview,
  isAnswerToWebview,
  isDashboardFromWebview,
  isDashboardToWebview,
  isSafeExternalUrl,
  MAX_URL_LENGTH,
  type AnswerView,
} from '../../../media/src/lib/protocol';
import { answerViewFrom } from '../../../src/vscode/webview/answer-view';
import { sampleDashboardData } from './sample-data';

const answer: AnswerView = {
  query: 'numpy reshape',
  kind: 'lookup',
  success: true,
  content: '# reshape',
  source: 'docs',
  latencyMs: 12,
  cached: false,
  contextType: 'library_api',
  trail: [{ layer: 'memory', outcome: 'miss', latencyMs: 3 }],
};

describe('webview message guards', () => {
  it('accepts well-formed answer messages', () => {
    assert.ok(isAnswerToWebview({ type: 'answer', answer }));
    assert.ok(isAnswerToWebview({ type: 'loading', query: 'q' }));
    const fix = { ...answer, kind: 'fix', remembered: 'remembered by alice, 2026-12-02 14:05 UTC' };
    assert.ok(isAnswerToWebview({ type: 'answer', answer: fix }));
  });

  it('rejects answers with missing or mistyped fields', () => {
    assert.equal(isAnswerToWebview({ type: 'answer', answer: { ...answer, latencyMs: 'fast' } }), false);
    assert.equal(isAnswerToWebview({ type: 'answer', answer: { ...answer, trail: [{ layer: 1 }] } }), false);
    assert.equal(isAnswerToWebview({ type: 'answer', answer: { ...answer, kind: 'other' } }), false);
    assert.equal(isAnswerToWebview({ type: 'answer', answer: { ...answer, remembered: 1_733_000_000 } }), false);
    assert.equal(isAnswerToWebview({ type: 'unknown' }), false);
    assert.equal(isAnswerToWebview(null), false);
    assert.equal(isAnswerToWebview('answer'), false);
  });

  it('checks messages coming from the answer webview', () => {
    assert.ok(isAnswerFromWebview({ type: 'ready' }));
    assert.ok(isAnswerFromWebview({ type: 'openLink', url: 'https://x.dev' }));
    assert.equal(isAnswerFromWebview({ type: 'openLink', url: 42 }), false);
    assert.equal(isAnswerFromWebview({ type: 'openLink', url: `https://x.dev/${'a'.repeat(MAX_URL_LENGTH)}` }), false);
    assert.equal(isAnswerFromWebview({ type: 'runCommand', command: 'x' }), false);
  });

  it('checks dashboard data and requests', () => {
    assert.ok(isDashboardToWebview({ type: 'data', data: sampleDashboardData() }));
    const broken = {
      ...sampleDashboardData(),
      summary: { ...sampleDashboardData().summary, cacheHitRate: Number.NaN },
    };
    assert.equal(isDashboardToWebview({ type: 'data', data: broken }), false);
    assert.equal(isDashboardToWebview({ type: 'data', data: { ...sampleDashboardData(), servers: {} } }), false);
    const sharedCache = {
      state: 'down',
      endpoint: 'redis://10.0.0.5:6379',
      hitRate: 0.4,
      lookups: 10,
      errors: 1,
      skipped: 3,
      latencyMs: { p50: 0.4, p95: 1.2 },
      lastError: 'connect ECONNREFUSED',
    };
    assert.ok(isDashboardToWebview({ type: 'data', data: { ...sampleDashboardData(), sharedCache } }));
    assert.equal(
      isDashboardToWebview({
        type: 'data',
        data: { ...sampleDashboardData(), sharedCache: { ...sharedCache, hitRate: 'high' } },
      }),
      false,
      'a malformed shared cache row is refused',
    );
    assert.ok(isDashboardFromWebview({ type: 'export', format: 'prometheus' }));
    assert.ok(isDashboardFromWebview({ type: 'refresh' }));
    assert.equal(isDashboardFromWebview({ type: 'export', format: 'csv' }), false);
  });
});

describe('isSafeExternalUrl', () => {
  it('allows absolute http, https and mailto URLs', () => {
    assert.ok(isSafeExternalUrl('https://numpy.org/doc/'));
    assert.ok(isSafeExternalUrl('http://localhost:8080/x'));
    assert.ok(isSafeExternalUrl('mailto:dev@example.com'));
  });

  it('refuses command, file, vscode, javascript, relative and credential-carrying URLs', () => {
    for (const url of [
      'command:workbench.action.openSettings',
      'file:///etc/passwd',
      'vscode://settings',
      'javascript:alert(1)',
      '/relative',
      'https://user:pw@example.com',
      'not a url',
    ]) {
      assert.equal(isSafeExternalUrl(url), false, url);
    }
  });
});

describe('answer views of fixes', () => {
  it('carry who remembered a fix and when, worded for the panel', () => {
    const fix = {
      success: true,
      content: 'enable resolveJsonModule',
      source: 'local-cache',
      latencyMs: 2,
      cached: true,
      contextType: 'error_solution',
      trail: [],
      rememberedBy: 'alice',
      rememberedAt: Date.UTC(2026, 11, 2, 14, 5),
    };
    const view = answerViewFrom(fix, "Cannot find module './a.json'", 'fix', 'error:ts:2307:cannot find module <name>');
    assert.equal(view.remembered, 'remembered by alice, 2026-12-02 14:05 UTC');
    assert.ok(isAnswerToWebview({ type: 'answer', answer: view }));
    assert.equal(answerViewFrom({ ...fix, rememberedAt: undefined }, 'q', 'fix').remembered, undefined);
  });
});
