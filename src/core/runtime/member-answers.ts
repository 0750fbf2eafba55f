/**
 * First questions answered from preloaded member docs. "how do I reshape a numpy array" names a
 * library (numpy, or an alias the workspace binds: `np`) and a member the open documents use
 * (`reshape`); when that member's docs are in the cache, they answer at once — the trail says
 * `preloaded` — while the exact question is fetched in the background, so asking it again gets
 * the precise answer. A question naming no used member changes nothing; only docs questions
 * (library API or general) are answered this way.
 */
import type { FetchResult, KnowledgeQuery } from '../knowledge';
import type { MemberTopics, UsedMember } from '../preload/member-topics';

/** Members whose name alone is too plain to pick a library without the question naming it. */
function distinctive(segment: string): boolean {
  return segment.length >= 4 && (/[_$\d]/.test(segment) || /[a-z][A-Z]/.test(segment));
}

function words(question: string): Set<string> {
  const out = new Set<string>();
  for (const raw of question.match(/[\w$.!/@-]+/g) ?? []) {
    const word = raw.replace(/[.,:;!?]+$/, '').toLowerCase();
    if (!word) continue;
    out.add(word);
    for (const part of word.split(/[./]/)) if (part) out.add(part);
  }
  return out;
}

/**
 * The used member a question names, or undefined. With a library named (by name, package, module
 * or a local alias), any member of it whose last name or path is a word of the question; without
 * one, only distinctive member names (`read_csv`, `useEffect`). Most used first.
 */
export function memberNamedIn(
  question: string,
  used: readonly UsedMember[],
  mentionedLibraryId?: string,
): UsedMember | undefined {
  const asked = words(question);
  const sameLibrary = (id: string): boolean =>
    mentionedLibraryId !== undefined &&
    (id === mentionedLibraryId || id.startsWith(`${mentionedLibraryId}/`) || mentionedLibraryId.startsWith(`${id}/`));
  for (const member of used) {
    const path = member.member.replace(/!$/, '');
    const last = path.split('.').pop() ?? path;
    const wholePath = path.includes('.') && asked.has(path.toLowerCase());
    if (!wholePath && !asked.has(last.toLowerCase())) continue;
    const libraryNamed = sameLibrary(member.libraryId) || member.libraryWords.some((word) => asked.has(word));
    // A dotted path (`optim.SGD`, `ImmutableList.of`) names its library well enough on its own.
    if (libraryNamed || wholePath || distinctive(last)) return member;
  }
  return undefined;
}

export interface MemberAnswerDeps {
  members: MemberTopics;
  /** Cache only (memory, then disk). */
  getCached(query: KnowledgeQuery): Promise<FetchResult | null>;
  /** Asks the exact question in the background (refreshing the cache). */
  fetchInBackground(query: KnowledgeQuery): void;
  /**
   * Waits (bounded) for the member's docs when a preload already under way is fetching them, as in
   * a fresh window where the servers start cold; true when they are cached then.
   */
  awaitPreload(member: UsedMember): Promise<boolean>;
}

/** The preloaded answer for `question`, or null when it names no used member with cached docs. */
export async function answerFromMemberDocs(
  deps: MemberAnswerDeps,
  question: KnowledgeQuery,
  mentionedLibraryId: string | undefined,
): Promise<FetchResult | null> {
  const started = performance.now();
  const member = memberNamedIn(question.text, deps.members.used(), mentionedLibraryId);
  if (!member) return null;
  // The exact question may already be cached: then the ordinary lookup answers it precisely.
  if (await deps.getCached(question)) return null;
  let docs = await deps.getCached(deps.members.query(member));
  let waited = false;
  if (!docs?.content && (await deps.awaitPreload(member))) {
    waited = true;
    docs = await deps.getCached(deps.members.query(member));
  }
  if (!docs?.content) return null;
  deps.fetchInBackground(question);
  const latencyMs = performance.now() - started;
  return {
    success: true,
    content: docs.content,
    source: 'local-cache',
    latencyMs,
    cached: true,
    contextType: question.contextType,
    trail: [
      {
        layer: 'local-cache',
        outcome: 'preloaded',
        latencyMs,
        detail: `docs of ${member.name}${waited ? ', once the preload under way had them' : ''}`,
      },
    ],
  };
}
