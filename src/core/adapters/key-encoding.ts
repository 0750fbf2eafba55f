/**
 * Turns any hierarchy key into a name memory-bank (and serena's memories) accept
 * (`[a-zA-Z0-9_.-]+`, no `..`, no `/`). Names are lower-case only, so two keys differing in case
 * stay distinct on case-insensitive file systems. Short keys are encoded reversibly (`k_…`); long
 * ones are hashed (`h_…`), and the stored envelope keeps the original key so a read can confirm
 * it found the right entry.
 */
import { createHash } from 'node:crypto';

const FILE_SUFFIX = '.json';
const REVERSIBLE_PREFIX = 'k_';
const HASHED_PREFIX = 'h_';
/** Keeps names well under the usual 255-byte file-name limit. */
const MAX_ENCODED_LENGTH = 180;
const LITERAL = /^[a-z0-9_-]$/;
const LONE_SURROGATE = /\p{Cs}/u;

/** `domain` keeps UTF-8 and UTF-16 byte sequences from ever hashing the same input. */
function hashedName(domain: 'utf8' | 'utf16le', key: string): string {
  const digest = createHash('sha256').update(`${domain}:`).update(Buffer.from(key, domain)).digest('hex');
  return `${HASHED_PREFIX}${digest}`;
}

/** Encodes a key as a safe name without extension. Distinct keys give distinct names. */
export function encodeKey(key: string): string {
  // A lone surrogate would turn into U+FFFD in UTF-8 and collide with a real U+FFFD: hash the
  // raw UTF-16 code units instead.
  if (LONE_SURROGATE.test(key)) return hashedName('utf16le', key);
  let encoded = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && LITERAL.test(char) ? char : `.${byte.toString(16).padStart(2, '0')}`;
    if (encoded.length > MAX_ENCODED_LENGTH) return hashedName('utf8', key);
  }
  return `${REVERSIBLE_PREFIX}${encoded}`;
}

/** Decodes a reversibly encoded name; returns undefined for hashed or foreign names. */
export function decodeKey(name: string): string | undefined {
  if (!name.startsWith(REVERSIBLE_PREFIX)) return undefined;
  const body = name.slice(REVERSIBLE_PREFIX.length);
  const bytes: number[] = [];
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] as string;
    if (char === '.') {
      const hex = body.slice(index + 1, index + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else if (LITERAL.test(char)) {
      bytes.push(char.charCodeAt(0));
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The memory-bank file name of a key: `encodeKey(key)` plus `.json`. */
export function encodeKeyToFileName(key: string): string {
  return `${encodeKey(key)}${FILE_SUFFIX}`;
}

/** Reverses `encodeKeyToFileName` for reversibly encoded names. */
export function decodeFileNameToKey(fileName: string): string | undefined {
  return fileName.endsWith(FILE_SUFFIX) ? decodeKey(fileName.slice(0, -FILE_SUFFIX.length)) : undefined;
}
