import { strict as assert } from 'node:assert';
import type { DetectedMember, DocumentDetection } from '../../../src/core/api';
import { MemberTopics } from '../../../src/core/preload/member-topics';
import { PredictivePreloader } from '../../../src/core/preload/predictive-preloader';
import { docsEntryKey, memberDocsQuery, normaliseVersion } from '../../../src/core/preload/queries';
import { memberNamedIn } from '../../../src/core/runtime/member-answers';
import { detection, FakeHierarchy, FakeLibraries } from './fakes';

function member(module: string, path: string, count = 1): DetectedMember {
  return { name: `${module}.${path}`, module, path, count, line: 0, character: 0 };
}

/** A detection whose libraries use the given members (`module` → `/module/module`). */
function using(uri: string, members: DetectedMember[], version?: string): DocumentDetection {
  const modules = [...new Set(members.map((m) => m.module))];
  const base = detection(uri, modules);
  return {
    ...base,
    members,
    bindings: modules.map((module) => ({ localName: module.slice(0, 2), module })),
    libraries: base.libraries.map((l) => ({ ...l, ...(version ? { version } : {}) })),
  };
}

const topics = (hierarchy: FakeHierarchy): string[] =>
  hierarchy.calls.map((c) => `${c.query.libraryId} ${c.query.hints?.['topic'] ?? c.query.text}`);

describe('member docs entries', () => {
  it('key a member by library, member and normalised version', () => {
    assert.deepEqual(memberDocsQuery('/pandas-dev/pandas', 'read_csv', '==2.2.3'), {
      text: 'read_csv @2.2.3',
      contextType: 'library_api',
      libraryId: '/pandas-dev/pandas',
      hints: { topic: 'read_csv', version: '2.2.3' },
    });
    assert.equal(memberDocsQuery('/numpy/numpy', 'reshape').text, 'reshape');
    const key = (version?: string): string => docsEntryKey(memberDocsQuery('/numpy/numpy', 'reshape', version));
    assert.equal(key('^2.1.0'), key('2.1.0'));
    assert.notEqual(key('2.1.0'), key('2.2.0'));
    assert.notEqual(key(), key('2.1.0'));
  });

  it('normalise manifest version specs', () => {
    assert.equal(normaliseVersion('^19.0.0'), '19.0.0');
    assert.equal(normaliseVersion('==2.2.3'), '2.2.3');
    assert.equal(normaliseVersion('>=1.2, <2'), '1.2');
    assert.equal(normaliseVersion('v1.10.0'), '1.10.0');
    assert.equal(normaliseVersion('latest'), undefined);
    assert.equal(normaliseVersion(''), undefined);
  });
});

describe('MemberTopics', () => {
  it('sums members across documents, visible ones first, capped per library', () => {
    const topicsOf = new MemberTopics({ maxPerLibrary: 2 });
    topicsOf.update(using('file:///a.py', [member('pandas', 'read_csv', 1), member('pandas', 'concat', 5)]), false);
    topicsOf.update(using('file:///b.py', [member('pandas', 'read_csv', 1), member('pandas', 'merge', 1)]), true);
    assert.deepEqual(
      topicsOf.wanted('/pandas/pandas').map((t) => t.member),
      ['read_csv', 'merge'],
      'the visible document ranks first; read_csv is used twice',
    );
    topicsOf.remove('file:///b.py');
    assert.deepEqual(
      topicsOf.wanted('/pandas/pandas').map((t) => t.member),
      ['concat', 'read_csv'],
    );
  });

  it('leaves out standard-library modules and unresolved libraries', () => {
    const topicsOf = new MemberTopics();
    const doc = using('file:///a.py', [member('os', 'path.join'), member('numpy', 'zeros')]);
    doc.modules = doc.modules.map((m) => (m.name === 'os' ? { ...m, stdlib: true } : m));
    topicsOf.update(doc, true);
    assert.deepEqual(
      topicsOf.used().map((m) => m.name),
      ['numpy.zeros'],
    );
  });
});

