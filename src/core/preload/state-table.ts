/**
 * The preload state of each library, as the dashboard and `getDashboardData().libraries` show it:
 * its status, the documents that import it, the last error. Bounded: beyond `maxEntries` the least
 * recently updated library without a job is forgotten. Unresolved modules have a row too (keyed
 * `?<module>`, with an empty library id) so the dashboard can say why they were skipped.
 */
import type { LibraryPreloadState, LibraryPreloadStatus } from './types';

export interface PreloadStateTableOptions {
  now: () => number;
  /** Whether a library has a queued or loading job (such a row is never forgotten). */
  busy: (key: string) => boolean;
  /** Default 1000. */
  maxEntries?: number;
}

export class PreloadStateTable {
  private readonly rows = new Map<string, LibraryPreloadState>();

  constructor(private readonly options: PreloadStateTableOptions) {}

  get(key: string): LibraryPreloadState | undefined {
    return this.rows.get(key);
  }

  /** Sets a library's status (keeping its documents), adding `documentUri` to them when given. */
  set(key: string, module: string, status: LibraryPreloadStatus, documentUri?: string, error?: string): void {
    const previous = this.rows.get(key);
    const documents = previous?.documents ?? [];
    if (documentUri && !documents.includes(documentUri)) documents.push(documentUri);
    this.rows.delete(key);
    this.rows.set(key, {
      libraryId: key.startsWith('?') ? '' : key,
      module: previous?.module ?? module,
      status,
      documents,
      ...(error !== undefined ? { error } : {}),
      updatedAt: this.options.now(),
    });
    if (this.rows.size > (this.options.maxEntries ?? 1000)) {
      const oldest = this.rows.keys().next().value;
      if (oldest !== undefined && !this.options.busy(oldest)) this.rows.delete(oldest);
    }
  }

  /** Records that a document imports a library, without touching its status or time. */
  addDocument(key: string, documentUri: string): void {
    const row = this.rows.get(key);
    if (row && !row.documents.includes(documentUri)) row.documents.push(documentUri);
  }

  /** A closed document no longer imports anything. */
  removeDocument(uri: string): void {
    for (const row of this.rows.values()) row.documents = row.documents.filter((d) => d !== uri);
  }

  /** Copies, so a reader cannot change the table. */
  snapshot(): LibraryPreloadState[] {
    return [...this.rows.values()].map((s) => ({ ...s, documents: [...s.documents] }));
  }
}
