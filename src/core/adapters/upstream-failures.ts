/**
 * Text results that look normal (`isError` false) but report an upstream failure. context7 answers
 * rate limits, bad keys, unknown libraries and network failures this way, so they can only be told
 * apart by their wording. Add a row here when a server grows a new failure text.
 */
export interface UpstreamFailurePattern {
  /** Short stable id, used in error messages and metrics. */
  id: string;
  pattern: RegExp;
  /**
   * Only texts up to this many characters are checked against the pattern. Failure texts are
   * short; real documentation that merely mentions "rate limited" is long. Default: 600.
   */
  maxLength?: number;
}

export const DEFAULT_FAILURE_TEXT_MAX_LENGTH = 600;

/** Failure texts any server may return instead of a real answer. */
export const COMMON_UPSTREAM_FAILURES: readonly UpstreamFailurePattern[] = [
  { id: 'fetch-failed', pattern: /^\s*(?:TypeError: )?fetch failed\b/i },
  {
    id: 'network',
    pattern: /^\s*(?:Error: )?(?:connect )?(?:ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN)\b/,
  },
  { id: 'http-status', pattern: /^\s*Request failed with status \d{3}\b/i },
];

/** context7's own failure texts (`@upstash/context7-mcp` `lib/api.js` and `index.js`). */
export const CONTEXT7_UPSTREAM_FAILURES: readonly UpstreamFailurePattern[] = [
  ...COMMON_UPSTREAM_FAILURES,
  { id: 'rate-limited', pattern: /^\s*Rate limited or quota exceeded\b/i },
  { id: 'too-many-requests', pattern: /^\s*(?:429\b|Too many requests\b)/i },
  { id: 'library-missing', pattern: /^\s*The library you are trying to access does not exist\b/i },
  { id: 'invalid-api-key', pattern: /^\s*(?:Invalid API key\b|Unauthorized\b|401\b)/i },
  { id: 'docs-not-found', pattern: /^\s*Documentation not found\b/i },
  { id: 'search-failed', pattern: /^\s*Error searching libraries:/i },
  { id: 'context-failed', pattern: /^\s*Error fetching library context\b/i },
  { id: 'auth-required', pattern: /^\s*Authentication required\b/i },
  // Non-2xx answers carrying a JSON `{message}` are passed through verbatim.
  { id: 'library-not-found', pattern: /^\s*Library \S+ not found\.?\s*$/i },
  { id: 'internal-server-error', pattern: /^\s*Internal server error\.?\s*$/i },
];

/** Returns the first pattern that matches `text`, or undefined when the text looks like an answer. */
export function matchUpstreamFailure(
  text: string,
  patterns: readonly UpstreamFailurePattern[],
): UpstreamFailurePattern | undefined {
  return patterns.find(
    (entry) => text.length <= (entry.maxLength ?? DEFAULT_FAILURE_TEXT_MAX_LENGTH) && entry.pattern.test(text),
  );
}
