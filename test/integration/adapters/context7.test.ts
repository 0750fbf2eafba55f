import { strict as assert } from 'node:assert';
import { Context7Adapter } from '../../../src/core/adapters/context7';
import { McpError } from '../../../src/core/errors';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { context7Server } from '../../helpers/servers';
import { removeTempDirs } from '../../helpers/temp';
import { startPool } from './pool';

describe('Context7Adapter against the real context7 server and a loopback API', function () {
  this.timeout(30_000);
  let api: FakeContext7Api;
  let pool: ConnectionPool;
  let adapter: Context7Adapter;

  before(async () => {
    api = await FakeContext7Api.start();
    pool = startPool([context7Server(api.apiUrl)]);
    adapter = new Context7Adapter({ caller: pool.caller('context7') });
  });
  afterEach(() => {
    api.failWith = undefined;
  });
  after(async () => {
    await pool.shutdown();
    await api.close();
    removeTempDirs();
  });

  const searches = (): number => api.requests.filter((r) => r.path === '/api/v2/libs/search').length;

  it('resolves a library name to its id and caches the resolution', async () => {
    assert.equal(await adapter.resolveLibraryId('numpy', 'array broadcasting'), '/numpy/numpy');
    const before = searches();
    assert.equal(await adapter.resolveLibraryId('NumPy'), '/numpy/numpy');
    assert.equal(searches(), before);
  });

  it('returns null for a library context7 does not know', async () => {
    assert.equal(await adapter.resolveLibraryId('no-such-library-xyz'), null);
    assert.equal(await adapter.fetch({ text: 'no-such-library-xyz usage', contextType: 'library_api' }), null);
  });

  it('resolves and fetches docs in one fetch', async () => {
    const answer = await adapter.fetch({
      text: 'how to merge frames',
      contextType: 'library_api',
      hints: { library: 'pandas' },
    });
    assert.match(answer?.content ?? '', /### pandas: how to merge frames/);
    assert.equal(answer?.metadata?.['libraryId'], '/pandas-dev/pandas');
    assert.equal(answer.metadata['tool'], 'query-docs');
    const contextRequest = api.requests.filter((r) => r.path === '/api/v2/context').at(-1);
    assert.deepEqual(contextRequest?.query, { query: 'how to merge frames', libraryId: '/pandas-dev/pandas' });
  });

  it('skips resolution when the query carries a library id', async () => {
    const before = searches();
    const answer = await adapter.fetch({
      text: 'useEffect cleanup',
      contextType: 'library_api',
      libraryId: '/facebook/react',
    });
    assert.match(answer?.content ?? '', /### React: useEffect cleanup/);
    assert.equal(searches(), before);
  });

  it('turns a 429 from the API into an upstream-error, never into content', async () => {
    api.failWith = 429;
    await assert.rejects(
      adapter.fetch({ text: 'tensors', contextType: 'library_api', libraryId: '/pytorch/pytorch' }),
      (error: unknown) =>
        error instanceof McpError && error.kind === 'upstream-error' && /Rate limited/.test(error.message),
    );
    await assert.rejects(
      adapter.resolveLibraryId('requests'),
      (error: unknown) => error instanceof McpError && error.kind === 'upstream-error',
    );
    api.failWith = undefined;
    // The failed resolution was not cached: it works once the API recovers.
    assert.equal(await adapter.resolveLibraryId('requests'), '/psf/requests');
  });

  it('turns an unknown library id (API 404) into an upstream-error', async () => {
    await assert.rejects(
      adapter.fetch({ text: 'x', contextType: 'library_api', libraryId: '/nobody/nothing' }),
      (error: unknown) => error instanceof McpError && error.kind === 'upstream-error',
    );
  });

  it('turns a 500 from the API into an upstream-error', async () => {
    api.failWith = 500;
    await assert.rejects(
      adapter.fetch({ text: 'routing', contextType: 'library_api', libraryId: '/expressjs/express' }),
      (error: unknown) => error instanceof McpError && error.kind === 'upstream-error',
    );
  });
});
