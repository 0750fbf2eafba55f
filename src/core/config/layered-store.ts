/**
 * One configuration file read from up to three folders — shipped defaults < user < workspace —
 * validated per file and merged. Each file keeps its **last good** content: when an edit makes a
 * file invalid, its errors are reported and its previous good content stays in force (on the first
 * load there is none, so the layers below it apply). A deleted file simply stops contributing.
 */
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import type { ConfigLocations } from '../ports';
import type { ConfigPath, Locator, SourcePosition } from './locate';
import { issuesToErrors, sortErrors } from './issues';
import { deepMerge, hasPath, isPlainObject } from './merge';
import { parseYamlLayer, readConfigText, type YamlLoadOptions } from './yaml-loader';

export type ConfigLayerName = 'defaults' | 'user' | 'workspace';

export interface LayerState {
  layer: ConfigLayerName;
  file: string;
  present: boolean;
  /** False when the current content was rejected (its last good content, if any, is used). */
  valid: boolean;
  /** Top-level keys this file sets that were left out because the workspace is not trusted. */
  untrustedKeys?: string[];
}

export interface ConfigLocation extends SourcePosition {
  file: string;
}

export interface LayeredConfig<T> {
  value: T;
  /** Errors of this load, every one located. */
  errors: ConfigError[];
  layers: LayerState[];
  /** The highest layer whose content defines `path` (e.g. `['servers', 'context7']`). */
  layerOf: (path: ConfigPath) => ConfigLayerName | undefined;
  /** Where `path` is written in the highest layer that defines it. */
  locate: (path: ConfigPath) => ConfigLocation;
}

export interface LayeredStoreOptions extends YamlLoadOptions {
  /** File name inside each folder, e.g. `mcp-config.yaml`. */
  fileName: string;
  locations: ConfigLocations;
  /**
   * Top-level keys the workspace file may set only in a trusted workspace (trigger patterns are
   * code of a kind: they run on every question). While `isTrusted()` is false they are left out
   * of the workspace layer, so the layers below apply.
   */
  restricted?: { keys: readonly string[]; isTrusted: () => boolean };
}

interface GoodLayer {
  raw: unknown;
  locate: Locator;
}

/**
 * Loads and re-loads one layered YAML file. The schema must accept `{}` (every key optional with a
 * default) because a user or workspace file overrides only what it names.
 */
export class LayeredConfigStore<T> {
  private readonly lastGood = new Map<ConfigLayerName, GoodLayer>();
  private lastValue: T | undefined;

  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly options: LayeredStoreOptions,
  ) {}

  /** Reads every layer again and returns the merged result. Never throws for bad content. */
  async load(): Promise<LayeredConfig<T>> {
    const errors: ConfigError[] = [];
    const states: LayerState[] = [];
    for (const [layer, file] of this.files()) {
      const state = await this.loadLayer(layer, file, errors);
      states.push(state);
    }
    const active = states.filter((s) => this.lastGood.has(s.layer));
    const merged = active.reduce<unknown>((acc, s) => deepMerge(acc, this.lastGood.get(s.layer)?.raw), {});
    const fileOf = (layer: ConfigLayerName): string =>
      states.find((s) => s.layer === layer)?.file ?? this.options.fileName;
    const layerOf = (p: ConfigPath): ConfigLayerName | undefined =>
      [...active].reverse().find((s) => hasPath(this.lastGood.get(s.layer)?.raw, p))?.layer;
    const locate = (p: ConfigPath): ConfigLocation => {
      // Walk up the path until some layer defines it, so cross-field errors still get a place.
      for (let n = p.length; n >= 0; n--) {
        const layer = layerOf(p.slice(0, n));
        const good = layer && this.lastGood.get(layer);
        if (layer && good) return { file: fileOf(layer), ...good.locate(p) };
      }
      return { file: fileOf('defaults'), line: 1, column: 1 };
    };

    const result = this.schema.safeParse(merged, { reportInput: true });
    let value: T;
    if (result.success) {
      value = result.data;
      this.lastValue = value;
    } else {
      // Only cross-file combinations get here (each file passed alone); report at the top-most writer.
      for (const issue of result.error.issues) {
        const where = locate(issue.path);
        errors.push(...issuesToErrors(where.file, [issue], (p) => locate(p)));
      }
      value = this.lastValue ?? this.schema.parse({});
    }
    return { value, errors: sortErrors(errors), layers: states, layerOf, locate };
  }

  private files(): Array<[ConfigLayerName, string]> {
    const { locations, fileName } = this.options;
    const out: Array<[ConfigLayerName, string]> = [['defaults', path.join(locations.defaultsDir, fileName)]];
    if (locations.userDir) out.push(['user', path.join(locations.userDir, fileName)]);
    if (locations.workspaceDir) out.push(['workspace', path.join(locations.workspaceDir, fileName)]);
    return out;
  }

  private async loadLayer(layer: ConfigLayerName, file: string, errors: ConfigError[]): Promise<LayerState> {
    let text: string | undefined;
    try {
      text = await readConfigText(file);
    } catch (error) {
      errors.push(new ConfigError(file, 1, 1, '', `cannot read file: ${(error as Error).message}`));
      return { layer, file, present: true, valid: false };
    }
    if (text === undefined) {
      this.lastGood.delete(layer);
      return { layer, file, present: false, valid: true };
    }
    const parsed = parseYamlLayer(file, text, this.schema, this.options);
    errors.push(...parsed.errors);
    if (parsed.fatal) return { layer, file, present: true, valid: false };
    const { raw, untrustedKeys } = this.withoutUntrusted(layer, parsed.raw);
    this.lastGood.set(layer, { raw, locate: parsed.locate });
    return { layer, file, present: true, valid: true, ...(untrustedKeys.length > 0 ? { untrustedKeys } : {}) };
  }

  private withoutUntrusted(layer: ConfigLayerName, raw: unknown): { raw: unknown; untrustedKeys: string[] } {
    const restricted = this.options.restricted;
    if (layer !== 'workspace' || !restricted || !isPlainObject(raw) || restricted.isTrusted())
      return { raw, untrustedKeys: [] };
    const untrustedKeys = restricted.keys.filter((key) => key in raw);
    const kept = Object.fromEntries(Object.entries(raw).filter(([key]) => !untrustedKeys.includes(key)));
    return { raw: kept, untrustedKeys };
  }
}
