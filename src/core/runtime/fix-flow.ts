/**
 * Fixes through the hierarchy: a diagnostic's signature is the key; a found fix is decoded from
 * its envelope (text and optional edit); a remembered one is encoded into it; the person's verdict
 * teaches routing and refreshes a fix that worked.
 */
import { errorSignature } from '../fixes/error-signature';
import { decodeFix, encodeFix } from '../fixes/fix-envelope';
import type { DiagnosticInfo, FixResult } from '../fixes/types';
import { CONTEXT_TYPES, type ContextType, type FetchResult } from '../knowledge';
import type { LearningSystem } from '../learning/learning-system';
import { learnFixOutcome } from './fix-outcome';
import type { LookupOptions } from './lookup';
import type { StoreResult } from './store-result';

export interface FixFlowDeps {
  lookup(query: string, options: LookupOptions): Promise<FetchResult>;
  store(key: string, value: string, options: { contextType: ContextType }): Promise<StoreResult>;
  /** Built after the flows are wired, so read when needed. */
  learning: () => LearningSystem;
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
    return { ...result, content: fix.text, signature, ...(fix.edit ? { edit: fix.edit } : {}) };
  }

  async recordOutcome(diagnostic: DiagnosticInfo, fix: FixResult, worked: boolean): Promise<void> {
    learnFixOutcome(this.deps.learning(), fix, worked);
    if (worked && fix.content) await this.remember(diagnostic, fix.content, fix.edit);
  }

  async remember(diagnostic: DiagnosticInfo, solution: string, edit?: FixResult['edit']): Promise<string> {
    const signature = errorSignature(diagnostic);
    await this.deps.store(signature, encodeFix(solution, edit), { contextType: CONTEXT_TYPES.errorSolution });
    return signature;
  }
}
