/**
 * Who wants a preload job. A job lives while at least one holder wants it: a document (until it
 * closes), an explicit request (until it is aborted), or background work (documents' neighbours,
 * commands, manifests, predictions; until background preloading stops).
 */
export type JobHolder =
  | { readonly kind: 'document'; readonly uri: string }
  | { readonly kind: 'request'; readonly id: number }
  | { readonly kind: 'background' };

export const BACKGROUND_HOLDER: JobHolder = { kind: 'background' };

export function documentHolder(uri: string): JobHolder {
  return { kind: 'document', uri };
}

export function requestHolder(id: number): JobHolder {
  return { kind: 'request', id };
}

/** The identity of a holder within a job (two equal holders are one). */
export function holderKey(holder: JobHolder): string {
  switch (holder.kind) {
    case 'document':
      return `document\u0000${holder.uri}`;
    case 'request':
      return `request\u0000${holder.id}`;
    case 'background':
      return 'background';
  }
}

/** Explicit requests run whatever the strategy, and check the cache even for a library already ready. */
export function isExplicit(holder: JobHolder): boolean {
  return holder.kind === 'request';
}
