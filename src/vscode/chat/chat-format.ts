/**
 * The pure parts of the chat surfaces (no `vscode` import, so unit tests run in plain Node): how
 * an answer's facts are worded, how a follow-up says whether a fix worked, and what a `/fix`
 * turn leaves in the chat history for the next turn.
 */
import type { DiagnosticInfo, FixResult } from '../../core/api';
import { rememberedNote } from '../../core/fixes/remembered-note';
import type { FetchResult } from '../../core/knowledge';

/** The longest answer put into a chat response or tool result; the panel shows the whole answer. */
export const MAX_CHAT_ANSWER_CHARS = 20_000;

/** "source: docs · 412 ms · not cached", and for a fix that says so "· remembered by alice, <when>". */
export function answerFacts(
  result: Pick<FetchResult, 'source' | 'latencyMs' | 'cached'> &
    Partial<Pick<FixResult, 'rememberedBy' | 'rememberedAt'>>,
): string {
  const latency = result.latencyMs < 10 ? result.latencyMs.toFixed(1) : Math.round(result.latencyMs).toString();
  const remembered = rememberedNote(result);
  return `source: ${result.source ?? 'none'} · ${latency} ms · ${result.cached ? 'cached' : 'not cached'}${
    remembered ? ` · ${remembered}` : ''
  }`;
}

/** The answer text for a chat or a tool result: bounded, with the facts on the last line. */
export function answerText(result: FetchResult & Partial<Pick<FixResult, 'rememberedBy' | 'rememberedAt'>>): string {
  const body = result.success ? (result.content ?? '') : `No answer: ${result.error ?? 'no layer had one'}`;
  const bounded = body.length > MAX_CHAT_ANSWER_CHARS ? `${body.slice(0, MAX_CHAT_ANSWER_CHARS)}\n…` : body;
  return `${bounded}\n\n(${answerFacts(result)})`;
}

const WORKED =
  /^\s*(yes\b|yep\b|it\s+work(?:s|ed)\b|work(?:s|ed)\b|that\s+work(?:s|ed)\b|fixed\b|solved\b|it'?s\s+fixed\b)/iu;
const FAILED =
  /^\s*(no\b|nope\b|it\s+(?:did\s*n[o']?t|does\s*n[o']?t)\s+work|(?:did\s*n[o']?t|does\s*n[o']?t|not)\s+work|still\s+(?:broken|failing|fails)|it\s+failed\b|failed\b)/iu;

/** What a follow-up to a fix says about it: worked, did not, or neither (a new question). */
export function followUpOutcome(prompt: string): 'worked' | 'failed' | undefined {
  if (FAILED.test(prompt)) return 'failed';
  if (WORKED.test(prompt)) return 'worked';
  return undefined;
}

/** What a `/fix` turn keeps in its result metadata, so a follow-up can teach the outcome. */
export interface FixTurnMetadata {
  command: 'fix';
  diagnostic: DiagnosticInfo;
  fix?: FixResult;
  /** Set once the outcome was recorded, so a second "it worked" does not count twice. */
  outcome?: 'worked' | 'failed';
}

export function isFixTurnMetadata(value: unknown): value is FixTurnMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const meta = value as Partial<FixTurnMetadata>;
  return meta.command === 'fix' && typeof meta.diagnostic?.message === 'string';
}

/** The latest `/fix` turn of this participant in a history (newest last), if any. */
export function latestFixTurn(
  results: ReadonlyArray<{ participant: string; metadata: unknown }>,
  participant: string,
): FixTurnMetadata | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const turn = results[i];
    if (turn?.participant !== participant) continue;
    if (isFixTurnMetadata(turn.metadata)) return turn.metadata;
  }
  return undefined;
}
