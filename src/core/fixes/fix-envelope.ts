/**
 * A remembered fix is stored as a small JSON envelope so it can carry an optional edit and who
 * remembered it when; plain text written by other tools into the same memory layer still reads as
 * a solution without an edit.
 */
import type { FixEdit, FixOrigin } from './types';

export type { FixEdit };

interface FixEnvelope {
  kind: 'mcp-integration.fix';
  text: string;
  edit?: FixEdit;
  /** Who remembered it (a partition name from the configuration), when it went to the team. */
  by?: string;
  /** When it was remembered, ms since the epoch. */
  at?: number;
}

/** Names longer than this, or characters outside these, never reach an answer (the value is a teammate's). */
const MAX_NAME = 100;
const NAME_CHARACTERS = /[^\p{L}\p{N} ._@+-]/gu;

export function encodeFix(text: string, edit?: FixEdit, origin?: FixOrigin): string {
  const envelope: FixEnvelope = {
    kind: 'mcp-integration.fix',
    text,
    ...(edit ? { edit } : {}),
    ...(origin?.by !== undefined ? { by: origin.by } : {}),
    ...(origin ? { at: origin.at } : {}),
  };
  return JSON.stringify(envelope);
}

function originOf(envelope: Partial<FixEnvelope>): FixOrigin | undefined {
  const at = envelope.at;
  if (typeof at !== 'number' || !Number.isFinite(at) || at <= 0) return undefined;
  const by = typeof envelope.by === 'string' ? envelope.by.replace(NAME_CHARACTERS, '').trim().slice(0, MAX_NAME) : '';
  return by ? { by, at } : { at };
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
export function decodeFix(content: string): { text: string; edit?: FixEdit; origin?: FixOrigin } {
  try {
    const parsed: unknown = JSON.parse(content);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { kind?: unknown }).kind === 'mcp-integration.fix'
    ) {
      const envelope = parsed as Partial<FixEnvelope>;
      if (typeof envelope.text === 'string') {
        const origin = originOf(envelope);
        return {
          text: envelope.text,
          ...(isEdit(envelope.edit) ? { edit: envelope.edit } : {}),
          ...(origin ? { origin } : {}),
        };
      }
    }
  } catch {
    // Not JSON: a plain-text solution.
  }
  return { text: content };
}
