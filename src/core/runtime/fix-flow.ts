/**
 * Fixes through the hierarchy: a diagnostic's signature is the key; a found fix is decoded from
 * its envelope (text, optional edit, who remembered it when); a remembered one is encoded into it
 * and, with team memory on, marked for the team partition and signed with this instance's
 * partition name; the person's verdict teaches routing and refreshes a fix that worked.
 */
import { errorSignature } from '../fixes/error-signature';
import { decodeFix, encodeFix } from '../fixes/fix-envelope';
import type { DiagnosticInfo, FixOrigin, FixResult } from '../fixes/types';
import { CONTEXT_TYPES, type ContextType, type FetchResult } from '../knowledge';
import type { LearningSystem } from '../learning/learning-system';
import { TEAM_MEMORY_FLAG } from '../store/partitions';
import { learnFixOutcome } from './fix-outcome';
import type { LookupOptions } from './lookup';
import type { StoreResult } from './store-result';

export interface FixFlowDeps {
  lookup(query: string, options: LookupOptions): Promise<FetchResult>;
  store(
    key: string,
    value: string,
    options: { contextType: ContextType; metadata?: Record<string, unknown> },
  ): Promise<StoreResult>;
  /** Built after the flows are wired, so read when needed. */
  learning: () => LearningSystem;
  /** With team memory on: the name remembered fixes are signed with (the partition); else undefined. */
  teamMember: () => string | undefined;
  now?: () => number;
}

export class FixFlow {
  constructor(private readonly deps: FixFlowDeps) {}

  async find(diagnostic: DiagnosticInfo, signal?: AbortSignal): Promise<FixResult> {
    const signature = errorSignature(diagnostic);
    const result = await this.deps.lookup(signature, {
      contextType: CONTEXT_TYPES.errorSolution,
      language: diagnostic.language,
      command: 'find-fix',
      signal,
    });
    if (!result.success || result.content === null) return { ...result, signature };
    const fix = decodeFix(result.content);
    return {
      ...result,
      content: fix.text,
      signature,
      ...(fix.edit ? { edit: fix.edit } : {}),
      ...(fix.origin?.by !== undefined ? { rememberedBy: fix.origin.by } : {}),
      ...(fix.origin ? { rememberedAt: fix.origin.at } : {}),
    };
  }

  async recordOutcome(diagnostic: DiagnosticInfo, fix: FixResult, worked: boolean): Promise<void> {
    learnFixOutcome(this.deps.learning(), fix, worked);
    // Refreshed under its original author: confirming a teammate's fix does not make it one's own.
    const origin =
      fix.rememberedAt !== undefined
        ? { at: fix.rememberedAt, ...(fix.rememberedBy !== undefined ? { by: fix.rememberedBy } : {}) }
        : undefined;
    if (worked && fix.content) await this.remember(diagnostic, fix.content, fix.edit, origin);
  }

  async remember(
    diagnostic: DiagnosticInfo,
    solution: string,
    edit?: FixResult['edit'],
    origin?: FixOrigin,
  ): Promise<string> {
    const signature = errorSignature(diagnostic);
    const member = this.deps.teamMember();
    const at = origin?.at ?? (this.deps.now ?? Date.now)();
    const by = origin?.by ?? member;
    await this.deps.store(signature, encodeFix(solution, edit, { at, ...(by !== undefined ? { by } : {}) }), {
      contextType: CONTEXT_TYPES.errorSolution,
      ...(member !== undefined ? { metadata: { [TEAM_MEMORY_FLAG]: true } } : {}),
    });
    return signature;
  }
}
