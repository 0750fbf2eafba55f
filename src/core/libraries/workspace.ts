/**
 * detectWorkspace: walks a folder (skipping dependency, VCS, virtualenv and build folders), detects
 * the imports of every supported file, and reads the manifests at its root. Bounded in files, bytes
 * and time; cancellable. Used by the preloader and the CLI `detect` / `preload` commands.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImportDetector } from '../detection/import-detector';
import { languageIdForPath } from '../detection/languages';
import type { ExtractedImports } from '../detection/types';
import { readManifests } from './manifests';

export interface DetectWorkspaceOptions {
  /** Most files to detect. Default 2,000. */
  maxFiles?: number;
  /** Files larger than this are skipped. Default 512 KiB. */
  maxFileBytes?: number;
  /** Deepest folder level visited. Default 12. */
  maxDepth?: number;
  /** Folder names never entered (added to the defaults). */
  skipDirs?: readonly string[];
  signal?: AbortSignal;
}

export interface FileDetection {
  /** Absolute path. */
  file: string;
  languageId: string;
  imports: ExtractedImports;
}

export interface WorkspaceDetection {
  files: FileDetection[];
  /** Package name → version spec from the root manifests. */
  manifests: Map<string, string>;
  /** True when the file limit stopped the walk early. */
  truncated: boolean;
}

export const DEFAULT_SKIP_DIRS: readonly string[] = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'target',
  'vendor',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.next',
  '.nuxt',
  'coverage',
  '.idea',
  '.vscode-test',
  'site-packages',
];

export async function detectWorkspace(
  dir: string,
  detector: ImportDetector,
  options: DetectWorkspaceOptions = {},
): Promise<WorkspaceDetection> {
  const maxFiles = options.maxFiles ?? 2000;
  const maxFileBytes = options.maxFileBytes ?? 512 * 1024;
  const maxDepth = options.maxDepth ?? 12;
  const skip = new Set([...DEFAULT_SKIP_DIRS, ...(options.skipDirs ?? [])]);
  const files: FileDetection[] = [];
  let truncated = false;

  const visit = async (folder: string, depth: number): Promise<void> => {
    if (depth > maxDepth || truncated) return;
    let entries;
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      if (files.length >= maxFiles) {
        truncated = true;
        return;
      }
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        // Virtualenvs have many names; their marker file is reliable.
        if (skip.has(entry.name) || (await exists(path.join(full, 'pyvenv.cfg')))) continue;
        await visit(full, depth + 1);
      } else if (entry.isFile()) {
        const languageId = languageIdForPath(entry.name);
        if (!languageId) continue;
        const detection = await detectFile(full, languageId, detector, maxFileBytes);
        if (detection) files.push(detection);
      }
    }
  };

  await visit(dir, 0);
  return { files, manifests: await readManifests(dir, detector.logger), truncated };
}

async function detectFile(
  file: string,
  languageId: string,
  detector: ImportDetector,
  maxFileBytes: number,
): Promise<FileDetection | null> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > maxFileBytes) return null;
    const imports = await detector.extract(languageId, await fs.readFile(file, 'utf8'));
    return imports ? { file, languageId, imports } : null;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
