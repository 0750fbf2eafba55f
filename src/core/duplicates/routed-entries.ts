/**
 * Routing an mcp.json server through MCP Integration: its entry is commented out in the JSONC file
 * (so VS Code no longer starts it beside the gateway) under a marker line, and the importer keeps
 * reading the commented entry (so the gateway still serves it). Nothing is deleted: restoring is
 * removing the comment markers, by hand or with `restoreRoutedEntries`.
 *
 *     "servers": {
 *       // mcp-integration: routed "context7" through MCP Integration (restore: remove the "// " markers)
 *       // "context7": {
 *       //   "command": "npx", "args": ["-y", "@upstash/context7-mcp"]
 *       // },
 *       "other": { … }
 *     }
 */
import { applyEdits, modify, parse, parseTree, type Node, type ParseError } from 'jsonc-parser';

/** Starts the marker line above a routed entry; the entry's name follows in quotes. */
export const ROUTED_MARKER = '// mcp-integration: routed';
const MARKER_LINE = /^(\s*)\/\/ mcp-integration: routed "((?:[^"\\]|\\.)*)"/u;
const COMMENT_LINE = /^(\s*)\/\/ ?(.*)$/u;

export interface RoutedEntry {
  name: string;
  /** The entry's value as it was declared. */
  value: unknown;
  /** Zero-based line of the marker. */
  line: number;
}

/** The object holding the servers (`servers` in `.vscode/mcp.json` and the user's mcp.json). */
function serversNode(root: Node | undefined, key: string): Node | undefined {
  const property = root?.children?.find((child) => child.children?.[0]?.value === key);
  const value = property?.children?.[1];
  return value?.type === 'object' ? value : undefined;
}

function propertyNode(servers: Node, name: string): Node | undefined {
  return servers.children?.find((child) => child.children?.[0]?.value === name);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * The text with each named entry of `servers` commented out under a marker, in place. Entries that
 * are not there are ignored; the result is still valid JSONC (a comma left dangling by the last
 * entry is removed; restoring puts commas back where they belong).
 */
export function routeEntries(text: string, names: readonly string[], key = 'servers'): string {
  let current = text;
  const newline = eol(text);
  for (const name of names) {
    const servers = serversNode(parseTree(current, [], { allowTrailingComma: true }), key);
    const property = servers && propertyNode(servers, name);
    if (!servers || !property) continue;
    const index = servers.children?.indexOf(property) ?? 0;
    const previous = index > 0 ? servers.children?.[index - 1] : undefined;
    const start = property.offset;
    let end = start + property.length;
    const comma = nextSignificant(current, end);
    const hasComma = current[comma] === ',';
    if (hasComma) end = comma + 1;
    while (current[end] === ' ' || current[end] === '\t') end += 1;
    const lineHead = current.slice(lineStart(current, start), start);
    const indent = /^\s*/u.exec(lineHead)?.[0] ?? '';
    const declared = current.slice(property.offset, property.offset + property.length);
    const block = [
      `${ROUTED_MARKER} ${JSON.stringify(name)} through MCP Integration (restore: remove the "// " markers)`,
      ...declared.split(/\r?\n/u).map((line, at) => `// ${at === 0 ? line : line.slice(commonPrefix(line, indent))}`),
    ];
    const opening = lineHead.trim() === '' ? '' : `${newline}${indent}`;
    const closing = current[end] === '\n' || current.startsWith('\r\n', end) ? '' : `${newline}${indent}`;
    let replaced = `${current.slice(0, start)}${opening}${block.join(`${newline}${indent}`)}${closing}${current.slice(end)}`;
    if (!hasComma && previous) {
      // The entry was the last one: the comma after the one before it would now dangle.
      const after = nextSignificant(replaced, previous.offset + previous.length);
      if (replaced[after] === ',') replaced = `${replaced.slice(0, after)}${replaced.slice(after + 1)}`;
    }
    current = replaced;
  }
  return current;
}

/** Offset of the next character that is not whitespace or a comment. */
function nextSignificant(text: string, from: number): number {
  let at = from;
  for (;;) {
    while (at < text.length && /\s/u.test(text[at] ?? '')) at += 1;
    if (text.startsWith('//', at)) {
      const next = text.indexOf('\n', at);
      at = next < 0 ? text.length : next + 1;
    } else if (text.startsWith('/*', at)) {
      const close = text.indexOf('*/', at + 2);
      at = close < 0 ? text.length : close + 2;
    } else return at;
  }
}

/** How much of `indent` a continuation line of the entry starts with (the rest stays relative). */
function commonPrefix(line: string, indent: string): number {
  let count = 0;
  while (count < indent.length && line[count] === indent[count]) count += 1;
  return count;
}

/** Every routed entry in the text: its name, its declared value, its marker line. */
export function readRoutedEntries(text: string): RoutedEntry[] {
  const lines = text.split(/\r?\n/u);
  const entries: RoutedEntry[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const marker = MARKER_LINE.exec(lines[index] ?? '');
    if (!marker) continue;
    const body: string[] = [];
    let next = index + 1;
    for (; next < lines.length; next += 1) {
      const line = lines[next] ?? '';
      if (MARKER_LINE.test(line)) break;
      const comment = COMMENT_LINE.exec(line);
      if (!comment) break;
      body.push(comment[2] ?? '');
    }
    const value = entryValue(body.join('\n'));
    if (value !== undefined) entries.push({ name: JSON.parse(`"${marker[2] ?? ''}"`) as string, value, line: index });
    index = next - 1;
  }
  return entries;
}

/** `"name": { … },` → the value, or undefined when the commented text is not one property. */
function entryValue(property: string): unknown {
  const errors: ParseError[] = [];
  const parsed: unknown = parse(`{${property.trim().replace(/,$/u, '')}}`, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof parsed !== 'object' || parsed === null) return undefined;
  const values = Object.values(parsed);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * The text with routed entries (all, or the named ones) declared again under `servers` and their
 * comment blocks removed. An entry declared meanwhile under the same name keeps the declared one.
 */
export function restoreRoutedEntries(text: string, names?: readonly string[], key = 'servers'): string {
  const wanted = readRoutedEntries(text).filter((entry) => !names || names.includes(entry.name));
  if (wanted.length === 0) return text;
  const newline = eol(text);
  const lines = text.split(/\r?\n/u);
  const drop = new Set<number>();
  for (const entry of wanted) {
    drop.add(entry.line);
    for (let next = entry.line + 1; next < lines.length; next += 1) {
      const line = lines[next] ?? '';
      if (MARKER_LINE.test(line) || !COMMENT_LINE.test(line)) break;
      drop.add(next);
    }
  }
  let current = lines.filter((_, index) => !drop.has(index)).join(newline);
  const formatting = { tabSize: 2, insertSpaces: true, eol: newline };
  for (const entry of wanted) {
    const servers = serversNode(parseTree(current, [], { allowTrailingComma: true }), key);
    if (servers && propertyNode(servers, entry.name)) continue;
    current = applyEdits(current, modify(current, [key, entry.name], entry.value, { formattingOptions: formatting }));
  }
  return current;
}
