/**
 * Open documents in and docs out: detections are published as events and drive preloading (edits
 * only once the typing settles, so half-typed names never cost an upstream call); hovers read the
 * preloaded docs back from the memory cache.
 */
import type { DocumentChange, DocumentDetection, HostDocument } from '../detection/types';
import type { MemberTopics } from '../preload/member-topics';
import type { PredictivePreloader } from '../preload/predictive-preloader';
import { libraryDocsQuery, memberDocsQuery } from '../preload/queries';
import type { PreloadProgress, PreloadSummary } from '../preload/types';
import type { TriggerContext } from '../triggers/types';
import { Debouncer } from './debouncer';
import type { DocumentTracker } from './documents';
import type { RuntimeEvents } from './events';
import { DISABLED_MESSAGE } from './lookup';
import { preloadTopics } from './preloader';
import type { ConfiguredState } from './reload';

/** Quiet time after the last edit of a document before its detection drives preloading. */
const EDIT_SETTLE_MS = 600;

export interface DocumentFlowDeps {
  state: () => ConfiguredState;
  active: () => boolean;
  documents: DocumentTracker;
  preloader: PredictivePreloader;
  memberTopics: MemberTopics;
  events: RuntimeEvents;
}

const NOTHING_TO_PRELOAD = { libraries: 0, loaded: 0, alreadyCached: 0, failed: 0 };

export class DocumentFlow {
  private readonly editsSettling = new Debouncer(EDIT_SETTLE_MS);

  constructor(private readonly deps: DocumentFlowDeps) {}

  async open(document: HostDocument): Promise<DocumentDetection | null> {
    this.editsSettling.cancel(document.uri);
    return this.publish(await this.deps.documents.open(document), document.visible ?? false);
  }

  async edit(uri: string, changes: DocumentChange[], newText: string): Promise<DocumentDetection | null> {
    const { documents, preloader, events } = this.deps;
    const detection = await documents.edit(uri, changes, newText);
    if (!detection) return null;
    events.emit({ type: 'detection', detection });
    // Preload once the typing settles, from the document as a full parse sees it then.
    this.editsSettling.schedule(uri, () => {
      void documents.settled(uri).then((settled) => {
        if (settled && this.deps.active()) void preloader.preloadForDocument(settled, { visible: true });
      });
    });
    return detection;
  }

  close(uri: string): void {
    this.editsSettling.cancel(uri);
    this.deps.documents.close(uri);
    this.deps.preloader.cancelDocument(uri);
  }

  get(uri: string): DocumentDetection | undefined {
    return this.deps.documents.get(uri);
  }

  cursorContext(uri: string, offset: number): TriggerContext['cursorNode'] | undefined {
    return this.deps.documents.cursorContext(uri, offset);
  }

  cachedDocsFor(libraryId: string): string | null {
    const state = this.deps.state();
    const topic = preloadTopics(state)[0] ?? 'getting started';
    return state.engine.hierarchy.peekCached(libraryDocsQuery(libraryId, topic))?.content ?? null;
  }

  cachedMemberDocs(libraryId: string, member: string): string | null {
    const query = memberDocsQuery(libraryId, member, this.deps.memberTopics.versionOf(libraryId));
    const docs = this.deps.state().engine.hierarchy.peekCached(query)?.content ?? null;
    if (docs === null && this.deps.active()) this.deps.preloader.preloadMember(libraryId, libraryId, member);
    return docs;
  }

  async preloadDocument(uri: string, options: { signal?: AbortSignal } = {}): Promise<PreloadSummary> {
    if (!this.deps.active()) throw new Error(DISABLED_MESSAGE);
    const requests = this.deps.documents.libraryRequests(uri);
    if (requests.length === 0) return { ...NOTHING_TO_PRELOAD, durationMs: 0 };
    return this.deps.preloader.preloadLibraries(requests, options);
  }

  async preloadWorkspace(
    dir: string,
    options: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void } = {},
  ): Promise<PreloadSummary> {
    if (!this.deps.active()) throw new Error(DISABLED_MESSAGE);
    const startedAt = Date.now();
    const requests = await this.deps.documents.workspaceLibraries(dir, options.signal);
    if (requests.length === 0) return { ...NOTHING_TO_PRELOAD, durationMs: Date.now() - startedAt };
    return this.deps.preloader.preloadLibraries(requests, options);
  }

  dispose(): void {
    this.editsSettling.dispose();
  }

  private publish(detection: DocumentDetection | null, visible: boolean): DocumentDetection | null {
    if (!detection) return null;
    this.deps.events.emit({ type: 'detection', detection });
    if (this.deps.active()) void this.deps.preloader.preloadForDocument(detection, { visible });
    return detection;
  }
}
