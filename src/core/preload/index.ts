export {
  PredictivePreloader,
  type CommandPreloadContext,
  type PredictivePreloaderOptions,
  type PreloadRequest,
} from './predictive-preloader';
export type { PreloadHierarchyPort, PreloadLearningPort, PreloadLibrariesPort, PreloadManifestPort } from './ports';
export { DEFAULT_TOPICS, docsEntryKey, libraryDocsQuery, memberDocsQuery, normaliseVersion } from './queries';
export { MemberTopics, type MemberTopic, type UsedMember } from './member-topics';
export type { JobOutcome } from './job-queue';
