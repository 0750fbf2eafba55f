/**
 * A remembered fix is stored as a small JSON envelope so it can carry an optional edit; plain text
 * written by other tools into the same memory layer still reads as a solution without an edit.
 */
import type { FixResult } from './types';

export type FixEdit = NonNullable<FixResult['edit']>;

interface FixEnvelope {
  kind: 'mcp-integration.fix';
  text: string;
  edit?: FixEdit;
}

export function encodeFix(text: string, edit?: FixEdit): string {
  const envelope: FixEnvelope = { kind: 'mcp-integration.fix', text, ...(edit ? { edit } : {}) };
  return JSON.stringify(envelope);
}

function isEdit(value: unknown): value is FixEdit {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['startLine', 'startCharacter', 'endLine', 'endCharacter'].every(
      (k) => Number.isInteger(v[k]) && (v[k] as number) >= 0,
    ) && typeof v.newText === 'string'
  );
}

/** Reads stored content: our envelope (validated field by field, it is untrusted) or plain text. */
export function decodeFix(content: string): { text: string; edit?: FixEdit } {
  try {
    const parsed: unknown = JSON.parse(content);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { kind?: unknown }).kind === 'mcp-integration.fix'
    ) {
      const envelope = parsed as Partial<FixEnvelope>;
      if (typeof envelope.text === 'string')
        return isEdit(envelope.edit) ? { text: envelope.text, edit: envelope.edit } : { text: envelope.text };
    }
  } catch {
    // Not JSON: a plain-text solution.
  }
  return { text: content };
}
