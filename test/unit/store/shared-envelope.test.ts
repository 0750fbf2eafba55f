import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import { decodeShared, encodeShared } from '../../../src/core/store/shared-envelope';

const NOW = 1_800_000_000_000;
const MAX = 64 * 1024;
const entry: CacheEntry = {
  value: {
    content: 'numpy.array docs',
    source: 'docs',
    contextType: 'library_api',
    storedAt: NOW - 5,
    metadata: { server: 'context7' },
  },
  expiresAt: NOW + 60_000,
};

function encoded(key = 'k', partition = 'shared'): string {
  const text = encodeShared(key, partition, entry, MAX);
  assert.ok(text !== undefined);
  return text;
}

describe('shared level envelope', () => {
  it('round-trips an entry read for the same key and partition', () => {
    const decoded = decodeShared(encoded(), 'k', 'shared', NOW, MAX);
    assert.deepEqual(decoded, { status: 'ok', entry });
  });

  it('reports a value written for another key or partition as foreign', () => {
    assert.equal(decodeShared(encoded('other'), 'k', 'shared', NOW, MAX).status, 'foreign');
    assert.equal(decodeShared(encoded('k', 'private:bob'), 'k', 'private:alice', NOW, MAX).status, 'foreign');
    const future = JSON.stringify({ ...JSON.parse(encoded()), v: 2 });
    assert.equal(decodeShared(future, 'k', 'shared', NOW, MAX).status, 'foreign', 'another format version');
  });

  it('reports tampered, truncated or malformed values as corrupt', () => {
    const envelope = JSON.parse(encoded()) as { payload: string };
    const tampered = JSON.stringify({ ...envelope, payload: envelope.payload.replace('numpy', 'evil!') });
    assert.deepEqual(decodeShared(tampered, 'k', 'shared', NOW, MAX), {
      status: 'corrupt',
      reason: 'checksum mismatch',
    });
    assert.equal(decodeShared(encoded().slice(0, -10), 'k', 'shared', NOW, MAX).status, 'corrupt');
    assert.equal(decodeShared('null', 'k', 'shared', NOW, MAX).status, 'corrupt');
    assert.equal(decodeShared('"a string"', 'k', 'shared', NOW, MAX).status, 'corrupt');
  });

  it('refuses a payload that is not a cached answer even with a matching checksum', () => {
    const payload = JSON.stringify({ content: 42 });
    const forged = JSON.stringify({
      v: 1,
      key: 'k',
      partition: 'shared',
      expiresAt: NOW + 1000,
      sha256: createHash('sha256').update(payload).digest('hex'),
      payload,
    });
    assert.deepEqual(decodeShared(forged, 'k', 'shared', NOW, MAX), {
      status: 'corrupt',
      reason: 'payload is not a cached answer',
    });
  });

  it('treats an expired value as absent, and keeps the size cap on both sides', () => {
    assert.deepEqual(decodeShared(encoded(), 'k', 'shared', NOW + 60_000, MAX), { status: 'expired' });
    assert.equal(encodeShared('k', 'shared', entry, 100), undefined, 'too big to write');
    assert.equal(decodeShared(encoded(), 'k', 'shared', NOW, 100).status, 'corrupt', 'too big to read');
  });
});
