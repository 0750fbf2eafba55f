/**
 * How one result-cache entry is stored in the shared level: the same checksummed envelope as a
 * disk entry, plus the partition it was written for. Another instance, another version of the
 * product or a person with write access to Redis may have put anything under a key, so a value is
 * returned only when it parses, names exactly the key and partition it was read for, has the right
 * checksum, fits the size cap and has not expired. Anything else is reported as `corrupt` (dropped
 * from Redis) or `foreign` (ignored: written for another key, partition or format).
 */
import { createHash } from 'node:crypto';
import type { CacheEntry, CachedAnswer } from './cache-types';

const FORMAT = 1;

interface SharedEnvelope {
  v: typeof FORMAT;
  key: string;
  partition: string;
  expiresAt: number;
  sha256: string;
  /** The CachedAnswer as JSON text, so the checksum covers exactly the stored bytes. */
  payload: string;
}

export type Decoded =
  | { status: 'ok'; entry: CacheEntry }
  | { status: 'corrupt'; reason: string }
  | { status: 'foreign'; reason: string }
  | { status: 'expired' };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The envelope text for an entry, or undefined when it is larger than `maxBytes`. */
export function encodeShared(key: string, partition: string, entry: CacheEntry, maxBytes: number): string | undefined {
  const payload = JSON.stringify(entry.value);
  const envelope: SharedEnvelope = {
    v: FORMAT,
    key,
    partition,
    expiresAt: entry.expiresAt,
    sha256: sha256(payload),
    payload,
  };
  const text = JSON.stringify(envelope);
  return Buffer.byteLength(text) > maxBytes ? undefined : text;
}

/** Checks and opens an envelope read for `key` in `partition`. Never throws. */
export function decodeShared(text: string, key: string, partition: string, now: number, maxBytes: number): Decoded {
  if (Buffer.byteLength(text) > maxBytes) return { status: 'corrupt', reason: 'larger than the per-entry cap' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 'corrupt', reason: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { status: 'corrupt', reason: 'not an envelope' };
  const envelope = parsed as Partial<SharedEnvelope>;
  if (envelope.v !== FORMAT) return { status: 'foreign', reason: `format ${String(envelope.v)}` };
  if (envelope.key !== key) return { status: 'foreign', reason: 'written for another key' };
  if (envelope.partition !== partition) return { status: 'foreign', reason: 'written for another partition' };
  if (typeof envelope.payload !== 'string' || typeof envelope.expiresAt !== 'number')
    return { status: 'corrupt', reason: 'incomplete envelope' };
  if (sha256(envelope.payload) !== envelope.sha256) return { status: 'corrupt', reason: 'checksum mismatch' };
  if (!(envelope.expiresAt > now)) return { status: 'expired' };
  let value: CachedAnswer;
  try {
    value = JSON.parse(envelope.payload) as CachedAnswer;
  } catch {
    return { status: 'corrupt', reason: 'payload is not JSON' };
  }
  if (!isCachedAnswer(value)) return { status: 'corrupt', reason: 'payload is not a cached answer' };
  return { status: 'ok', entry: { value, expiresAt: envelope.expiresAt } };
}

function isCachedAnswer(value: unknown): value is CachedAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Record<string, unknown>;
  const metadata = answer['metadata'];
  return (
    typeof answer['content'] === 'string' &&
    typeof answer['source'] === 'string' &&
    typeof answer['contextType'] === 'string' &&
    typeof answer['storedAt'] === 'number' &&
    (metadata === undefined || (typeof metadata === 'object' && metadata !== null))
  );
}
