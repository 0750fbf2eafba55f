import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  decodeFileNameToKey,
  decodeKey,
  encodeKey,
  encodeKeyToFileName,
} from '../../../src/core/adapters/key-encoding';

const anyKey = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', minLength: 100, maxLength: 200 }),
);

describe('key encoding', () => {
  it('always gives a memory-bank-safe, lower-case, bounded file name', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const name = encodeKeyToFileName(key);
        assert.match(name, /^[a-z0-9_.-]+$/);
        assert.ok(!name.includes('..'), name);
        assert.ok(name.length <= 200, `${name.length}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives distinct names to distinct keys', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyKey, { minLength: 2, maxLength: 60 }), (keys) => {
        assert.equal(new Set(keys.map(encodeKeyToFileName)).size, keys.length);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps keys differing only in case apart (case-insensitive file systems)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }).filter((k) => k.toLowerCase() !== k.toUpperCase()),
        (key) => {
          const names = new Set(
            [encodeKey(key.toLowerCase()), encodeKey(key.toUpperCase())].map((n) => n.toLowerCase()),
          );
          assert.equal(names.size, 2);
        },
      ),
    );
  });

  it('decodes reversibly encoded keys back to the original, and keys up to 60 UTF-8 bytes are always reversible', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (key) => {
        const name = encodeKeyToFileName(key);
        if (Buffer.byteLength(key, 'utf8') <= 60) assert.match(name, /^k_/);
        assert.equal(decodeFileNameToKey(name), name.startsWith('k_') ? key : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('hashes long keys and separates lone surrogates from U+FFFD', () => {
    assert.match(encodeKey('x'.repeat(500)), /^h_[0-9a-f]{64}$/);
    assert.equal(decodeKey(encodeKey('x'.repeat(500))), undefined);
    assert.notEqual(encodeKey('\uD800'), encodeKey('\uFFFD'));
  });

  it('keeps readable keys readable', () => {
    assert.equal(encodeKeyToFileName('error:TypeError'), 'k_error.3a.54ype.45rror.json');
  });
});
