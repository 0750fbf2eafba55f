/**
 * Loads one YAML file: `yaml` parses it keeping node positions, `zod` validates it, and every
 * problem becomes a `ConfigError` with file, 1-based line/column and the dotted key path.
 *
 * Fatal versus recoverable: syntax errors (including duplicate keys) and any schema issue outside
 * a *recoverable* entry reject the whole file. An issue inside a recoverable entry (e.g. one smart
 * trigger with an invalid regex, one malformed server) is reported and only that entry is dropped;
 * the rest of the file still applies.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import { issuesToErrors } from './issues';
import { formatKeyPath, yamlLocator, type ConfigPath, type Locator } from './locate';

/** Files above this size are refused rather than parsed (default cap for config files). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Aliases may expand to at most this many nodes. A "billion laughs" file (aliases of aliases of
 * lists) is tiny on disk and exponential in memory; `yaml` stops it at this count and the file is
 * reported as a located error instead of taking the process down.
 */
const MAX_ALIAS_COUNT = 100;
/** How many drop-and-revalidate rounds recoverable entries may take before giving up. */
const MAX_RECOVERY_ROUNDS = 4;

export interface YamlLoadOptions {
  /**
   * Dotted path patterns of entries that may be dropped on their own (`*` matches one segment),
   * e.g. `smart_triggers.patterns.*` or `servers.*`. Default: none (every issue is fatal).
   */
  recoverable?: readonly string[];
}

export interface YamlLoadResult<T> {
  /** The validated value, undefined when the file had a fatal error. */
  value?: T;
  errors: ConfigError[];
}

export interface YamlLayer<T> extends YamlLoadResult<T> {
  /** The raw data with dropped entries removed (what later layering merges), when not fatal. */
  raw?: unknown;
  /** True when the whole file was rejected. */
  fatal: boolean;
  /** Finds where a key path is written in this file. */
  locate: Locator;
}

/** Parses and validates YAML text. Generic: works for any of the three config files. */
export function loadYamlText<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
  options: YamlLoadOptions = {},
): YamlLoadResult<T> {
  const { value, errors } = parseYamlLayer(file, text, schema, options);
  return { value, errors };
}

/** Like `loadYamlText` and also returns what layering needs (raw data, locator, fatal flag). */
export function parseYamlLayer<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
  options: YamlLoadOptions = {},
): YamlLayer<T> {
  const lineCounter = new LineCounter();
  if (text.length > MAX_CONFIG_BYTES) {
    return {
      errors: [new ConfigError(file, 1, 1, '', `file is larger than ${MAX_CONFIG_BYTES} bytes`)],
      fatal: true,
      locate: () => ({ line: 1, column: 1 }),
    };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = yamlLocator(doc, lineCounter);
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const keyPath = error.code === 'DUPLICATE_KEY' ? formatKeyPath(pathAtOffset(doc, error.pos[0])) : '';
      return new ConfigError(
        file,
        line,
        col,
        keyPath,
        error.code === 'DUPLICATE_KEY' ? 'duplicate key' : firstLine(error.message),
      );
    });
    return { errors, fatal: true, locate };
  }
  // An empty file is an empty mapping: it overrides nothing.
  let raw: unknown;
  try {
    // Stryker disable next-line ObjectLiteral: yaml's own default is also 100; stated so the cap does not move with it
    raw = doc.contents === null ? {} : doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const { line, col } = lineCounter.linePos(firstAliasOffset(doc));
    const detail = /alias/i.test((error as Error).message)
      ? `aliases expand too much (more than ${MAX_ALIAS_COUNT} uses of one anchor's content); the file was not applied`
      : firstLine((error as Error).message);
    return { errors: [new ConfigError(file, line, col, '', detail)], fatal: true, locate };
  }
  return validateWithRecovery(file, raw, schema, locate, options.recoverable ?? []);
}

/** Reads a file and loads it; a missing file is not an error (`missing: true`). */
export async function loadYamlFile<T>(
  file: string,
  schema: z.ZodType<T>,
  options: YamlLoadOptions = {},
): Promise<YamlLoadResult<T> & { missing: boolean }> {
  const text = await readConfigText(file);
  if (text === undefined) return { value: undefined, errors: [], missing: true };
  return { ...loadYamlText(file, text, schema, options), missing: false };
}