describe('PredictivePreloader with members', () => {
  let current: PredictivePreloader | undefined;
  afterEach(() => current?.dispose());

  const make = async (hierarchy: FakeHierarchy, members = new MemberTopics()): Promise<PredictivePreloader> => {
    current = new PredictivePreloader({
      strategy: 'balanced',
      concurrency: 1,
      callsPerMinute: 1000,
      costBudgetUsd: 10,
      topics: ['overview'],
      memberTopics: members,
      hierarchy,
      libraries: new FakeLibraries(),
    });
    await current.startBackgroundPreloading();
    return current;
  };

  it('fetches used members before the generic topics, once for two documents', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(using('file:///a.py', [member('pandas', 'read_csv', 3)]), { visible: true });
    await preloader.preloadForDocument(using('file:///b.py', [member('pandas', 'read_csv')]), { visible: true });
    await preloader.whenIdle();
    assert.deepEqual(topics(hierarchy), ['/pandas/pandas read_csv', '/pandas/pandas overview']);
  });

  it('fetches a member an edit adds to a library that is already ready, and nothing per keystroke otherwise', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(using('file:///a.py', [member('numpy', 'zeros')]), { visible: true });
    await preloader.whenIdle();
    await preloader.preloadForDocument(using('file:///a.py', [member('numpy', 'zeros')]), { visible: true });
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 2, 'no new fetch for the same members');
    await preloader.preloadForDocument(using('file:///a.py', [member('numpy', 'zeros'), member('numpy', 'reshape')]), {
      visible: true,
    });
    await preloader.whenIdle();
    assert.deepEqual(topics(hierarchy).slice(2), ['/numpy/numpy reshape']);
  });

  it('fetches a member again when the manifest version changes', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(using('file:///a.py', [member('numpy', 'zeros')], '2.1.0'), { visible: true });
    await preloader.whenIdle();
    await preloader.preloadForDocument(using('file:///a.py', [member('numpy', 'zeros')], '2.2.0'), { visible: true });
    await preloader.whenIdle();
    assert.deepEqual(
      hierarchy.calls.map((c) => c.query.text),
      ['zeros @2.1.0', 'overview', 'zeros @2.2.0'],
    );
  });

  it('stops fetching the members of a closed document', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(
      using('file:///a.py', [member('torch', 'optim.SGD', 2), member('torch', 'nn.Linear')]),
      { visible: true },
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(hierarchy.calls.length, 1);
    preloader.cancelDocument('file:///a.py');
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 1, 'nothing more after the close');
    assert.equal(hierarchy.calls[0]?.signal.aborted, true, 'the fetch in flight was cancelled');
    assert.equal(preloader.states().find((s) => s.libraryId === '/torch/torch')?.status, 'cancelled');
  });

  it('goes on with the other docs of a library when one member has none', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(
      using('file:///a.py', [member('numpy', 'nothing_here', 2), member('numpy', 'zeros')]),
      {
        visible: true,
      },
    );
    for (let answered = 0; answered < 3; answered++) {
      while (hierarchy.calls.length <= answered) await new Promise((resolve) => setImmediate(resolve));
      hierarchy.calls[answered]?.release(answered === 0 ? { success: false, error: 'no docs' } : { success: true });
    }
    await preloader.whenIdle();
    assert.deepEqual(topics(hierarchy), ['/numpy/numpy nothing_here', '/numpy/numpy zeros', '/numpy/numpy overview']);
    assert.equal(preloader.states().find((s) => s.libraryId === '/numpy/numpy')?.status, 'ready');
    await preloader.preloadForDocument(
      using('file:///a.py', [member('numpy', 'nothing_here', 2), member('numpy', 'zeros')]),
      {
        visible: true,
      },
    );
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 3, 'not asked again on the next edit');
  });

  it('lets a question wait for a member its library job is fetching, bounded by the signal', async () => {
    const hierarchy = new FakeHierarchy(false);
    const members = new MemberTopics();
    const preloader = await make(hierarchy, members);
    const reshape = { libraryId: '/numpy/numpy', member: 'reshape' };
    assert.equal(
      await preloader.memberDocsReady(reshape, new AbortController().signal),
      false,
      'no job: nothing to wait for',
    );
    await preloader.preloadForDocument(
      using('file:///a.py', [member('numpy', 'zeros', 3), member('numpy', 'reshape')]),
      {
        visible: true,
      },
    );
    const waiting = preloader.memberDocsReady(reshape, new AbortController().signal);
    const bounded = new AbortController();
    const givenUp = preloader.memberDocsReady({ libraryId: '/numpy/numpy', member: 'zeros' }, bounded.signal);
    bounded.abort();
    assert.equal(await givenUp, false, 'an aborted wait gives up');
    const unwanted = preloader.memberDocsReady(
      { libraryId: '/numpy/numpy', member: 'ravel' },
      new AbortController().signal,
    );
    assert.equal(await unwanted, false, 'the job will not fetch a member no document uses');
    for (let answered = 0; answered < 3; answered++) {
      while (hierarchy.calls.length <= answered) await new Promise((resolve) => setImmediate(resolve));
      hierarchy.calls[answered]?.release();
    }
    assert.equal(await waiting, true);
    await preloader.whenIdle();
    assert.deepEqual(topics(hierarchy), ['/numpy/numpy zeros', '/numpy/numpy reshape', '/numpy/numpy overview']);
  });

  it('ends the wait when the library job ends without the member', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(using('file:///a.py', [member('numpy', 'reshape')]), { visible: true });
    const waiting = preloader.memberDocsReady(
      { libraryId: '/numpy/numpy', member: 'reshape' },
      new AbortController().signal,
    );
    while (hierarchy.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    preloader.cancelDocument('file:///a.py');
    assert.equal(await waiting, false);
    await preloader.whenIdle();
  });

  it('fetches a member a hover asks for, within the same queue', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy);
    preloader.preloadMember('/pandas/pandas', 'pandas', 'DataFrame.merge');
    await preloader.whenIdle();
    assert.deepEqual(topics(hierarchy), ['/pandas/pandas DataFrame.merge', '/pandas/pandas overview']);
  });
});

describe('memberNamedIn', () => {
  const topicsOf = new MemberTopics();
  topicsOf.update(
    {
      ...using('file:///t.py', [
        member('numpy', 'reshape', 2),
        member('pandas', 'read_csv'),
        member('requests', 'get'),
      ]),
      bindings: [
        { localName: 'np', module: 'numpy' },
        { localName: 'pd', module: 'pandas' },
        { localName: 'requests', module: 'requests' },
      ],
    },
    true,
  );
  const used = topicsOf.used();

  it('finds a member with its library named by name, alias or mention', () => {
    assert.equal(memberNamedIn('how do I reshape a numpy array', used)?.name, 'numpy.reshape');
    assert.equal(memberNamedIn('np.reshape with -1', used)?.name, 'numpy.reshape');
    assert.equal(memberNamedIn('how to reshape an array', used, '/numpy/numpy')?.name, 'numpy.reshape');
  });

  it('takes a distinctive member name alone, but not a plain word', () => {
    assert.equal(memberNamedIn('read_csv dtypes', used)?.name, 'pandas.read_csv');
    assert.equal(memberNamedIn('how do I get a user', used), undefined);
    assert.equal(memberNamedIn('how do I reshape a tensor', used), undefined);
    assert.equal(memberNamedIn('how do I sort a numpy array', used), undefined);
  });
});
