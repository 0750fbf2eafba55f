import { strict as assert } from 'node:assert';
import { Context7Adapter } from '../../../src/core/adapters/context7';
import { chooseLibrary, parseLibraryCandidates } from '../../../src/core/adapters/context7-resolve';
import { McpError } from '../../../src/core/errors';
import { FakeToolCaller, text } from './fake-caller';

/** The shape `@upstash/context7-mcp` 4.1.1 formats resolve answers in. */
const RESOLVE_ANSWER = `Available Libraries:

- Title: React Native
- Context7-compatible library ID: /facebook/react-native
- Description: A framework for building native apps
- Code Snippets: 5000
- Source Reputation: High
- Benchmark Score: 90
----------
- Title: React
- Context7-compatible library ID: /facebook/react
- Description: The library for web and native user interfaces
- Code Snippets: 3000
- Source Reputation: High
- Benchmark Score: 80
- Versions: v19.0.0, v18.3.1
----------
- Title: react (fork)
- Context7-compatible library ID: /someone/react
- Description: A fork
- Code Snippets: 10
- Source Reputation: Low`;

describe('context7 library resolution', () => {
  it('parses every candidate with reputation, scores and versions', () => {
    const candidates = parseLibraryCandidates(RESOLVE_ANSWER);
    assert.deepEqual(
      candidates.map((c) => c.id),
      ['/facebook/react-native', '/facebook/react', '/someone/react'],
    );
    assert.deepEqual(candidates[1]?.versions, ['v19.0.0', 'v18.3.1']);
    assert.equal(candidates[1].benchmarkScore, 80);
    assert.ok((candidates[0]?.trust ?? 0) > (candidates[2]?.trust ?? 0));
  });

  it('prefers the exact name match, then trust', () => {
    assert.equal(chooseLibrary(parseLibraryCandidates(RESOLVE_ANSWER), 'react')?.id, '/facebook/react');
    assert.equal(chooseLibrary(parseLibraryCandidates(RESOLVE_ANSWER), 'React Native')?.id, '/facebook/react-native');
  });

  it('reads the older numeric trust score', () => {
    const older =
      '- Title: A\n- Context7-compatible library ID: /a/a\n- Trust Score: 2\n----------\n- Title: A\n- Context7-compatible library ID: /b/a\n- Trust Score: 9.5';
    assert.equal(chooseLibrary(parseLibraryCandidates(older), 'a')?.id, '/b/a');
  });

  it('gives nothing for an answer without ids', () => {
    assert.deepEqual(parseLibraryCandidates('No libraries found matching the provided name.'), []);
    assert.equal(chooseLibrary([], 'x'), undefined);
  });
});

describe('Context7Adapter', () => {
  const modern = (): FakeToolCaller =>
    new FakeToolCaller('context7', {
      'resolve-library-id': ({ libraryName }) =>
        libraryName === 'react' ? text(RESOLVE_ANSWER) : text('No libraries found matching the provided name.'),
      'query-docs': ({ libraryId, query }) => text(`docs for ${String(libraryId)} about ${String(query)}`),
    });

  it('resolves once and reuses the resolution, sharing in-flight lookups', async () => {
    const caller = modern();
    const adapter = new Context7Adapter({ caller });
    const [a, b] = await Promise.all([adapter.resolveLibraryId('react', 'hooks'), adapter.resolveLibraryId('React')]);
    assert.equal(a, '/facebook/react');
    assert.equal(b, '/facebook/react');
    assert.equal(await adapter.resolveLibraryId('react'), '/facebook/react');
    assert.deepEqual(caller.toolsCalled(), ['resolve-library-id']);
    assert.deepEqual(caller.calls[0]?.args, { query: 'hooks', libraryName: 'react' });
  });

  it('fetches docs with query-docs, taking the library from the hint or the first word', async () => {
    const caller = modern();
    const adapter = new Context7Adapter({ caller });
    const answer = await adapter.fetch({ text: 'react useEffect cleanup', contextType: 'library_api' });
    assert.equal(answer?.content, 'docs for /facebook/react about react useEffect cleanup');
    const hinted = await adapter.fetch({
      text: 'cleanup',
      contextType: 'library_api',
      hints: { library: 'react', topic: 'effects' },
    });
    assert.equal(hinted?.content, 'docs for /facebook/react about effects');
  });

  it('misses when the library is unknown', async () => {
    assert.equal(
      await new Context7Adapter({ caller: modern() }).fetch({ text: 'vue refs', contextType: 'library_api' }),
      null,
    );
  });

  it('uses get-library-docs with its argument names when the server only lists that', async () => {
    const caller = new FakeToolCaller('context7', {
      'resolve-library-id': () => text(RESOLVE_ANSWER),
      'get-library-docs': (args) => text(`legacy ${JSON.stringify(args)}`),
    });
    const adapter = new Context7Adapter({ caller, legacyTokens: 1234 });
    await adapter.fetch({ text: 'x', contextType: 'library_api', libraryId: '/facebook/react' });
    await adapter.fetch({ text: 'y', contextType: 'library_api', libraryId: '/facebook/react' });
    assert.deepEqual(
      caller.calls.map((c) => c.args),
      [
        { context7CompatibleLibraryID: '/facebook/react', topic: 'x', tokens: 1234 },
        { context7CompatibleLibraryID: '/facebook/react', topic: 'y', tokens: 1234 },
      ],
    );
    assert.equal(caller.listToolsCalls, 1);
  });

  it('throws upstream-error for a rate-limit text and caches nothing', async () => {
    let limited = true;
    const caller = new FakeToolCaller('context7', {
      'resolve-library-id': () =>
        limited
          ? text(
              'Rate limited or quota exceeded. Create a free API key at https://context7.com/dashboard for higher limits.',
            )
          : text(RESOLVE_ANSWER),
    });
    const adapter = new Context7Adapter({ caller });
    await assert.rejects(
      adapter.resolveLibraryId('react'),
      (e: unknown) => e instanceof McpError && e.kind === 'upstream-error',
    );
    limited = false;
    assert.equal(await adapter.resolveLibraryId('react'), '/facebook/react');
  });

  it('is read-only', async () => {
    const adapter = new Context7Adapter({ caller: modern() });
    assert.equal(adapter.writable, false);
    await assert.rejects(adapter.store(), /read-only/);
  });
});
