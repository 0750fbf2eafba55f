/**
 * "remembered by alice, 2026-12-02 14:05 UTC": the line every surface (answer panel, chat, the
 * gateway's `find_fix`) shows under a found fix that says who remembered it and when. UTC, to the
 * minute, so teammates in other time zones read the same moment.
 */
import type { FixResult } from './types';

export function rememberedNote(fix: Pick<FixResult, 'rememberedBy' | 'rememberedAt'>): string | undefined {
  if (fix.rememberedAt === undefined) return undefined;
  const when = `${new Date(fix.rememberedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return fix.rememberedBy ? `remembered by ${fix.rememberedBy}, ${when}` : `remembered ${when}`;
}