/**
 * Reads a config file's text; undefined when it does not exist. A device, FIFO or folder, and a
 * file over `MAX_CONFIG_BYTES`, are refused before anything is read (a workspace could point its
 * config at `/dev/zero`). Other I/O errors propagate.
 */
export async function readConfigText(file: string): Promise<string | undefined> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer before fstat can refuse it.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_CONFIG_BYTES) throw new Error(`file is larger than ${MAX_CONFIG_BYTES} bytes`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Where the first alias (`*name`) is written: the best place to point at for an alias bomb. */
function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Validates `raw`; issues inside recoverable entries drop those entries and validation runs again.
 * Array indices shift when entries are dropped, so paths are mapped back to the file's own indices.
 */
export function validateWithRecovery<T>(
  file: string,
  raw: unknown,
  schema: z.ZodType<T>,
  locate: Locator,
  recoverable: readonly string[],
): YamlLayer<T> {
  const patterns = recoverable.map((p) => p.split('.'));
  const removed = new Map<string, number[]>();
  const toOriginal = (path: ConfigPath): ConfigPath => mapToOriginal(path, removed);
  const errors: ConfigError[] = [];
  let data = structuredClone(raw);
  for (let round = 0; round < MAX_RECOVERY_ROUNDS; round++) {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data, raw: data, errors, fatal: false, locate };
    const issueErrors = issuesToErrors(file, result.error.issues, locate, toOriginal);
    errors.push(...issueErrors);
    const drops: ConfigPath[] = [];
    for (const issue of result.error.issues) {
      const prefix = recoverablePrefix(issue.path, patterns);
      if (!prefix) return { errors, fatal: true, locate };
      drops.push(prefix);
    }
    data = dropEntries(data, drops, removed, toOriginal);
  }
  return { errors, fatal: true, locate };
}

function recoverablePrefix(path: ConfigPath, patterns: string[][]): ConfigPath | undefined {
  for (const pattern of patterns) {
    if (path.length < pattern.length) continue;
    if (pattern.every((seg, i) => seg === '*' || seg === String(path[i]))) return path.slice(0, pattern.length);
  }
  return undefined;
}

function dropEntries(
  data: unknown,
  drops: ConfigPath[],
  removed: Map<string, number[]>,
  toOriginal: (p: ConfigPath) => ConfigPath,
): unknown {
  // Drop array items from the highest index down so earlier indices stay valid during this round.
  const unique = new Map(drops.map((d) => [JSON.stringify(d), d]));
  const sorted = [...unique.values()].sort((a, b) => Number(b[b.length - 1]) - Number(a[a.length - 1]));
  for (const path of sorted) {
    const parentPath = path.slice(0, -1);
    const parent = getAt(data, parentPath);
    const last = path[path.length - 1];
    if (Array.isArray(parent) && typeof last === 'number') {
      const originalParent = toOriginal(parentPath);
      const original = toOriginal(path)[path.length - 1] as number;
      parent.splice(last, 1);
      const key = JSON.stringify(originalParent);
      removed.set(
        key,
        [...(removed.get(key) ?? []), original].sort((a, b) => a - b),
      );
    } else if (parent && typeof parent === 'object') {
      delete (parent as Record<string, unknown>)[String(last)];
    }
  }
  return data;
}

function mapToOriginal(path: ConfigPath, removed: Map<string, number[]>): ConfigPath {
  const out: PropertyKey[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      let index = segment;
      for (const r of removed.get(JSON.stringify(out)) ?? []) if (r <= index) index++;
      out.push(index);
    } else {
      out.push(segment);
    }
  }
  return out;
}

function getAt(data: unknown, path: ConfigPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  return node;
}

/** The key path of the deepest map/sequence entry whose range contains `offset`. */
function pathAtOffset(doc: Document, offset: number): PropertyKey[] {
  const path: PropertyKey[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const start = (p.key as { range?: number[] } | null)?.range?.[0] ?? Infinity;
        const end =
          (p.value as { range?: number[] } | null)?.range?.[2] ??
          (p.key as { range?: number[] } | null)?.range?.[2] ??
          -1;
        return offset >= start && offset <= end;
      });
      if (!pair || !isPair(pair) || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as { range?: number[] } | null)?.range;
        return range !== undefined && offset >= (range[0] ?? 0) && offset <= (range[2] ?? 0);
      });
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
