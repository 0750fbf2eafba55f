/**
 * MemberTopics: which members of each library the open documents use, ranked, and which of them
 * already have docs in the cache. The preloader fetches a library's pending members before its
 * generic topics; hovers and first questions read the same entries back (`memberDocsQuery`).
 *
 * Counts are summed over documents, so a member used in two files is one topic (one request);
 * visible documents rank first. A closed document's members stop being wanted at once.
 */
import type { DocumentDetection } from '../detection/types';
import { memberDocsQuery, normaliseVersion } from './queries';

/** One member of a library as a preload topic. */
export interface MemberTopic {
  libraryId: string;
  /** The member path inside the module (`read_csv`, `linalg.norm`). */
  member: string;
  version?: string;
}

/** A used member with what a question may call its library. */
export interface UsedMember extends MemberTopic {
  module: string;
  /** `<module>.<member>` as detection names it. */
  name: string;
  count: number;
  /** The module, its package name and the local names bound to it (`np`, `pd`), lower case. */
  libraryWords: string[];
}

interface DocumentMembers {
  visible: boolean;
  members: UsedMember[];
}

export interface MemberTopicsOptions {
  /** Members preloaded per library at most (most used first). Default 16. */
  maxPerLibrary?: number;
  /** Members asked for outside documents (hovers) remembered at most. Default 200. */
  maxRequested?: number;
}

function topicKey(topic: MemberTopic): string {
  return `${topic.libraryId}\u0000${topic.member}\u0000${normaliseVersion(topic.version) ?? ''}`;
}

export class MemberTopics {
  private readonly documents = new Map<string, DocumentMembers>();
  private readonly done = new Set<string>();
  private readonly requested = new Map<string, MemberTopic>();
  private readonly versions = new Map<string, string>();
  /** Callers waiting for a member's docs (`whenDone`), by topic key. */
  private readonly waiters = new Map<string, Set<() => void>>();
  /** `used()` is asked per library on every edit; it changes only on update or remove. */
  private usedCache: UsedMember[] | undefined;
  private readonly maxPerLibrary: number;
  private readonly maxRequested: number;

  constructor(options: MemberTopicsOptions = {}) {
    this.maxPerLibrary = Math.max(0, options.maxPerLibrary ?? 16);
    this.maxRequested = Math.max(1, options.maxRequested ?? 200);
  }

  /** Records the members a document uses (replacing what it used before). */
  update(detection: DocumentDetection, visible: boolean): void {
    const libraries = new Map(detection.libraries.map((library) => [library.module, library]));
    const aliases = new Map<string, string[]>();
    for (const binding of detection.bindings) {
      const list = aliases.get(binding.module) ?? [];
      if (!binding.path) list.push(binding.localName.toLowerCase());
      aliases.set(binding.module, list);
    }
    const stdlib = new Set(detection.modules.filter((m) => m.stdlib).map((m) => m.name));
    const members: UsedMember[] = [];
    for (const member of detection.members) {
      const library = libraries.get(member.module);
      if (!library?.libraryId || stdlib.has(member.module)) continue;
      if (library.version) this.versions.set(library.libraryId, library.version);
      members.push({
        libraryId: library.libraryId,
        member: member.path,
        ...(library.version ? { version: library.version } : {}),
        module: member.module,
        name: member.name,
        count: member.count,
        libraryWords: [
          ...new Set([
            member.module.toLowerCase(),
            library.packageName.toLowerCase(),
            ...(aliases.get(member.module) ?? []),
          ]),
        ],
      });
    }
    this.documents.set(detection.uri, { visible, members });
    this.usedCache = undefined;
  }

  remove(uri: string): void {
    if (this.documents.delete(uri)) this.usedCache = undefined;
  }

  /** Every member the open documents use, most used first (visible documents' uses first). */
  used(): UsedMember[] {
    this.usedCache ??= this.merge();
    return this.usedCache;
  }

  private merge(): UsedMember[] {
    const merged = new Map<string, UsedMember & { rank: number }>();
    for (const { visible, members } of this.documents.values()) {
      for (const member of members) {
        const key = topicKey(member);
        const existing = merged.get(key);
        const rank = member.count + (visible ? 1_000_000 : 0);
        if (existing) {
          existing.count += member.count;
          existing.rank += rank;
          existing.libraryWords = [...new Set([...existing.libraryWords, ...member.libraryWords])];
        } else merged.set(key, { ...member, rank });
      }
    }
    return [...merged.values()]
      .sort((a, b) => b.rank - a.rank || a.name.localeCompare(b.name))
      .map(({ rank: _rank, ...member }) => member);
  }

  /** The library's members to preload, ranked: used ones (up to the limit), then ones asked for. */
  wanted(libraryId: string): MemberTopic[] {
    const used: MemberTopic[] = this.used()
      .filter((m) => m.libraryId === libraryId)
      .slice(0, this.maxPerLibrary);
    const asked = [...this.requested.values()].filter((t) => t.libraryId === libraryId);
    const seen = new Set(used.map(topicKey));
    return [...used, ...asked.filter((t) => !seen.has(topicKey(t)))];
  }

  /** The first wanted member of the library whose docs are not known to be cached, if any. */
  nextPending(libraryId: string, skip: ReadonlySet<string> = new Set()): MemberTopic | undefined {
    return this.wanted(libraryId).find((topic) => !this.done.has(topicKey(topic)) && !skip.has(topicKey(topic)));
  }

  hasPending(libraryId: string): boolean {
    return this.nextPending(libraryId) !== undefined;
  }

  /** Asks for a member's docs outside any document (a hover on a name detection did not list). */
  request(libraryId: string, member: string): MemberTopic {
    const version = this.versions.get(libraryId);
    const topic: MemberTopic = { libraryId, member, ...(version ? { version } : {}) };
    const key = topicKey(topic);
    this.requested.delete(key);
    this.requested.set(key, topic);
    if (this.requested.size > this.maxRequested) {
      const oldest = this.requested.keys().next().value;
      if (oldest !== undefined) this.requested.delete(oldest);
    }
    return topic;
  }

  /** The member's docs are in the cache (fetched or found there). */
  markDone(topic: MemberTopic): void {
    const key = topicKey(topic);
    this.done.add(key);
    this.requested.delete(key);
    const waiting = this.waiters.get(key);
    this.waiters.delete(key);
    for (const resolve of waiting ?? []) resolve();
  }

  isDone(topic: MemberTopic): boolean {
    return this.done.has(topicKey(topic));
  }

  /** Resolves when the member's docs are marked done; `cancel` forgets the wait. */
  whenDone(topic: MemberTopic): { done: Promise<void>; cancel: () => void } {
    const key = topicKey(topic);
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    if (this.done.has(key)) return { done: Promise.resolve(), cancel: () => undefined };
    const waiting = this.waiters.get(key) ?? new Set<() => void>();
    waiting.add(resolve);
    this.waiters.set(key, waiting);
    const cancel = (): void => {
      waiting.delete(resolve);
      if (waiting.size === 0 && this.waiters.get(key) === waiting) this.waiters.delete(key);
      resolve();
    };
    return { done, cancel };
  }

  /** The manifest version last seen for a library, if any. */
  versionOf(libraryId: string): string | undefined {
    return this.versions.get(libraryId);
  }

  /** The hierarchy query of a member's docs entry. */
  query(topic: MemberTopic): ReturnType<typeof memberDocsQuery> {
    return memberDocsQuery(topic.libraryId, topic.member, topic.version);
  }

  static key(topic: MemberTopic): string {
    return topicKey(topic);
  }
}
