/** Reading a tool's structured answer: `structuredContent` when present, else the text as JSON. */
import type { NormalizedResult } from './normalize';

/** The structured content of a result, or its text parsed as JSON, or undefined. */
export function structuredOrJson(result: NormalizedResult): unknown {
  if (result.structured !== undefined) return result.structured;
  const text = result.text.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
