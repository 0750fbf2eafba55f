/**
 * Installs unpacked extensions into a code-server extensions dir by copying their folders to
 * `<extensions-dir>/<publisher>.<name>-<version>`, which code-server picks up at startup.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

/** What of the project an installed extension needs (the rest is sources and tests). */
export const EXTENSION_PAYLOAD: readonly string[] = [
  'package.json',
  'dist',
  'media',
  'config',
  'schemas',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
];

interface ExtensionManifest {
  publisher: string;
  name: string;
  version: string;
}

/** `publisher.name`, the id VS Code uses for an extension folder. */
export function extensionId(sourceDir: string): string {
  const manifest = readManifest(sourceDir);
  return `${manifest.publisher}.${manifest.name}`;
}

function readManifest(sourceDir: string): ExtensionManifest {
  return JSON.parse(readFileSync(path.join(sourceDir, 'package.json'), 'utf8')) as ExtensionManifest;
}

/**
 * Copies `entries` of `sourceDir` (those that exist; `package.json` must) into the extensions dir.
 * Returns the installed folder.
 */
export function installUnpackedExtension(sourceDir: string, extensionsDir: string, entries: readonly string[]): string {
  const manifest = readManifest(sourceDir);
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  for (const entry of entries) {
    const from = path.join(sourceDir, entry);
    if (existsSync(from)) cpSync(from, path.join(target, entry), { recursive: true });
  }
  return target;
}

/** Installs the built product (`npm run build` must have run: dist/extension.js is required). */
export function installProductExtension(extensionsDir: string): string {
  if (!existsSync(path.join(projectRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  return installUnpackedExtension(projectRoot, extensionsDir, EXTENSION_PAYLOAD);
}
