export {
  PredictivePreloader,
  type CommandPreloadContext,
  type PredictivePreloaderOptions,
  type PreloadRequest,
} from './predictive-preloader';
export type { PreloadHierarchyPort, PreloadLearningPort, PreloadLibrariesPort, PreloadManifestPort } from './ports';
export { DEFAULT_TOPICS, libraryDocsQuery } from './queries';
export type { JobOutcome } from './job-queue';
