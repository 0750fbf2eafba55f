/**
 * Reads dependency versions from the manifests at the top of a folder: package.json,
 * requirements.txt, pyproject.toml, go.mod, Cargo.toml, pom.xml. Parsing is deliberately simple
 * and bounded (files over 1 MiB are ignored); a broken manifest contributes nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';

const MAX_MANIFEST_BYTES = 1024 * 1024;

type Versions = Map<string, string>;
type TomlParse = (text: string) => unknown;
type ManifestReader = (text: string, out: Versions, parseToml: TomlParse) => void;

/** smol-toml is ESM-only; the CommonJS build loads it on first use. */
let tomlParser: Promise<TomlParse> | undefined;
export function loadTomlParser(): Promise<TomlParse> {
  tomlParser ??= import('smol-toml').then((toml) => toml.parse);
  return tomlParser;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readPackageJson(text: string, out: Versions): void {
  const json: unknown = JSON.parse(text);
  if (!isRecord(json)) return;
  for (const field of ['peerDependencies', 'optionalDependencies', 'devDependencies', 'dependencies']) {
    const deps = json[field];
    if (!isRecord(deps)) continue;
    for (const [name, version] of Object.entries(deps)) if (typeof version === 'string') out.set(name, version);
  }
}

/** `name[extras] ==1.2; marker` → name, version spec. */
function readPep508(requirement: string, out: Versions): void {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;#]*)/.exec(requirement);
  if (match?.[1]) out.set(match[1], (match[2] ?? '').trim());
}

export function readRequirementsTxt(text: string, out: Versions): void {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('-')) continue;
    readPep508(trimmed, out);
  }
}

export function readPyprojectToml(text: string, out: Versions, parseToml: TomlParse): void {
  const toml = parseToml(text) as Record<string, unknown>;
  const project = toml['project'];
  if (isRecord(project) && Array.isArray(project['dependencies'])) {
    for (const dep of project['dependencies']) if (typeof dep === 'string') readPep508(dep, out);
  }
  const tool = toml['tool'];
  const poetry = isRecord(tool) ? tool['poetry'] : undefined;
  const deps = isRecord(poetry) ? poetry['dependencies'] : undefined;
  if (isRecord(deps)) {
    for (const [name, spec] of Object.entries(deps)) {
      if (name === 'python') continue;
      const version =
        typeof spec === 'string' ? spec : isRecord(spec) && typeof spec['version'] === 'string' ? spec['version'] : '';
      out.set(name, version);
    }
  }
}

export function readGoMod(text: string, out: Versions): void {
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else addGoRequire(line, out);
    } else if (/^require\s*\($/.test(line)) inBlock = true;
    else if (line.startsWith('require ')) addGoRequire(line.slice('require '.length), out);
  }
}

function addGoRequire(line: string, out: Versions): void {
  const [modulePath, version] = line.trim().split(/\s+/);
  if (modulePath && version) out.set(modulePath, version);
}

export function readCargoToml(text: string, out: Versions, parseToml: TomlParse): void {
  const toml = parseToml(text) as Record<string, unknown>;
  for (const table of ['dev-dependencies', 'build-dependencies', 'dependencies']) {
    const deps = toml[table];
    if (!isRecord(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      const version =
        typeof spec === 'string' ? spec : isRecord(spec) && typeof spec['version'] === 'string' ? spec['version'] : '';
      // A renamed dependency (`foo = { package = "bar" }`) is imported as `foo`.
      out.set(name, version);
    }
  }
}

/** `<dependency>` blocks: `groupId:artifactId` and `artifactId` → version (properties left as written). */
export function readPomXml(text: string, out: Versions): void {
  const dependency = /<dependency>([\s\S]*?)<\/dependency>/g;
  const tag = (block: string, name: string): string | undefined =>
    new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(block)?.[1];
  for (let match = dependency.exec(text); match; match = dependency.exec(text)) {
    const block = match[1] ?? '';
    const groupId = tag(block, 'groupId');
    const artifactId = tag(block, 'artifactId');
    if (!artifactId) continue;
    const version = tag(block, 'version') ?? '';
    out.set(artifactId, version);
    if (groupId) out.set(`${groupId}:${artifactId}`, version);
  }
}

export const MANIFEST_READERS: Readonly<Record<string, ManifestReader>> = {
  'package.json': readPackageJson,
  'requirements.txt': readRequirementsTxt,
  'pyproject.toml': readPyprojectToml,
  'go.mod': readGoMod,
  'Cargo.toml': readCargoToml,
  'pom.xml': readPomXml,
};

/** Package name → version spec from every manifest found directly in `dir`. */
export async function readManifests(dir: string, logger: Logger = silentLogger): Promise<Map<string, string>> {
  const out: Versions = new Map();
  for (const [fileName, reader] of Object.entries(MANIFEST_READERS)) {
    const file = path.join(dir, fileName);
    let text: string;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) continue;
      text = await fs.readFile(file, 'utf8');
    } catch {
      continue;
    }
    try {
      reader(text, out, await loadTomlParser());
    } catch (error) {
      logger.warn(`Could not read dependency versions from ${file}`, error);
    }
  }
  return out;
}
