/** SmartTrigger's vocabulary: where a query comes from and what it matched. */
import type { ContextType } from '../knowledge';

/** What SmartTrigger knows about where a query comes from. */
export interface TriggerContext {
  language?: string;
  diagnosticSource?: string;
  diagnosticCode?: string;
  /** Syntax around the cursor, as the detection layer classified it. */
  cursorNode?: 'import' | 'call-of-imported-name' | 'error-handling' | 'other';
}

export interface TriggerMatch {
  server: string;
  contextType: ContextType;
  confidence: number;
  /** The rule that matched (pattern text or condition). */
  rule: string;
}
