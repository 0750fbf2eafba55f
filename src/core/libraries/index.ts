export { LibraryCache, type LibraryCacheOptions, type LibraryResolver, type ResolveOptions } from './library-cache';
export { LibraryRegistry, normaliseName, type RegistryEntry } from './registry';
export {
  libraryCacheSchema,
  libraryEntrySchema,
  type LibraryCacheFile,
  type LibraryEntry,
  type DetectionPattern,
} from './schema';
export { loadLibraryCacheText } from './load';
export { readManifests } from './manifests';
export {
  detectWorkspace,
  DEFAULT_SKIP_DIRS,
  type DetectWorkspaceOptions,
  type FileDetection,
  type WorkspaceDetection,
} from './workspace';
export { detectWithPatterns, patternsFor, type PatternMatch } from './pattern-detection';
export { languageFamily } from './language-family';
export { selectVersion } from './versions';
