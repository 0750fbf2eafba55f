/**
 * Secret redaction. Server errors carry a server's stderr and error text verbatim, and a server
 * that echoes its environment (or an upstream that echoes a request) would put a token into
 * statuses, lookup errors, trails, warnings, logs, exports and the dashboard. Every value that
 * came from a `${secret:…}` placeholder, and every value of an env variable or header whose name
 * looks like a credential, is replaced by `MASK` wherever the product shows, returns, exports or
 * logs text; well-known token formats are masked even when nobody declared them.
 *
 * The redactor is applied at the runtime's boundaries (its ports and its API), not inside the
 * connection code, so a new transport or SDK cannot forget it.
 */
import type { ServerDefinition } from './mcp/types';

export const MASK = '‹redacted›';

/** Names of env variables and headers that hold credentials. */
const SECRET_NAME = /token|secret|passw(or)?d|api[_-]?key|auth|credential|private[_-]?key|session|cookie/i;
/** Token formats worth masking even undeclared: GitHub, OpenAI-style, Slack, bearer headers. */
const TOKEN_FORMATS =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,})|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** Declared secrets shorter than this are not masked (masking "1" would garble every number). */
const MIN_SECRET_CHARS = 4;
/** Values of credential-looking names must be at least this long and not a plain word like `true`. */
const MIN_HEURISTIC_CHARS = 8;

export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class SecretRedactor {
  private readonly values = new Set<string>();
  private ordered: string[] = [];

  /** Remembers a value to mask (a resolved `${secret:…}`). */
  add(value: string | undefined, minChars = MIN_SECRET_CHARS): void {
    if (value === undefined || value.length < minChars || this.values.has(value)) return;
    this.values.add(value);
    // Longest first, so a secret that contains another is masked whole.
    this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  /** Remembers the credential-looking env values and headers of server definitions. */
  addFromServers(definitions: readonly ServerDefinition[]): void {
    for (const definition of definitions) {
      const t = definition.transport;
      const named = t.transport === 'stdio' ? t.env : t.headers;
      for (const [name, value] of Object.entries(named)) {
        if (looksLikeSecretName(name) && !/^(true|false|yes|no|on|off|\d+)$/i.test(value))
          this.add(value, MIN_HEURISTIC_CHARS);
      }
    }
  }

  /** The text with every known secret and token-looking word masked. */
  redact(text: string): string {
    return this.redactKnown(text).replace(TOKEN_FORMATS, MASK);
  }

  /** Masks only the declared secrets (for answers, where a token-looking example is legitimate text). */
  redactKnown(text: string): string {
    let out = text;
    for (const value of this.ordered) if (out.includes(value)) out = out.split(value).join(MASK);
    return out;
  }

  /** A copy of a JSON-like value with every string redacted (objects, arrays; other values as they are). */
  redactDeep<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 32 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1));
    if (value instanceof Error) {
      const copy = new Error(this.redact(value.message));
      copy.stack = value.stack === undefined ? undefined : this.redact(value.stack);
      return copy;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v, depth + 1)]));
  }
}
