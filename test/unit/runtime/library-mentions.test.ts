import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LibraryCache } from '../../../src/core/libraries/library-cache';
import { libraryMentionedIn } from '../../../src/core/runtime/library-mentions';

describe('the library a question names', () => {
  let lookup: (word: string) => string | null;

  before(async () => {
    // The shipped registry: its aliases are what make false matches possible.
    const cache = await LibraryCache.create({
      registryText: readFileSync(path.resolve('config/library-cache.yaml'), 'utf8'),
      stateFile: path.join(tmpdir(), `mentions-${process.pid}.json`),
    });
    lookup = (word) => cache.getLibraryId(word);
  });

  it('finds a library named anywhere in the question', () => {
    assert.deepEqual(libraryMentionedIn('how do axios interceptors work', lookup), {
      word: 'axios',
      libraryId: lookup('axios'),
    });
    assert.equal(libraryMentionedIn('reshape a numpy array?', lookup)?.libraryId, '/numpy/numpy');
  });

  it('does not take short aliases or everyday words for libraries', () => {
    assert.equal(libraryMentionedIn('error:ts:2322:type <name> is not assignable to type <name>.', lookup), undefined);
    assert.equal(libraryMentionedIn('how to use it with go', lookup), undefined);
  });

  it('finds nothing in a question about no known library', () => {
    assert.equal(libraryMentionedIn('what does this function return', lookup), undefined);
  });
});
