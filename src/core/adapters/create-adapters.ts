/**
 * `createMcpAdapters` (the guide's `create_mcp_adapters`): one adapter per enabled server, keyed
 * by server name, chosen by the server's kind; unknown kinds get the generic adapter.
 */
import type { KnowledgeAdapter } from '../knowledge';
import type { ServerDefinition, ToolCaller } from '../mcp/types';
import type { Logger, SymbolsPort } from '../ports';
import { Context7Adapter } from './context7';
import { GenericAdapter } from './generic';
import { GithubAdapter } from './github';
import { HOST_SYMBOLS_SERVER_NAME, HostSymbolsAdapter } from './host-symbols';
import { MemoryBankAdapter } from './memory-bank';
import { SerenaAdapter } from './serena';
import { ServerMemoryAdapter } from './server-memory';
import { TeamGatewayAdapter } from './team-gateway';

export interface CreateAdaptersOptions {
  logger: Logger;
  /** Project used by memory-bank adapters. Default: `mcp-integration`. */
  memoryBankProject?: string;
  /**
   * The host's symbol search. When given and no serena server is enabled, a `HostSymbolsAdapter`
   * is added under the name `host-symbols` as the code-symbol layer.
   */
  symbols?: SymbolsPort;
}

export function createMcpAdapters(
  definitions: readonly ServerDefinition[],
  callerFor: (serverName: string) => ToolCaller,
  options: CreateAdaptersOptions,
): Map<string, KnowledgeAdapter> {
  const adapters = new Map<string, KnowledgeAdapter>();
  for (const definition of definitions) {
    if (!definition.enabled) continue;
    if (adapters.has(definition.name)) {
      options.logger.warn(`adapters: server "${definition.name}" is defined twice; keeping the first`);
      continue;
    }
    adapters.set(definition.name, createAdapter(definition, callerFor(definition.name), options));
  }
  const hasSerena = [...adapters.values()].some((adapter) => adapter.kind === 'serena');
  if (options.symbols && !hasSerena && !adapters.has(HOST_SYMBOLS_SERVER_NAME)) {
    adapters.set(HOST_SYMBOLS_SERVER_NAME, new HostSymbolsAdapter({ symbols: options.symbols }));
  }
  return adapters;
}

function createAdapter(
  definition: ServerDefinition,
  caller: ToolCaller,
  options: CreateAdaptersOptions,
): KnowledgeAdapter {
  const { logger } = options;
  // `kind` comes from user YAML, so guard against values the type does not list.
  const kind: string = definition.kind;
  switch (kind) {
    case 'memory-bank':
      return new MemoryBankAdapter({ caller, project: options.memoryBankProject, logger });
    case 'server-memory':
      return new ServerMemoryAdapter({ caller, logger });
    case 'serena':
      return new SerenaAdapter({ caller });
    case 'context7':
      return new Context7Adapter({ caller, logger });
    case 'github':
      return new GithubAdapter({ caller });
    case 'team-gateway':
      return new TeamGatewayAdapter(caller);
    default:
      if (kind !== 'generic')
        logger.warn(`adapters: unknown kind "${kind}" for server "${definition.name}"; using the generic adapter`);
      if (!definition.toolMapping)
        logger.warn(`adapters: generic server "${definition.name}" has no toolMapping; it will answer nothing`);
      return new GenericAdapter({ caller, mapping: definition.toolMapping ?? {} });
  }
}
