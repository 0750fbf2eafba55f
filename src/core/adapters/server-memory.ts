/**
 * Memory layer over `@modelcontextprotocol/server-memory` (a knowledge graph). Each key is an
 * entity named after the key, typed by its context type, whose single observation is the JSON
 * envelope carrying the TTL. Exact keys are read with `open_nodes`; free-text questions fall back
 * to `search_nodes`, which also finds entities the user created themselves.
 *
 * Quirk: `create_entities` silently skips an entity that already exists, so an overwrite is
 * delete + create, serialised per key.
 */
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery, StoreOptions } from '../knowledge';
import type { ToolCaller } from '../mcp/types';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import { createEnvelope, envelopeMetadata, isExpired, parseEnvelope, serializeEnvelope } from './envelope';
import { invokeTool } from './invoke';
import { KeyedQueue } from './keyed-queue';
import { isRecord, structuredOrJson } from './structured';

export interface GraphEntity {
  name: string;
  entityType: string;
  observations: string[];
}

export interface ServerMemoryAdapterOptions {
  caller: ToolCaller;
  /** Fall back to `search_nodes` when no entity is named exactly like the query. Default: true. */
  searchFallback?: boolean;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Default: a silent logger. */
  logger?: Logger;
}

export class ServerMemoryAdapter implements KnowledgeAdapter {
  readonly kind = 'server-memory' as const;
  readonly writable = true;
  readonly serverName: string;
  private readonly caller: ToolCaller;
  private readonly searchFallback: boolean;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly queue = new KeyedQueue();

  constructor(options: ServerMemoryAdapterOptions) {
    this.caller = options.caller;
    this.serverName = options.caller.serverName;
    this.searchFallback = options.searchFallback ?? true;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    const signal = options.signal;
    const [exact] = await this.entities('open_nodes', { names: [query.text] }, signal);
    if (exact) {
      const answer = await this.answerFrom(exact, 'open_nodes', signal);
      if (answer) return answer;
    }
    if (!this.searchFallback || query.text.trim() === '') return null;
    const found = await this.entities('search_nodes', { query: query.text }, signal);
    // Prefer entities of the asked context type; search order is otherwise the server's.
    const ranked = [...found].sort(
      (a, b) => Number(b.entityType === query.contextType) - Number(a.entityType === query.contextType),
    );
    for (const entity of ranked) {
      if (entity.name === query.text) continue; // already looked at above
      const answer = await this.answerFrom(entity, 'search_nodes', signal);
      if (answer) return answer;
    }
    return null;
  }

  async store(key: string, value: string, options: StoreOptions): Promise<void> {
    const envelope = createEnvelope(key, value, options.contextType, options.ttlSeconds, this.now());
    const entity: GraphEntity = {
      name: key,
      entityType: options.contextType,
      observations: [serializeEnvelope(envelope)],
    };
    const signal = options.signal;
    await this.queue.run(key, async () => {
      const created = await this.entities('create_entities', { entities: [entity] }, signal);
      if (created.length > 0) return;
      await this.deleteEntity(key, signal);
      await this.entities('create_entities', { entities: [entity] }, signal);
    });
  }

  async invalidate(key: string, options: AdapterCallOptions = {}): Promise<void> {
    await this.queue.run(key, () => this.deleteEntity(key, options.signal));
  }

  private async answerFrom(
    entity: GraphEntity,
    tool: string,
    signal: AbortSignal | undefined,
  ): Promise<AdapterAnswer | null> {
    const envelopes = entity.observations.map(parseEnvelope);
    const envelope = envelopes.find((candidate) => candidate !== undefined && candidate.key === entity.name);
    if (!envelope) {
      // An entity the user made: its observations are the knowledge.
      if (entity.observations.length === 0 || envelopes.some((candidate) => candidate !== undefined)) return null;
      return {
        content: formatForeignEntity(entity),
        metadata: { key: entity.name, entityType: entity.entityType, tool },
      };
    }
    if (isExpired(envelope, this.now())) {
      await this.queue
        .run(entity.name, () => this.deleteEntity(entity.name, signal))
        .catch((error: unknown) => {
          this.logger.debug(`server-memory: could not delete expired entry "${entity.name}"`, error);
        });
      return null;
    }
    return { content: envelope.value, metadata: { ...envelopeMetadata(envelope), tool } };
  }

  private async deleteEntity(name: string, signal: AbortSignal | undefined): Promise<void> {
    await invokeTool(this.caller, 'delete_entities', { entityNames: [name] }, { signal });
  }

  /** Calls a graph tool and returns the entities of its answer (`{entities}` or a bare array). */
  private async entities(
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<GraphEntity[]> {
    const result = await invokeTool(this.caller, tool, args, { signal });
    const data = structuredOrJson(result);
    const list: unknown = Array.isArray(data) ? data : isRecord(data) ? data.entities : undefined;
    return Array.isArray(list) ? list.filter(isGraphEntity) : [];
  }
}

function isGraphEntity(value: unknown): value is GraphEntity {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.entityType === 'string' &&
    Array.isArray(value.observations) &&
    value.observations.every((observation) => typeof observation === 'string')
  );
}

function formatForeignEntity(entity: GraphEntity): string {
  return [
    `**${entity.name}** (${entity.entityType})`,
    ...entity.observations.map((observation) => `- ${observation}`),
  ].join('\n');
}
