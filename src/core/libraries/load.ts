/** Loading library-cache.yaml through the shared YAML loader (located errors, recoverable entries). */
import type { ConfigError } from '../errors';
import { loadYamlText } from '../config/yaml-loader';
import { libraryCacheSchema, type LibraryCacheFile } from './schema';

/** One bad library or pattern is reported and dropped; the rest of the file still applies. */
const RECOVERABLE = ['common_libraries.*', 'detection_patterns.*.*'];

export function loadLibraryCacheText(file: string, text: string): { value?: LibraryCacheFile; errors: ConfigError[] } {
  return loadYamlText(file, text, libraryCacheSchema, { recoverable: RECOVERABLE });
}
