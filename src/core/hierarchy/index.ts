/** The KnowledgeHierarchy and its public types. */
export { KnowledgeHierarchy, LOCAL_CACHE } from './knowledge-hierarchy';
export { LOST_HEDGE } from './walk';
export type {
  CacheAddress,
  CacheLookupEvent,
  CacheMode,
  HierarchyFetchOptions,
  HierarchyLayer,
  HierarchyMode,
  HierarchyObserver,
  HierarchyStats,
  HierarchyStoreOptions,
  KnowledgeHierarchyOptions,
  LayerAttemptEvent,
  LayerStats,
  StoreReport,
  WriteBackOptions,
} from './types';
