/**
 * The dependency versions that apply to a document: the manifests (package.json,
 * requirements.txt, go.mod, Cargo.toml, pom.xml, pyproject.toml) in its folder and the folders
 * above it up to the workspace folder, the nearest winning. Each folder is read again only when
 * one of its manifests changed (size or modification time), so a version bump is seen on the
 * next open without reading files on every keystroke.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_READERS, readManifests } from '../libraries/manifests';
import type { Logger } from '../ports';

/** Folders above a document searched at most (when it is outside the workspace folder). */
const MAX_LEVELS = 8;

interface FolderVersions {
  signature: string;
  versions: Map<string, string>;
}

export class ManifestVersions {
  private readonly folders = new Map<string, FolderVersions>();

  constructor(
    private readonly workspaceFolder: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Package name → version spec for a document URI (file URIs and absolute paths); empty otherwise. */
  async forDocument(uri: string): Promise<Map<string, string>> {
    const file = toPath(uri);
    if (!file) return new Map();
    const merged = new Map<string, string>();
    let folder = path.dirname(file);
    for (let level = 0; level < MAX_LEVELS; level++) {
      const versions = await this.folder(folder);
      for (const [name, version] of versions) if (!merged.has(name)) merged.set(name, version);
      const parent = path.dirname(folder);
      if (parent === folder || (this.workspaceFolder && path.resolve(folder) === path.resolve(this.workspaceFolder)))
        break;
      folder = parent;
    }
    return merged;
  }

  private async folder(folder: string): Promise<Map<string, string>> {
    const signature = await manifestSignature(folder);
    const known = this.folders.get(folder);
    if (known?.signature === signature) return known.versions;
    const versions = signature === '' ? new Map<string, string>() : await readManifests(folder, this.logger);
    this.folders.set(folder, { signature, versions });
    return versions;
  }
}

async function manifestSignature(folder: string): Promise<string> {
  const parts = await Promise.all(
    Object.keys(MANIFEST_READERS).map(async (name) => {
      try {
        const stat = await fs.stat(path.join(folder, name));
        return stat.isFile() ? `${name}:${stat.size}:${stat.mtimeMs}` : '';
      } catch {
        return '';
      }
    }),
  );
  return parts.filter(Boolean).join('|');
}

function toPath(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(uri) ? uri : undefined;
}
