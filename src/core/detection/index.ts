export {
  ImportDetector,
  DEFAULT_MAX_FILE_BYTES,
  type ImportDetectorOptions,
  type DetectorStats,
} from './import-detector';
export { DocumentIndex, type IndexedDocument } from './document-index';
export { languageIdForPath, specFor, SUPPORTED_LANGUAGES } from './languages';
export type { ExtractedImports, ImportRecord } from './types';
export { classifyCursor, boundNamesOf, type CursorNodeKind } from './cursor-context';
