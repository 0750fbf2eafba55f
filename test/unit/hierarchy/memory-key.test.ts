import { strict as assert } from 'node:assert';
import { memoryKey, queryForAdapter } from '../../../src/core/hierarchy/memory-key';
import type { KnowledgeAdapter } from '../../../src/core/knowledge';

const adapter = (writable: boolean): KnowledgeAdapter => ({
  serverName: 's',
  kind: 'generic',
  writable,
  fetch: async () => null,
  store: async () => undefined,
  invalidate: async () => undefined,
});

describe('memory keys', () => {
  it('keeps the same topic for two libraries apart', () => {
    assert.notEqual(
      memoryKey({ text: 'getting started', libraryId: '/numpy/numpy' }),
      memoryKey({ text: 'getting started', libraryId: '/pytorch/pytorch' }),
    );
  });

  it('leaves unscoped text, and text that already names its library, as written', () => {
    assert.equal(memoryKey({ text: 'error:ts:2339:x' }), 'error:ts:2339:x');
    assert.equal(memoryKey({ text: 'docs of /numpy/numpy', libraryId: '/numpy/numpy' }), 'docs of /numpy/numpy');
  });

  it('scopes the query only for writable (memory) layers; docs layers see the question as asked', () => {
    const query = { text: 'overview', contextType: 'library_api', libraryId: '/facebook/react' };
    assert.equal(queryForAdapter(adapter(true), query).text, 'overview [/facebook/react]');
    assert.equal(queryForAdapter(adapter(false), query).text, 'overview');
  });
});
