import { strict as assert } from 'node:assert';
import {
  createEnvelope,
  createTombstone,
  isExpired,
  parseEnvelope,
  serializeEnvelope,
} from '../../../src/core/adapters/envelope';

describe('stored envelope', () => {
  it('expires exactly after its TTL', () => {
    const envelope = createEnvelope('k', 'v', 'error_solution', 60, 1_000);
    assert.equal(envelope.expiresAt, 61_000);
    assert.equal(isExpired(envelope, 60_999), false);
    assert.equal(isExpired(envelope, 61_000), true);
  });

  it('never expires with a zero, negative or infinite TTL', () => {
    for (const ttl of [0, -5, Number.POSITIVE_INFINITY, Number.NaN]) {
      const envelope = createEnvelope('k', 'v', 'general', ttl, 1_000);
      assert.equal(envelope.expiresAt, null);
      assert.equal(isExpired(envelope, Number.MAX_SAFE_INTEGER), false);
    }
  });

  it('round-trips through JSON and rejects anything else', () => {
    const envelope = createEnvelope('key', 'value', 'library_api', 10, 5);
    assert.deepEqual(parseEnvelope(serializeEnvelope(envelope)), envelope);
    assert.equal(parseEnvelope('plain notes'), undefined);
    assert.equal(parseEnvelope('{"v":2,"key":"k"}'), undefined);
    assert.equal(
      parseEnvelope('{"v":1,"key":"k","contextType":"x","value":3,"storedAt":1,"expiresAt":null}'),
      undefined,
    );
  });

  it('makes tombstones that read as expired', () => {
    assert.equal(isExpired(createTombstone('k', 'general', 100), 100), true);
  });
});
