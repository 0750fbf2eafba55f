/**
 * The libraries a workspace's manifests list, with the language each manifest speaks for — what the
 * AGGRESSIVE preload strategy warms before any file imports them. Reads the manifests at the top of
 * the workspace folder with the same readers as the version lookup (`manifests.ts`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ports';
import { loadTomlParser, MANIFEST_READERS } from './manifests';

const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Which language's modules each manifest lists. */
export const MANIFEST_LANGUAGES: Readonly<Record<string, string>> = {
  'package.json': 'javascript',
  'requirements.txt': 'python',
  'pyproject.toml': 'python',
  'go.mod': 'go',
  'Cargo.toml': 'rust',
  'pom.xml': 'java',
};

export interface ManifestLibrary {
  /** The package name as the manifest writes it (`pandas`, `github.com/gin-gonic/gin`, `guava`). */
  module: string;
  language: string;
  /** The version spec the manifest asks for, when it gives one. */
  version?: string;
}

/**
 * Every dependency of the manifests directly in `dir`, once per language and name, in manifest
 * order. A pom.xml dependency appears once, by its artifact id (`guava`): the name a library registry
 * and a docs resolver know it by; `groupId:artifactId` keys are the reader's second spelling of it.
 * A missing, oversized or broken manifest contributes nothing (a broken one is logged); no folder, no
 * libraries.
 */
export async function readManifestLibraries(dir: string | undefined, logger: Logger): Promise<ManifestLibrary[]> {
  const out: ManifestLibrary[] = [];
  if (dir === undefined) return out;
  const seen = new Set<string>();
  for (const [fileName, reader] of Object.entries(MANIFEST_READERS)) {
    const language = MANIFEST_LANGUAGES[fileName];
    if (!language) continue;
    const text = await readSmallFile(path.join(dir, fileName));
    if (text === undefined) continue;
    const versions = new Map<string, string>();
    try {
      reader(text, versions, await loadTomlParser());
    } catch (error) {
      logger.warn(`Could not read the dependencies in ${path.join(dir, fileName)}`, error);
      continue;
    }
    for (const [name, version] of versions) {
      if (fileName === 'pom.xml' && name.includes(':')) continue;
      const key = `${language}\u0000${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ module: name, language, ...(version.trim() ? { version: version.trim() } : {}) });
    }
  }
  return out;
}

async function readSmallFile(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
