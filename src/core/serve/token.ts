/**
 * The bearer tokens `serve --http` accepts. Every HTTP request needs one, on loopback too: any
 * local process or user could otherwise read a person's cached answers and stored notes. Tokens
 * come from `--token-file FILE` (one per line), or a random one is made at start and written to a
 * file only the user can read (0600) in the storage folder, and printed with the URL, as Jupyter does.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type AuthInfo, OAuthError, OAuthErrorCode, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import writeFileAtomic from 'write-file-atomic';

/** Where a generated token is kept, inside the storage folder. */
export const GENERATED_TOKEN_FILE = 'serve-token';
/** Shorter tokens are refused: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;
/** A token file larger than this is not a token file. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;
/** `verifyBearerToken` refuses tokens without an expiry; ours last as long as the process. */
const STATIC_TOKEN_LIFETIME_S = 10 * 365 * 24 * 3600;

export interface ServeTokens {
  tokens: string[];
  /** The file they were read from or written to. */
  file: string;
  /** True when this run made the token (then it is printed, so the user can hand it to a client). */
  generated: boolean;
}

/** Reads `--token-file`: one token per line; blank lines and `#` comments are skipped. */
export async function readTokenFile(file: string): Promise<ServeTokens> {
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the token file ${file}: ${error.code ?? error.message}`);
  });
  if (!stat.isFile()) throw new Error(`the token file ${file} is not a regular file`);
  if (stat.size > MAX_TOKEN_FILE_BYTES) throw new Error(`the token file ${file} is larger than 64 KiB`);
  const tokens = (await fs.readFile(file, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (tokens.length === 0) throw new Error(`the token file ${file} has no token (one per line)`);
  const short = tokens.findIndex((token) => token.length < MIN_TOKEN_LENGTH || /\s/.test(token));
  if (short >= 0)
    throw new Error(`token ${short + 1} in ${file} is shorter than ${MIN_TOKEN_LENGTH} characters or contains spaces`);
  return { tokens, file, generated: false };
}

/** Makes a random token and writes it, readable by the user only, into the storage folder. */
export async function generateToken(storageDir: string): Promise<ServeTokens> {
  await fs.mkdir(storageDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const file = path.join(storageDir, GENERATED_TOKEN_FILE);
  await writeFileAtomic(file, `${token}\n`, { mode: 0o600 });
  // write-file-atomic keeps an existing file's mode; make sure it is ours only.
  await fs.chmod(file, 0o600);
  return { tokens: [token], file, generated: true };
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * A verifier for fixed tokens, for the SDK's `verifyBearerToken`. Tokens are compared as SHA-256
 * digests with `timingSafeEqual`, so the comparison takes the same time whatever the guess.
 * Unknown tokens throw the SDK's `OAuthError(invalid_token)`, which it answers with 401.
 */
export function staticTokenVerifier(tokens: readonly string[]): OAuthTokenVerifier {
  const digests = tokens.map(digest);
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const candidate = digest(token);
      let match = -1;
      digests.forEach((known, index) => {
        if (timingSafeEqual(known, candidate) && match < 0) match = index;
      });
      if (match < 0) throw new OAuthError(OAuthErrorCode.InvalidToken, 'Invalid token');
      return {
        token,
        clientId: `token-${match + 1}`,
        scopes: [],
        expiresAt: Math.floor(Date.now() / 1000) + STATIC_TOKEN_LIFETIME_S,
      };
    },
  };
}
