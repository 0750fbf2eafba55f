/** What the library registry says about a detected module. */

export interface DetectedLibrary {
  module: string;
  /** Package name where it differs from the module (`yaml` → `PyYAML`). */
  packageName: string;
  libraryId: string | null;
  version?: string;
}
