/**
 * The code-symbol layer when no serena is configured: the host's own symbol search (VS Code
 * workspace symbol providers) behind the adapter interface. Read-only.
 */
import { CONTEXT_TYPES } from '../knowledge';
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery } from '../knowledge';
import type { HostSymbol, SymbolsPort } from '../ports';
import { symbolNamePath } from './symbol-query';

export const HOST_SYMBOLS_SERVER_NAME = 'host-symbols';

export interface HostSymbolsAdapterOptions {
  symbols: SymbolsPort;
  /** Name under which the layer appears. Default: `host-symbols`. */
  name?: string;
  /** Most symbols shown per question. Default: 10. */
  maxResults?: number;
}

export class HostSymbolsAdapter implements KnowledgeAdapter {
  readonly kind = 'host-symbols' as const;
  readonly writable = false;
  readonly serverName: string;
  private readonly symbols: SymbolsPort;
  private readonly maxResults: number;

  constructor(options: HostSymbolsAdapterOptions) {
    this.symbols = options.symbols;
    this.serverName = options.name ?? HOST_SYMBOLS_SERVER_NAME;
    this.maxResults = options.maxResults ?? 10;
  }

  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    if (query.contextType !== CONTEXT_TYPES.codeSymbol && query.contextType !== CONTEXT_TYPES.general) return null;
    const namePath = query.hints?.['symbol'] ?? symbolNamePath(query.text);
    if (!namePath) return null;
    // Workspace symbol search matches plain names, not serena-style paths.
    const name = namePath.split('/').pop() ?? namePath;
    const found = await this.symbols.findSymbols(name, options.signal);
    if (found.length === 0) return null;
    const ranked = rankSymbols(found, name);
    return {
      content: ranked.slice(0, this.maxResults).map(formatHostSymbol).join('\n'),
      metadata: { tool: 'workspace-symbols', matches: found.length },
    };
  }

  async store(): Promise<void> {
    throw new Error('host symbols are read-only: nothing can be stored there');
  }

  async invalidate(): Promise<void> {
    return undefined;
  }
}

/** Exact name matches first, then case-insensitive ones, then the rest in the host's order. */
function rankSymbols(symbols: readonly HostSymbol[], name: string): HostSymbol[] {
  const rank = (symbol: HostSymbol): number =>
    symbol.name === name ? 0 : symbol.name.toLowerCase() === name.toLowerCase() ? 1 : 2;
  return [...symbols].sort((a, b) => rank(a) - rank(b));
}

function formatHostSymbol(symbol: HostSymbol): string {
  const container = symbol.containerName ? `${symbol.containerName}.` : '';
  const line = symbol.line !== undefined ? `:${symbol.line}` : '';
  return `- **${container}${symbol.name}** (${symbol.kind}) — ${symbol.location}${line}`;
}
