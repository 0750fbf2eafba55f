import { strict as assert } from 'node:assert';
import type { FetchResult } from '../../../src/core/knowledge';
import {
  answerFacts,
  answerText,
  followUpOutcome,
  latestFixTurn,
  MAX_CHAT_ANSWER_CHARS,
} from '../../../src/vscode/chat/chat-format';

const result = (overrides: Partial<FetchResult> = {}): FetchResult => ({
  success: true,
  content: 'the docs',
  source: 'docs',
  latencyMs: 412.4,
  cached: false,
  contextType: 'library_api',
  trail: [],
  ...overrides,
});

describe('chat wording', () => {
  it('states source layer, latency and cached flag', () => {
    assert.equal(answerFacts(result()), 'source: docs · 412 ms · not cached');
    assert.equal(
      answerFacts(result({ source: 'local-cache', latencyMs: 0.42, cached: true })),
      'source: local-cache · 0.4 ms · cached',
    );
  });

  it("names who remembered a teammate's fix and when", () => {
    const fix = {
      ...result({ source: 'local-cache', cached: true }),
      rememberedBy: 'alice',
      rememberedAt: Date.UTC(2026, 11, 2, 9, 30),
    };
    assert.equal(answerFacts(fix), 'source: local-cache · 412 ms · cached · remembered by alice, 2026-12-02 09:30 UTC');
    assert.match(answerText(fix), /remembered by alice, 2026-12-02 09:30 UTC\)$/);
  });

  it('bounds long answers and reports failures as such', () => {
    const long = answerText(result({ content: 'x'.repeat(MAX_CHAT_ANSWER_CHARS * 2) }));
    assert.ok(long.length < MAX_CHAT_ANSWER_CHARS + 100);
    assert.match(
      answerText(result({ success: false, content: null, error: 'nobody knew' })),
      /^No answer: nobody knew/,
    );
  });

  it('reads a follow-up as worked, failed, or a new question', () => {
    for (const worked of ['it worked', 'Yes', 'works!', 'fixed, thanks'])
      assert.equal(followUpOutcome(worked), 'worked', worked);
    for (const failed of ['it did not work', "didn't work", 'no', 'still broken', 'It does not work'])
      assert.equal(followUpOutcome(failed), 'failed', failed);
    for (const other of ['why does numpy broadcast', 'TypeError: x is undefined', 'nothing else'])
      assert.equal(followUpOutcome(other), undefined, other);
  });

  it('finds the latest /fix turn of this participant in the history', () => {
    const diagnostic = { message: 'E1' };
    const turns = [
      { participant: 'mcpIntegration.mcp', metadata: { command: 'fix', diagnostic } },
      { participant: 'other', metadata: { command: 'fix', diagnostic: { message: 'E2' } } },
      { participant: 'mcpIntegration.mcp', metadata: { command: 'docs' } },
    ];
    assert.deepEqual(latestFixTurn(turns, 'mcpIntegration.mcp')?.diagnostic, diagnostic);
    assert.equal(latestFixTurn(turns.slice(1), 'mcpIntegration.mcp'), undefined);
  });
});
