import { strict as assert } from 'node:assert';
import { guessLibraryName } from '../../../src/core/adapters/context7';

describe('guessing the library a docs question is about', () => {
  it('skips question words', () => {
    assert.equal(guessLibraryName('how do axios interceptors work'), 'axios');
    assert.equal(guessLibraryName("What's the fastapi dependency injection?"), 'fastapi');
  });

  it('keeps a question that starts with the library as it is', () => {
    assert.equal(guessLibraryName('numpy reshape'), 'numpy');
    assert.equal(guessLibraryName('@tanstack/query caching'), '@tanstack/query');
  });

  it('has nothing for a question made only of question words', () => {
    assert.equal(guessLibraryName('how do I'), undefined);
  });
});
