/** Reading and presenting serena's symbol and pattern-search answers. */
import { isRecord } from './structured';

export interface SerenaSymbol {
  namePath: string;
  kind?: string;
  relativePath?: string;
  startLine?: number;
  endLine?: number;
  body?: string;
}

const MAX_BODY_LINES = 40;
const MAX_BODY_CHARS = 2000;

/** Accepts serena's list of symbol dicts (older and newer field names). */
export function parseSymbols(data: unknown): SerenaSymbol[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((entry): SerenaSymbol[] => {
    if (!isRecord(entry)) return [];
    const namePath = stringField(entry, 'name_path') ?? stringField(entry, 'name');
    if (!namePath) return [];
    const location = isRecord(entry.body_location)
      ? entry.body_location
      : isRecord(entry.location)
        ? entry.location
        : {};
    const kind = entry.kind;
    return [
      {
        namePath,
        kind: typeof kind === 'string' ? kind : typeof kind === 'number' ? `kind ${kind}` : undefined,
        relativePath: stringField(entry, 'relative_path') ?? stringField(location, 'relative_path'),
        startLine: numberField(location, 'start_line') ?? numberField(location, 'line'),
        endLine: numberField(location, 'end_line'),
        body: stringField(entry, 'body'),
      },
    ];
  });
}

/** `Trainer/fit (Method) — src/train.py:20-40` followed by a fenced excerpt of the body. */
export function formatSymbols(symbols: readonly SerenaSymbol[]): string {
  return symbols.map(formatSymbol).join('\n\n');
}

function formatSymbol(symbol: SerenaSymbol): string {
  const kind = symbol.kind ? ` (${symbol.kind})` : '';
  const lines =
    symbol.startLine !== undefined
      ? `:${symbol.startLine}${symbol.endLine !== undefined ? `-${symbol.endLine}` : ''}`
      : '';
  const where = symbol.relativePath ? ` — ${symbol.relativePath}${lines}` : '';
  const heading = `**${symbol.namePath}**${kind}${where}`;
  return symbol.body ? `${heading}\n${fenced(excerpt(symbol.body))}` : heading;
}

/** serena's `search_for_pattern` answer: `{file: ["line:text", …]}`. */
export function formatPatternMatches(data: unknown, maxFiles: number): string | undefined {
  if (!isRecord(data)) return undefined;
  const files = Object.entries(data).filter(
    (entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[1].length > 0,
  );
  if (files.length === 0) return undefined;
  return files
    .slice(0, maxFiles)
    .map(([file, hits]) => `**${file}**\n${fenced(excerpt(hits.map(String).join('\n')))}`)
    .join('\n\n');
}

/** A code fence longer than any backtick run inside, so code cannot close it early. */
function fenced(code: string): string {
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}\n${code}\n${fence}`;
}

function excerpt(text: string): string {
  const lines = text.split('\n');
  let clipped = lines.slice(0, MAX_BODY_LINES).join('\n');
  if (clipped.length > MAX_BODY_CHARS) clipped = clipped.slice(0, MAX_BODY_CHARS);
  return clipped.length < text.length ? `${clipped}\n…` : clipped;
}

function stringField(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' ? value : undefined;
}

function numberField(record: Record<string, unknown>, field: string): number | undefined {
  const value = record[field];
  return typeof value === 'number' ? value : undefined;
}
