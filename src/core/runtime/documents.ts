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
import type { PreloadRequest } from '../preload/types';
import { ManifestVersions } from './manifest-versions';

const VERSIONS_MAX_AGE_MS = 30_000;

export class DocumentTracker {
  private detector: Promise<ImportDetector> | undefined;
  private index: DocumentIndex | undefined;
  private readonly manifests: ManifestVersions;
  /** Dependency versions per open document, read when it opens and at most every 30 s after (never per keystroke). */
  private readonly versions = new Map<string, Map<string, string>>();
  private readonly versionsReadAt = new Map<string, number>();

  constructor(
    private readonly libraries: LibraryCache,
    private readonly logger: Logger,
    workspaceFolder?: string,
  ) {
    this.manifests = new ManifestVersions(workspaceFolder, logger);
  }

  private async ready(): Promise<{ detector: ImportDetector; index: DocumentIndex }> {
    this.detector ??= ImportDetector.create({ logger: this.logger });
    const detector = await this.detector;
    this.index ??= new DocumentIndex(detector);
    return { detector, index: this.index };
  }

  async open(document: HostDocument): Promise<DocumentDetection | null> {
    const { index } = await this.ready();
    const [indexed, versions] = await Promise.all([
      index.open(document),
      this.manifests.forDocument(document.uri).catch((error: unknown) => {
        this.logger.debug(`Could not read the manifests around ${document.uri}`, error);
        return new Map<string, string>();
      }),
    ]);
    this.versions.set(document.uri, versions);
    this.versionsReadAt.set(document.uri, Date.now());
    return this.toDetection(indexed);
  }

  /** Edits use the versions read last; a read older than 30 s is repeated in the background. */
  private refreshVersionsNow(uri: string): void {
    const readAt = this.versionsReadAt.get(uri);
    if (readAt === undefined || Date.now() - readAt < VERSIONS_MAX_AGE_MS) return;
    this.versionsReadAt.set(uri, Date.now());
    void this.manifests.forDocument(uri).then(
      (versions) => {
        if (this.versions.has(uri)) this.versions.set(uri, versions);
      },
      (error: unknown) => this.logger.debug(`Could not read the manifests around ${uri}`, error),
    );
  }

  async edit(uri: string, changes: DocumentChange[], newText: string): Promise<DocumentDetection | null> {
    const { index } = await this.ready();
    this.refreshVersionsNow(uri);
    return this.toDetection(await index.edit(uri, changes, newText));
  }

  /** The document once the whole-tree reparse deferred by its last edits has run (forced now if pending). */
  async settled(uri: string): Promise<DocumentDetection | null> {
    return this.toDetection((await this.index?.settled(uri)) ?? null);
  }

  close(uri: string): void {
    this.index?.close(uri);
    this.versions.delete(uri);
    this.versionsReadAt.delete(uri);
  }

  get(uri: string): DocumentDetection | undefined {
    return this.toDetection(this.index?.get(uri) ?? null) ?? undefined;
  }

  /** Preload requests for an open document's libraries (standard-library modules left out). */
  libraryRequests(uri: string): PreloadRequest[] {
    const detection = this.get(uri);
    if (!detection) return [];
    const stdlib = new Set(detection.modules.filter((m) => m.stdlib).map((m) => m.name));
    return detection.libraries
      .filter((library) => !stdlib.has(library.module))
      .map((library) => ({ module: library.module, language: detection.language, libraryId: library.libraryId }));
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
    const versions = this.versions.get(doc.uri);
    const libraries: DetectedLibrary[] = doc.modules
      .filter((m) => !m.stdlib)
      .map((m) => {
        const entry = this.libraries.entryFor(m.name, doc.languageId);
        const packageName = entry?.packageName ?? m.name;
        const version = versions?.get(packageName) ?? versions?.get(m.name);
        return {
          module: m.name,
          packageName,
          libraryId: this.libraries.getLibraryId(m.name, doc.languageId),
          ...(version ? { version } : {}),
        };
      });
    return {
      uri: doc.uri,
      language: doc.languageId,
      modules: doc.modules,
      bindings: doc.bindings,
      members: doc.members,
      libraries,
      partial: doc.partial,
    };
  }
}
