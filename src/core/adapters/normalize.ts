/**
 * Turns every way an MCP server can answer into either a usable `{text, structured}` or one
 * `McpError`: results with `isError: true`, thrown JSON-RPC errors, and normal-looking texts that
 * are really upstream failures. Adapters throw these errors; they never hand error text on as
 * content, so nothing that failed can end up cached.
 */
import { McpError, isMcpError } from '../errors';
import type { CallToolResult } from '../mcp/types';
import { COMMON_UPSTREAM_FAILURES, matchUpstreamFailure, type UpstreamFailurePattern } from './upstream-failures';

export interface NormalizedResult {
  /** The text blocks of the result joined by blank lines. */
  text: string;
  structured?: unknown;
}

export interface NormalizeOptions {
  /** Failure texts to detect in successful-looking results. Default: `COMMON_UPSTREAM_FAILURES`. */
  upstreamPatterns?: readonly UpstreamFailurePattern[];
}

/** The `{name, error}` body memory-bank (and similar servers) put into `isError` results. */
export interface ToolErrorDetail {
  name?: string;
  error: string;
}

const MAX_ERROR_MESSAGE_LENGTH = 500;

/** Joins the text content blocks of a result; non-text blocks (images, resources) are skipped. */
export function resultText(result: CallToolResult): string {
  const blocks = Array.isArray(result.content) ? result.content : [];
  return blocks
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('\n\n');
}

/**
 * Checks one tool result. Returns its text and structured content, or throws an `McpError` of kind
 * `tool-error` (`isError: true`) or `upstream-error` (a failure text matched one of the patterns).
 */
export function normalizeToolResult(
  server: string,
  tool: string,
  result: CallToolResult,
  options: NormalizeOptions = {},
): NormalizedResult {
  const text = resultText(result);
  if (result.isError === true) {
    const detail = parseToolErrorDetail(text);
    const message = detail.name ? `${detail.name}: ${detail.error}` : detail.error;
    throw new McpError('tool-error', server, `${tool}: ${truncate(message)}`, tool, { cause: detail });
  }
  const failure = matchUpstreamFailure(text, options.upstreamPatterns ?? COMMON_UPSTREAM_FAILURES);
  if (failure) {
    throw new McpError('upstream-error', server, `${tool}: ${truncate(text.trim())}`, tool, {
      cause: { pattern: failure.id },
    });
  }
  const normalized: NormalizedResult = { text };
  if (result.structuredContent !== undefined) normalized.structured = result.structuredContent;
  return normalized;
}

/** The `{name, error}` detail of a `tool-error`, when the server sent one. */
export function toolErrorDetail(error: unknown): ToolErrorDetail | undefined {
  if (!isMcpError(error) || error.kind !== 'tool-error') return undefined;
  const cause = error.cause as Partial<ToolErrorDetail> | undefined;
  return cause && typeof cause.error === 'string' ? (cause as ToolErrorDetail) : undefined;
}

function parseToolErrorDetail(text: string): ToolErrorDetail {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isRecord(parsed) && typeof parsed.error === 'string') {
        return typeof parsed.name === 'string' ? { name: parsed.name, error: parsed.error } : { error: parsed.error };
      }
      if (isRecord(parsed) && typeof parsed.message === 'string') return { error: parsed.message };
    } catch {
      // Not JSON after all: the raw text is the message.
    }
  }
  return { error: trimmed || 'tool reported an error without a message' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_MESSAGE_LENGTH ? `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…` : text;
}
