import { strict as assert } from 'node:assert';
import { createMcpAdapters } from '../../../src/core/adapters/create-adapters';
import { HostSymbolsAdapter } from '../../../src/core/adapters/host-symbols';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import type { HostSymbol, Logger, SymbolsPort } from '../../../src/core/ports';
import { silentLogger } from '../../../src/core/ports';
import { FakeToolCaller } from './fake-caller';

function server(name: string, kind: string, enabled = true): ServerDefinition {
  return {
    name,
    kind: kind as ServerDefinition['kind'], // unknown kinds arrive from YAML
    enabled,
    transport: { transport: 'stdio', command: 'node', args: [], env: {} },
    timeouts: { initializeMs: 1, listMs: 1, callMs: 1 },
    costPerCallUsd: 0,
    origin: 'user',
  };
}

class FakeSymbols implements SymbolsPort {
  readonly queries: string[] = [];
  constructor(private readonly symbols: HostSymbol[]) {}
  async findSymbols(query: string): Promise<HostSymbol[]> {
    this.queries.push(query);
    return this.symbols;
  }
}

describe('createMcpAdapters', () => {
  it('creates one adapter per enabled server by kind, generic for unknown kinds', () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const callers: string[] = [];
    const adapters = createMcpAdapters(
      [
        server('memory-bank', 'memory-bank'),
        server('graph', 'server-memory'),
        server('serena', 'serena'),
        server('context7', 'context7'),
        server('github', 'github'),
        server('off', 'context7', false),
        server('odd', 'mystery'),
      ],
      (name) => {
        callers.push(name);
        return new FakeToolCaller(name, {});
      },
      { logger, memoryBankProject: 'proj', symbols: new FakeSymbols([]) },
    );
    assert.deepEqual(
      [...adapters].map(([name, adapter]) => [name, adapter.kind]),
      [
        ['memory-bank', 'memory-bank'],
        ['graph', 'server-memory'],
        ['serena', 'serena'],
        ['context7', 'context7'],
        ['github', 'github'],
        ['odd', 'generic'],
      ],
    );
    assert.ok(!callers.includes('off'));
    assert.ok(warnings.some((w) => /unknown kind "mystery"/.test(w)));
    assert.equal((adapters.get('memory-bank') as { project?: string }).project, 'proj');
  });

  it('adds the host symbols layer only when no serena is enabled', () => {
    const symbols = new FakeSymbols([]);
    const without = createMcpAdapters([server('serena', 'serena', false)], (n) => new FakeToolCaller(n, {}), {
      logger: silentLogger,
      symbols,
    });
    assert.equal(without.get('host-symbols')?.kind, 'host-symbols');
    const withSerena = createMcpAdapters([server('serena', 'serena')], (n) => new FakeToolCaller(n, {}), {
      logger: silentLogger,
      symbols,
    });
    assert.equal(withSerena.has('host-symbols'), false);
  });
});

describe('HostSymbolsAdapter', () => {
  it('searches the plain name and lists exact matches first', async () => {
    const symbols = new FakeSymbols([
      { name: 'fitAll', kind: 'Function', location: '/w/a.ts', line: 3 },
      { name: 'fit', kind: 'Method', containerName: 'Trainer', location: '/w/train.py', line: 20 },
    ]);
    const answer = await new HostSymbolsAdapter({ symbols }).fetch({
      text: 'where is Trainer.fit',
      contextType: 'code_symbol',
    });
    assert.deepEqual(symbols.queries, ['fit']);
    assert.equal(answer?.content, '- **Trainer.fit** (Method) — /w/train.py:20\n- **fitAll** (Function) — /w/a.ts:3');
  });

  it('misses on no symbols and ignores non-code questions', async () => {
    const symbols = new FakeSymbols([]);
    const adapter = new HostSymbolsAdapter({ symbols });
    assert.equal(await adapter.fetch({ text: 'Foo', contextType: 'code_symbol' }), null);
    assert.equal(await adapter.fetch({ text: 'Foo', contextType: 'library_api' }), null);
    assert.deepEqual(symbols.queries, ['Foo']);
  });
});
