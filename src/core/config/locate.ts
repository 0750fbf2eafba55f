/**
 * Turning a value's key path into a 1-based line and column, for YAML (via `yaml`'s node ranges)
 * and JSON with comments (via `jsonc-parser`'s tree). When the path does not exist (a missing
 * required key), the position of the deepest existing ancestor is used, so the error still points
 * at the object that lacks the key.
 */
import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

export type ConfigPath = readonly PropertyKey[];

/** Finds where a path is written. `atKey`: point at the key of the last segment, not its value. */
export type Locator = (path: ConfigPath, atKey?: boolean) => SourcePosition;

const START: SourcePosition = { line: 1, column: 1 };

/** Formats a path the way users read it: `servers.context7.args[1]`. */
export function formatKeyPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** A 1-based position for a 0-based character offset. */
export function offsetToPosition(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function yamlLocator(doc: Document, lineCounter: LineCounter): Locator {
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path, atKey = false) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        const keyRange = (pair.key as { range?: [number, number, number] }).range;
        const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
        if (last && atKey && keyRange) return at(keyRange[0]);
        // An empty value (`key:`) has no node of its own: point at the key.
        offset = valueRange?.[0] ?? keyRange?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as { range?: [number, number, number] } | undefined;
        if (!item?.range) break;
        offset = item.range[0];
        node = item;
      } else {
        break;
      }
    }
    return at(offset);
  };
}

export function jsonLocator(root: JsonNode | undefined, text: string): Locator {
  return (path, atKey = false) => {
    if (!root) return START;
    for (let length = path.length; length >= 0; length--) {
      const segments = path.slice(0, length).map((s) => (typeof s === 'number' ? s : String(s)));
      const node = findNodeAtLocation(root, segments);
      if (!node) continue;
      const keyNode =
        atKey && length === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return offsetToPosition(text, (keyNode ?? node).offset);
    }
    return START;
  };
}
