/**
 * Reading `resolve-library-id`'s text answer and choosing the best library: name match first,
 * then source reputation (or the older numeric trust score), benchmark score and snippet count.
 */

export interface LibraryCandidate {
  id: string;
  title: string;
  /** 0–10; derived from "Source Reputation: High/Medium/Low" or the older "Trust Score: 7.5". */
  trust?: number;
  benchmarkScore?: number;
  snippets?: number;
  versions: string[];
}

const REPUTATION_TRUST: Record<string, number> = { high: 9, medium: 5.5, low: 2 };

/** Parses the `- Field: value` blocks of context7's resolve answer (blocks split by `----------`). */
export function parseLibraryCandidates(text: string): LibraryCandidate[] {
  return text.split(/^-{5,}\s*$/m).flatMap((block): LibraryCandidate[] => {
    const fields = new Map<string, string>();
    for (const match of block.matchAll(/^\s*-\s*([A-Za-z0-9 -]+?):\s*(.*)$/gm)) {
      fields.set((match[1] as string).trim().toLowerCase(), (match[2] as string).trim());
    }
    const id = fields.get('context7-compatible library id') ?? fields.get('library id');
    if (!id || !id.startsWith('/')) return [];
    const reputation = fields.get('source reputation')?.toLowerCase();
    const trustScore = toNumber(fields.get('trust score'));
    return [
      {
        id,
        title: fields.get('title') ?? fields.get('name') ?? id,
        trust: trustScore ?? (reputation ? REPUTATION_TRUST[reputation] : undefined),
        benchmarkScore: toNumber(fields.get('benchmark score')),
        snippets: toNumber(fields.get('code snippets')),
        versions: (fields.get('versions') ?? '')
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      },
    ];
  });
}

/** The candidate that best fits `libraryName`, or undefined for an empty list. */
export function chooseLibrary(
  candidates: readonly LibraryCandidate[],
  libraryName: string,
): LibraryCandidate | undefined {
  let best: LibraryCandidate | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const candidate of candidates) {
    const score = candidateScore(candidate, libraryName);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function candidateScore(candidate: LibraryCandidate, libraryName: string): number {
  const wanted = normalizeName(libraryName);
  const names = [
    candidate.title,
    candidate.id.split('/').filter(Boolean)[1] ?? '',
    candidate.id.split('/').pop() ?? '',
  ].map(normalizeName);
  let nameMatch = 0;
  if (names.includes(wanted)) nameMatch = 100;
  else if (names.some((name) => name.startsWith(wanted) || wanted.startsWith(name))) nameMatch = 40;
  else if (names.some((name) => name.includes(wanted))) nameMatch = 20;
  const trust = (candidate.trust ?? 3) * 3;
  const benchmark = (candidate.benchmarkScore ?? 0) / 10;
  const snippets = Math.log10(1 + (candidate.snippets ?? 0));
  return nameMatch + trust + benchmark + snippets;
}

/** `Next.js`, `nextjs` and `next-js` compare equal. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
