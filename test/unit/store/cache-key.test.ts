import { strict as assert } from 'node:assert';
import { cacheKey, normaliseQueryText } from '../../../src/core/store/cache-key';

describe('cacheKey', () => {
  it('collapses whitespace and ignores case in the query text', () => {
    assert.equal(normaliseQueryText('  How TO\tuse\n\n numpy.Array  '), 'how to use numpy.array');
    assert.equal(
      cacheKey({ contextType: 'library_api', text: 'How to  use numpy', language: 'Python' }),
      cacheKey({ contextType: 'LIBRARY_API', text: 'how to use numpy ', language: 'python' }),
    );
  });

  it('keeps apart queries that differ in context type, language or library', () => {
    const base = { contextType: 'library_api', text: 'array', language: 'python', libraryId: '/numpy/numpy' };
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, contextType: 'general' }),
      cacheKey({ ...base, language: 'typescript' }),
      cacheKey({ ...base, libraryId: undefined }),
      cacheKey({ ...base, text: 'arrays' }),
    ]);
    assert.equal(keys.size, 5);
  });

  it('cannot be confused by separators inside a part', () => {
    assert.notEqual(cacheKey({ contextType: 'a', text: 'b","c' }), cacheKey({ contextType: 'a","b', text: 'c' }));
  });
});
