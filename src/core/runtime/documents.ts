/**
 * The documents a host has open, as detection sees them: the tree-sitter detector (created on the
 * first document, so grammars never load at activation), the incremental document index, and the
 * translation of imports into libraries the preloader and hovers understand.
 */
import type { DetectedLibrary } from '../libraries/types';
import type { DocumentChange, DocumentDetection, HostDocument } from '../detection/types';
import type { TriggerContext } from '../triggers/types';
import { DocumentIndex, type IndexedDocument } from '../detection/document-index';
import { ImportDetector } from '../detection/import-detector';
import type { LibraryCache } from '../libraries/library-cache';
import { detectWorkspace } from '../libraries/workspace';
import type { Logger } from '../ports';
import type { PreloadRequest } from '../preload/predictive-preloader';

export class DocumentTracker {
  private detector: Promise<ImportDetector> | undefined;
  private index: DocumentIndex | undefined;

  constructor(
    private readonly libraries: LibraryCache,
    private readonly logger: Logger,
  ) {}

  private async ready(): Promise<{ detector: ImportDetector; index: DocumentIndex }> {
    this.detector ??= ImportDetector.create({ logger: this.logger });
    const detector = await this.detector;
    this.index ??= new DocumentIndex(detector);
    return { detector, index: this.index };
  }

  async open(document: HostDocument): Promise<DocumentDetection | null> {
    const { index } = await this.ready();
    return this.toDetection(await index.open(document));
  }

  async edit(uri: string, changes: DocumentChange[], newText: string): Promise<DocumentDetection | null> {
    const { index } = await this.ready();
    return this.toDetection(await index.edit(uri, changes, newText));
  }

  close(uri: string): void {
    this.index?.close(uri);
  }

  get(uri: string): DocumentDetection | undefined {
    return this.toDetection(this.index?.get(uri) ?? null) ?? undefined;
  }

  cursorContext(uri: string, offset: number): TriggerContext['cursorNode'] | undefined {
    return this.index?.cursorContext(uri, offset);
  }

  /** Every third-party module a workspace imports, once per language (standard library left out). */
  async workspaceLibraries(dir: string, signal?: AbortSignal): Promise<PreloadRequest[]> {
    const { detector } = await this.ready();
    const workspace = await detectWorkspace(dir, detector, { signal });
    const seen = new Set<string>();
    const requests: PreloadRequest[] = [];
    for (const file of workspace.files) {
      for (const module of file.imports.modules) {
        const key = `${file.languageId}\u0000${module.name}`;
        if (module.stdlib || seen.has(key)) continue;
        seen.add(key);
        requests.push({ module: module.name, language: file.languageId });
      }
    }
    return requests;
  }

  /** Deletes every tree (wasm memory the JS heap cannot see) and the parsers. */
  async dispose(): Promise<void> {
    this.index?.dispose();
    if (this.detector) await (await this.detector).dispose();
  }

  private toDetection(doc: IndexedDocument | null): DocumentDetection | null {
    if (!doc) return null;
    const libraries: DetectedLibrary[] = doc.modules
      .filter((m) => !m.stdlib)
      .map((m) => {
        const entry = this.libraries.entryFor(m.name, doc.languageId);
        return {
          module: m.name,
          packageName: entry?.packageName ?? m.name,
          libraryId: this.libraries.getLibraryId(m.name, doc.languageId),
        };
      });
    return {
      uri: doc.uri,
      language: doc.languageId,
      modules: doc.modules,
      bindings: doc.bindings,
      libraries,
      partial: doc.partial,
    };
  }
}
