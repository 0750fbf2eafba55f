/**
 * The CLI's workspace trust, matching VS Code's: what a folder declares (servers in its
 * `.mcp-integration/mcp-config.yaml`, `.vscode/mcp.json`, `.mcp.json`, its trigger patterns)
 * applies only after the user trusted that folder from outside it — per run with
 * `--trust-workspace`, or remembered like `direnv allow` with `mcp-integration trust allow`.
 * The list lives in the user's storage folder, which a repository cannot write. Trusting a folder
 * trusts the folders inside it, as in VS Code.
 */
import { closeSync, constants, openSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { JsonStateFile } from '../core/store/json-state-file';
import { isLinkRefused, O_NOFOLLOW } from '../core/store/private-files';

export const TRUST_FILE = 'trusted-folders.json';

interface TrustFile {
  version: 1;
  folders: string[];
}

const initial = (): TrustFile => ({ version: 1, folders: [] });
const validate = (value: unknown): TrustFile | null => {
  const v = value as Partial<TrustFile> | null;
  return v && v.version === 1 && Array.isArray(v.folders) && v.folders.every((f) => typeof f === 'string')
    ? (v as TrustFile)
    : null;
};

/** The canonical form of a folder: absolute, links resolved (a link to a repository is that repository). */
export function canonicalFolder(folder: string): string {
  const absolute = path.resolve(folder);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

function isInside(folder: string, trusted: string): boolean {
  const relative = path.relative(trusted, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export class TrustList {
  private readonly file: JsonStateFile<TrustFile>;

  constructor(storageDir: string) {
    this.file = new JsonStateFile({ path: path.join(storageDir, TRUST_FILE), initial, validate });
  }

  get path(): string {
    return this.file.path;
  }

  /** Synchronous, because the host answers `isWorkspaceTrusted()` synchronously. Unreadable → nothing trusted. */
  trustedFolders(): string[] {
    let fd: number;
    try {
      fd = openSync(this.file.path, constants.O_RDONLY | O_NOFOLLOW);
    } catch (error) {
      if (isLinkRefused(error)) process.stderr.write(`mcp-integration: ${this.file.path} is a link; ignored\n`);
      return [];
    }
    try {
      return validate(JSON.parse(readFileSync(fd, 'utf8')))?.folders ?? [];
    } catch {
      return [];
    } finally {
      closeSync(fd);
    }
  }

  isTrusted(folder: string): boolean {
    const canonical = canonicalFolder(folder);
    return this.trustedFolders().some((trusted) => isInside(canonical, trusted));
  }

  async allow(folder: string): Promise<string> {
    const canonical = canonicalFolder(folder);
    const folders = new Set(this.trustedFolders());
    folders.add(canonical);
    await this.file.write({ version: 1, folders: [...folders].sort() });
    return canonical;
  }

  /** Forgets a folder; returns whether it was listed. A folder inside a trusted one stays trusted. */
  async deny(folder: string): Promise<boolean> {
    const canonical = canonicalFolder(folder);
    const folders = this.trustedFolders();
    const kept = folders.filter((f) => f !== canonical);
    if (kept.length === folders.length) return false;
    await this.file.write({ version: 1, folders: kept });
    return true;
  }
}
