/**
 * The JSON envelope stored by memory layers whose server keeps no expiry (memory-bank,
 * server-memory): the TTL travels inside the stored value, and the original key is kept so a
 * hashed file name can be checked against it.
 */
import type { ContextType } from '../knowledge';

export const ENVELOPE_VERSION = 1;

export interface StoredEnvelope {
  v: typeof ENVELOPE_VERSION;
  key: string;
  contextType: ContextType;
  value: string;
  /** Epoch milliseconds. */
  storedAt: number;
  /** Epoch milliseconds; null means it never expires. */
  expiresAt: number | null;
}

/** Builds an envelope; a TTL that is not a positive finite number means "never expires". */
export function createEnvelope(
  key: string,
  value: string,
  contextType: ContextType,
  ttlSeconds: number,
  now: number,
): StoredEnvelope {
  const expiresAt = Number.isFinite(ttlSeconds) && ttlSeconds > 0 ? now + Math.round(ttlSeconds * 1000) : null;
  return { v: ENVELOPE_VERSION, key, contextType, value, storedAt: now, expiresAt };
}

/** An envelope that reads as expired: how a layer without delete invalidates a key. */
export function createTombstone(key: string, contextType: ContextType, now: number): StoredEnvelope {
  return { v: ENVELOPE_VERSION, key, contextType, value: '', storedAt: now, expiresAt: now };
}

export function serializeEnvelope(envelope: StoredEnvelope): string {
  return JSON.stringify(envelope);
}

/** Parses stored text; returns undefined for anything that is not one of our envelopes. */
export function parseEnvelope(text: string): StoredEnvelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const candidate = parsed as Record<string, unknown>;
  const valid =
    candidate.v === ENVELOPE_VERSION &&
    typeof candidate.key === 'string' &&
    typeof candidate.contextType === 'string' &&
    typeof candidate.value === 'string' &&
    typeof candidate.storedAt === 'number' &&
    (candidate.expiresAt === null || typeof candidate.expiresAt === 'number');
  return valid ? (candidate as unknown as StoredEnvelope) : undefined;
}

export function isExpired(envelope: StoredEnvelope, now: number): boolean {
  return envelope.expiresAt !== null && envelope.expiresAt <= now;
}

/** The metadata adapters attach to an answer read from an envelope. */
export function envelopeMetadata(envelope: StoredEnvelope): Record<string, unknown> {
  return {
    key: envelope.key,
    contextType: envelope.contextType,
    storedAt: envelope.storedAt,
    expiresAt: envelope.expiresAt,
  };
}
