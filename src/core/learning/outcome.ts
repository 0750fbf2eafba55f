/** How a command that used MCP knowledge turned out (the guide's `OutcomeType`). */
export const OutcomeType = {
  SUCCESS: 'success',
  PARTIAL: 'partial',
  FAILURE: 'failure',
} as const;

export type OutcomeType = (typeof OutcomeType)[keyof typeof OutcomeType];

/** The share of a success an outcome is worth when estimating success rates. */
export const OUTCOME_VALUE: Record<OutcomeType, number> = { success: 1, partial: 0.5, failure: 0 };

export function isOutcomeType(value: unknown): value is OutcomeType {
  return value === 'success' || value === 'partial' || value === 'failure';
}
