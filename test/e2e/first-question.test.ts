/**
 * Member docs in a fresh window, as a person meets them: open `src/train.py` and, as soon as its
 * editor shows, ask the palette "how do I reshape a numpy array". The servers start cold, so the
 * preload of `reshape` is still under way; the lookup waits for it (bounded by the docs layer's
 * timeout) and the answer comes from the preloaded `reshape` docs — then
 * hover `read_csv`: pandas' `read_csv` docs, marked cached. One short session of its own, so
 * nothing earlier has warmed the servers or the cache.
 */
import assert from 'node:assert/strict';
import { lookUp } from './harness/panels';
import { useSession } from './harness/session';
import { dismiss, hoverWord, openFile } from './harness/workbench';

describe('first question and member hover right after opening a file (code-server)', function () {
  const session = useSession({ name: 'first-question' });

  it('answers the first palette question from the preloaded member docs, and hovers read_csv from the cache', async function () {
    const { page, api } = session();
    const memberRequests = (query: string): number =>
      api.requests.filter((r) => r.path === '/api/v2/context' && r.query['query'] === query).length;
    assert.equal(api.requests.length, 0, 'a fresh session: nothing asked yet');

    await openFile(page, 'src/train.py');
    const question = 'how do I reshape a numpy array';
    const view = await lookUp(page, question);
    assert.equal(view.error, '', `the lookup failed: ${view.error}`);
    assert.match(view.trail, /preloaded/, `trail: ${view.trail}`);
    assert.equal(view.cached, 'yes');
    assert.match(view.content, /NumPy: reshape/);
    assert.equal(memberRequests('reshape'), 1, 'reshape was fetched once, by the preloader');
    await session().screenshot('first-question-preloaded');

    const hover = await hoverWord(page, 'read_csv', /pandas read_csv/);
    assert.match(hover, /pandas read_csv \(MCP, cached\)/);
    assert.match(hover, /pandas: read_csv/, "the member's own docs, not the library's");
    assert.equal(memberRequests('read_csv'), 1);
    await session().screenshot('hover-read-csv-cached');
    await dismiss(page);
  });
});
