import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import { decodeShared, encodeShared } from '../../../src/core/store/shared-envelope';

const NOW = 1_800_000_000_000;
const MAX = 64 * 1024;
const answer = { content: 'docs', source: 'docs', contextType: 'library_api', storedAt: NOW - 5 };
const entry: CacheEntry = { value: answer, expiresAt: NOW + 60_000 };

/** An envelope with a correct checksum around any payload text, with fields overridden. */
function envelope(payload: string, overrides: Record<string, unknown> = {}): string {
  const sha256 = createHash('sha256').update(payload).digest('hex');
  return JSON.stringify({ v: 1, key: 'k', partition: 'shared', expiresAt: NOW + 1000, sha256, payload, ...overrides });
}

const decode = (text: string) => decodeShared(text, 'k', 'shared', NOW, MAX);

describe('shared level envelope: every check by name', () => {
  it('says why a value is corrupt or foreign', () => {
    const good = envelope(JSON.stringify(answer));
    assert.deepEqual(decode('{not json'), { status: 'corrupt', reason: 'not JSON' });
    assert.deepEqual(decode('17'), { status: 'corrupt', reason: 'not an envelope' });
    assert.deepEqual(decode(envelope('{}', { v: 2 })), { status: 'foreign', reason: 'format 2' });
    assert.deepEqual(decodeShared(good, 'other', 'shared', NOW, MAX), {
      status: 'foreign',
      reason: 'written for another key',
    });
    assert.deepEqual(decodeShared(good, 'k', 'private:a', NOW, MAX), {
      status: 'foreign',
      reason: 'written for another partition',
    });
    assert.deepEqual(decode(envelope('x', { payload: 5 })), { status: 'corrupt', reason: 'incomplete envelope' });
    assert.deepEqual(decode(envelope(JSON.stringify(answer), { expiresAt: 'later' })), {
      status: 'corrupt',
      reason: 'incomplete envelope',
    });
    assert.deepEqual(decode(envelope('{truncated')), { status: 'corrupt', reason: 'payload is not JSON' });
    assert.deepEqual(decodeShared(good, 'k', 'shared', NOW, 10), {
      status: 'corrupt',
      reason: 'larger than the per-entry cap',
    });
  });

  it('accepts an answer with every field typed, with or without metadata, and nothing less', () => {
    assert.equal(decode(envelope(JSON.stringify(answer))).status, 'ok');
    assert.equal(decode(envelope(JSON.stringify({ ...answer, metadata: { a: 1 } }))).status, 'ok');
    const broken: unknown[] = [
      null,
      'docs',
      { ...answer, content: 1 },
      { ...answer, source: 1 },
      { ...answer, contextType: 1 },
      { ...answer, storedAt: '1' },
      { ...answer, metadata: null },
      { ...answer, metadata: 'm' },
    ];
    for (const value of broken) {
      assert.deepEqual(
        decode(envelope(JSON.stringify(value))),
        { status: 'corrupt', reason: 'payload is not a cached answer' },
        JSON.stringify(value),
      );
    }
  });

  it('writes and reads an envelope of exactly the size cap', () => {
    const text = encodeShared('k', 'shared', entry, MAX);
    assert.ok(text !== undefined);
    const size = Buffer.byteLength(text);
    assert.equal(encodeShared('k', 'shared', entry, size), text);
    assert.equal(encodeShared('k', 'shared', entry, size - 1), undefined);
    assert.equal(decodeShared(text, 'k', 'shared', NOW, size).status, 'ok');
    assert.equal(decodeShared(text, 'k', 'shared', NOW, size - 1).status, 'corrupt');
  });
});
