/** The LearningSystem's persisted shape and its validation (anything else is treated as corrupt). */
import { z } from 'zod';

const sums = z.object({
  weight: z.number().nonnegative(),
  success: z.number().nonnegative(),
  latencySum: z.number().nonnegative(),
  latencyWeight: z.number().nonnegative(),
  updatedAt: z.number(),
});

const learningStateSchema = z.object({
  version: z.literal(1),
  estimates: z.array(sums.extend({ contextType: z.string(), server: z.string() })),
  cooccurrence: z.array(
    z.object({ command: z.string(), library: z.string(), weight: z.number().nonnegative(), updatedAt: z.number() }),
  ),
  outcomes: z.object({
    success: z.number().nonnegative(),
    partial: z.number().nonnegative(),
    failure: z.number().nonnegative(),
  }),
});

export type LearningState = z.infer<typeof learningStateSchema>;

export function initialLearningState(): LearningState {
  return { version: 1, estimates: [], cooccurrence: [], outcomes: { success: 0, partial: 0, failure: 0 } };
}

export function validateLearningState(value: unknown): LearningState | null {
  const parsed = learningStateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
