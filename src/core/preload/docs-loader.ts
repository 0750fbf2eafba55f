/**
 * What one library job fetches: the members open documents use (most used first), then the
 * generic topics. Each docs entry already in the cache costs nothing; every other one takes a call
 * from the scheduler's budgets first.
 */
import type { KnowledgeQuery } from '../knowledge';
import type { Logger } from '../ports';
import type { PreloadJob } from './job-queue';
import { MemberTopics } from './member-topics';
import type { PreloadHierarchyPort } from './ports';
import { libraryDocsQuery } from './queries';
import type { JobResult } from './scheduler';

export interface DocsLoaderDeps {
  hierarchy: PreloadHierarchyPort;
  members: MemberTopics;
  topics: readonly string[];
  logger: Logger;
  /** Takes one call from the budgets; false when the cost budget is spent. */
  spendCall(signal: AbortSignal): Promise<boolean>;
  budgetSpent(): boolean;
}

/** One docs entry: false when already cached, true when fetched, else how the job ends. */
type Step = boolean | JobResult;

export class DocsLoader {
  constructor(private readonly deps: DocsLoaderDeps) {}

  async load(job: PreloadJob, signal: AbortSignal): Promise<JobResult> {
    const { members } = this.deps;
    let fetched = 0;
    // Used members first, re-read after each fetch: documents opened, edited or closed meanwhile count.
    const attempted = new Set<string>();
    for (
      let topic = members.nextPending(job.libraryId, attempted);
      topic;
      topic = members.nextPending(job.libraryId, attempted)
    ) {
      attempted.add(MemberTopics.key(topic));
      const step = await this.loadQuery(members.query(topic), signal);
      // One member without docs must not cost the library its other docs: note it and go on.
      if (typeof step !== 'boolean' && (step.outcome !== 'failed' || this.deps.budgetSpent())) return step;
      if (typeof step !== 'boolean')
        this.deps.logger.debug(`No docs for ${topic.member} of ${job.libraryId}: ${step.error}`);
      members.markDone(topic);
      if (step === true) fetched += 1;
    }
    for (const topic of this.deps.topics) {
      const step = await this.loadQuery(libraryDocsQuery(job.libraryId, topic), signal);
      if (typeof step !== 'boolean') return step;
      if (step) fetched += 1;
    }
    return { outcome: fetched === 0 ? 'alreadyCached' : 'loaded' };
  }

  private async loadQuery(query: KnowledgeQuery, signal: AbortSignal): Promise<Step> {
    if (await this.deps.hierarchy.isCached(query)) return false;
    if (signal.aborted) return { outcome: 'cancelled' };
    if (!(await this.deps.spendCall(signal))) return { outcome: 'failed', error: 'the preload cost budget is spent' };
    const result = await this.deps.hierarchy.fetch(query, signal);
    // Aborted while the fetch ran (the compiler cannot know the await changed it).
    if (aborted(signal)) return { outcome: 'cancelled' };
    if (!result.success) return { outcome: 'failed', error: result.error ?? 'the docs could not be fetched' };
    return true;
  }
}

function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
