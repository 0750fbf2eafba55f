/** The zod schema of library-cache.yaml (the guide's format, extended with module mappings and versions). */
import { z } from 'zod';
import { checkLinearPattern } from '../triggers/linear-regex';

const libraryIdPattern = /^\/[^/\s]+\/[^/\s]+(\/[^\s]+)?$/;

export const libraryEntrySchema = z.object({
  /** context7-style id, `/org/project`. */
  id: z.string().regex(libraryIdPattern, 'a library id looks like /org/project'),
  /** Other names people use for it (`np`, `sklearn`). */
  aliases: z.array(z.string().min(1)).default([]),
  category: z.string().default('general'),
  description: z.string().default(''),
  /** Language family: python, javascript, go, rust, java, csharp, ruby, php, cpp. Absent: any. */
  language: z.string().optional(),
  /** Package-manager name when it differs from the entry key (`PyYAML`, `scikit-learn`). */
  package: z.string().optional(),
  /**
   * Module names as code imports them when they differ from the package (`yaml`, `sklearn`), or
   * prefixes: a Go module path, a Java package prefix (`org.springframework`).
   */
  modules: z.array(z.string().min(1)).default([]),
  /** Versions with their own docs (`v14.3.0`): the id becomes `/org/project/<version>`. */
  versions: z.array(z.string().min(1)).default([]),
});

const detectionPatternSchema = z.object({
  /** A regular expression; its first group is the module unless `library` names one. */
  pattern: z.string().superRefine((source, ctx) => {
    try {
      checkLinearPattern(source, { multiline: true });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  library: z.string().optional(),
  language: z.string().optional(),
});

export const libraryCacheSchema = z.object({
  common_libraries: z.record(z.string(), libraryEntrySchema).default({}),
  /** Regex fallback for languages without a grammar, kept for compatibility with the guide. */
  detection_patterns: z.record(z.string(), z.array(detectionPatternSchema)).default({}),
});

export type LibraryEntry = z.output<typeof libraryEntrySchema>;
export type DetectionPattern = z.output<typeof detectionPatternSchema>;
export type LibraryCacheFile = z.output<typeof libraryCacheSchema>;
