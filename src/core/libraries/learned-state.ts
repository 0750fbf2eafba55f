/** Library ids learned through the resolver, persisted so each library is resolved once. */
import { z } from 'zod';

export const learnedStateSchema = z.object({
  version: z.literal(1),
  /** Key: `<family>:<name>` (lower-cased). `id: null` remembers that nothing was found. */
  entries: z.record(z.string(), z.object({ id: z.string().nullable(), resolvedAt: z.number() })),
});

export type LearnedState = z.output<typeof learnedStateSchema>;

export function emptyLearnedState(): LearnedState {
  return { version: 1, entries: {} };
}

export function validateLearnedState(value: unknown): LearnedState | null {
  const parsed = learnedStateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
