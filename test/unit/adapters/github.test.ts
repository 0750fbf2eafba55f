import { strict as assert } from 'node:assert';
import { GithubAdapter } from '../../../src/core/adapters/github';
import { FakeToolCaller, json } from './fake-caller';

describe('GithubAdapter', () => {
  const issues = {
    total_count: 2,
    items: [
      {
        number: 1,
        title: 'Crash on start',
        state: 'open',
        html_url: 'https://github.com/o/r/issues/1',
        body: 'Same here',
      },
      {
        number: 2,
        title: 'Crash on start (fixed)',
        state: 'closed',
        html_url: 'https://github.com/o/r/issues/2',
        body: 'Fixed by upgrading to 2.0',
      },
    ],
  };

  it('searches issues for error signatures, closed (solved) ones first', async () => {
    const caller = new FakeToolCaller('github', { search_issues: () => json(issues) });
    const answer = await new GithubAdapter({ caller }).fetch({
      text: 'TypeError: "x" is (undefined)',
      contextType: 'error_solution',
      hints: { repo: 'o/r' },
    });
    // github/github-mcp-server's argument names: `query` and `perPage` (not the REST API's q, per_page).
    assert.deepEqual(caller.calls[0]?.args, { query: 'TypeError x is undefined repo:o/r', perPage: 5 });
    assert.match(
      answer?.content ?? '',
      /^\*\*#2 Crash on start \(fixed\)\*\* \[closed\]\nhttps:\/\/github\.com\/o\/r\/issues\/2\nFixed by upgrading/,
    );
  });

  it('writes ? for an issue number or code path that is not a number or text', async () => {
    const odd = { total_count: 1, items: [{ number: { id: 7 }, title: 'Odd', state: 'open' }] };
    const caller = new FakeToolCaller('github', {
      search_issues: () => json(odd),
      search_code: () => json({ total_count: 1, items: [{ path: ['a'], repository: { full_name: 'o/r' } }] }),
    });
    const adapter = new GithubAdapter({ caller });
    const issue = await adapter.fetch({ text: 'Error: odd', contextType: 'error_solution' });
    assert.match(issue?.content ?? '', /^\*\*#\? Odd\*\* \[open\]/);
    const hit = await adapter.fetch({ text: 'oddSymbol', contextType: 'code_symbol' });
    assert.equal(hit?.content, '- o/r: ?');
  });

  it('falls back to code search when no issue matches, and searches code first for symbols', async () => {
    const code = {
      total_count: 1,
      items: [
        { path: 'src/a.ts', html_url: 'https://github.com/o/r/blob/main/src/a.ts', repository: { full_name: 'o/r' } },
      ],
    };
    const caller = new FakeToolCaller('github', {
      search_issues: () => json({ total_count: 0, items: [] }),
      search_code: () => json(code),
    });
    const adapter = new GithubAdapter({ caller });
    assert.match(
      (await adapter.fetch({ text: 'parseConfig', contextType: 'general' }))?.content ?? '',
      /- o\/r: src\/a\.ts — https/,
    );
    assert.deepEqual(caller.toolsCalled(), ['search_issues', 'search_code']);
    await adapter.fetch({ text: 'parseConfig', contextType: 'code_symbol' });
    assert.equal(caller.toolsCalled().at(-1), 'search_code');
    assert.equal(caller.calls.length, 3);
  });

  it("reads GitHub's server code hits (repository as owner/name text, no link) and builds the link", async () => {
    const code = {
      total_count: 2,
      incomplete_results: false,
      items: [
        { name: 'a b.ts', path: 'src/a b.ts', sha: 'abc', repository: 'o/r' },
        { name: 'c.ts', path: 'c.ts', sha: 'def', repository: '' },
      ],
    };
    const caller = new FakeToolCaller('github', { search_code: () => json(code) });
    const answer = await new GithubAdapter({ caller, maxResults: 3 }).fetch({
      text: 'parseConfig',
      contextType: 'code_symbol',
    });
    assert.deepEqual(caller.calls[0]?.args, { query: 'parseConfig', perPage: 3 });
    assert.deepEqual(answer, {
      content: '- o/r: src/a b.ts — https://github.com/o/r/blob/HEAD/src/a%20b.ts\n- c.ts',
      metadata: { tool: 'search_code', total: 2 },
    });
  });

  it("keeps queries within GitHub's 256-character limit and ignores bad repo hints", async () => {
    const caller = new FakeToolCaller('github', {
      search_issues: () => json({ items: [] }),
      search_code: () => json({ items: [] }),
    });
    assert.equal(
      await new GithubAdapter({ caller }).fetch({
        text: 'word '.repeat(200),
        contextType: 'error_solution',
        hints: { repo: 'x y' },
      }),
      null,
    );
    const q = String(caller.calls[0]?.args['query']);
    assert.ok(q.length <= 256);
    assert.ok(!q.includes('repo:'));
  });

  it('is read-only', async () => {
    const adapter = new GithubAdapter({ caller: new FakeToolCaller('github', {}) });
    assert.equal(adapter.writable, false);
    await assert.rejects(adapter.store(), /read-only/);
  });
});
