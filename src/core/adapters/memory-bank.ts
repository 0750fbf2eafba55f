/**
 * Memory layer over `@allpepper/memory-bank-mcp`: one file per key in a configurable project,
 * holding a JSON envelope with the TTL (the server stores no expiry).
 *
 * Quirks handled here: file names must match `[a-zA-Z0-9_.-]+` (keys are encoded);
 * `memory_bank_write` on an existing file reports success and changes nothing, so existing files
 * are changed with `memory_bank_update`; a missing project or file is an `isError` result, which
 * means "miss" here; `list_projects` answers `"a,b"`, not JSON.
 */
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery, StoreOptions } from '../knowledge';
import type { ToolCaller } from '../mcp/types';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import {
  createEnvelope,
  createTombstone,
  envelopeMetadata,
  isExpired,
  parseEnvelope,
  serializeEnvelope,
} from './envelope';
import type { StoredEnvelope } from './envelope';
import { invokeTool } from './invoke';
import { decodeFileNameToKey, encodeKeyToFileName } from './key-encoding';
import { KeyedQueue } from './keyed-queue';
import { toolErrorDetail } from './normalize';

export const DEFAULT_MEMORY_BANK_PROJECT = 'mcp-integration';

const SAFE_NAME = /^[a-zA-Z0-9_.-]+$/;

export interface MemoryBankAdapterOptions {
  caller: ToolCaller;
  /** Project (folder under `MEMORY_BANK_ROOT`) holding the entries; created on first write. Default: `mcp-integration`. */
  project?: string;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Default: a silent logger. */
  logger?: Logger;
}

export class MemoryBankAdapter implements KnowledgeAdapter {
  readonly kind = 'memory-bank' as const;
  readonly writable = true;
  readonly serverName: string;
  readonly project: string;
  private readonly caller: ToolCaller;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly queue = new KeyedQueue();

  constructor(options: MemoryBankAdapterOptions) {
    this.caller = options.caller;
    this.serverName = options.caller.serverName;
    this.project = options.project ?? DEFAULT_MEMORY_BANK_PROJECT;
    if (!SAFE_NAME.test(this.project) || this.project.includes('..')) {
      throw new Error(`memory-bank project name "${this.project}" must match [a-zA-Z0-9_.-]+ and not contain ".."`);
    }
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    const envelope = await this.readEnvelope(query.text, options.signal);
    if (!envelope || isExpired(envelope, this.now())) return null;
    return { content: envelope.value, metadata: { ...envelopeMetadata(envelope), project: this.project } };
  }

  async store(key: string, value: string, options: StoreOptions): Promise<void> {
    const envelope = createEnvelope(key, value, options.contextType, options.ttlSeconds, this.now());
    await this.writeEnvelope(envelope, options.signal);
  }

  /** Overwrites the entry with an already-expired envelope (the server has no delete tool). */
  async invalidate(key: string, options: AdapterCallOptions = {}): Promise<void> {
    const fileName = encodeKeyToFileName(key);
    await this.queue.run(fileName, async () => {
      const existing = await this.readEnvelope(key, options.signal);
      if (!existing) return;
      const tombstone = serializeEnvelope(createTombstone(key, existing.contextType, this.now()));
      await this.update(fileName, tombstone, options.signal);
    });
  }

  /** Project names on the server (`list_projects` answers a comma-joined string). */
  async listProjects(options: AdapterCallOptions = {}): Promise<string[]> {
    const { text } = await invokeTool(this.caller, 'list_projects', {}, options);
    return splitCommaList(text);
  }

  /** Keys stored in the project that can be decoded from their file names (hashed ones are left out). */
  async listKeys(options: AdapterCallOptions = {}): Promise<string[]> {
    try {
      const { text } = await invokeTool(this.caller, 'list_project_files', { projectName: this.project }, options);
      return splitCommaList(text).flatMap((name) => decodeFileNameToKey(name) ?? []);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  private async readEnvelope(key: string, signal: AbortSignal | undefined): Promise<StoredEnvelope | undefined> {
    const fileName = encodeKeyToFileName(key);
    let text: string;
    try {
      ({ text } = await invokeTool(
        this.caller,
        'memory_bank_read',
        { projectName: this.project, fileName },
        { signal },
      ));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const envelope = parseEnvelope(text);
    if (!envelope) {
      this.logger.warn(
        `memory-bank: ${this.project}/${fileName} does not hold a cache envelope; treating it as a miss`,
      );
      return undefined;
    }
    // A hashed file name could in theory be shared by two keys: the envelope says whose it is.
    return envelope.key === key ? envelope : undefined;
  }

  private async writeEnvelope(envelope: StoredEnvelope, signal: AbortSignal | undefined): Promise<void> {
    const fileName = encodeKeyToFileName(envelope.key);
    const content = serializeEnvelope(envelope);
    await this.queue.run(fileName, async () => {
      try {
        await this.update(fileName, content, signal);
      } catch (error) {
        if (!isMissing(error)) throw error;
        await invokeTool(
          this.caller,
          'memory_bank_write',
          { projectName: this.project, fileName, content },
          { signal },
        );
      }
    });
  }

  private async update(fileName: string, content: string, signal: AbortSignal | undefined): Promise<void> {
    await invokeTool(this.caller, 'memory_bank_update', { projectName: this.project, fileName, content }, { signal });
  }
}

/** memory-bank reports a missing project as ENOENT and a missing file as NotFoundError. */
function isMissing(error: unknown): boolean {
  const detail = toolErrorDetail(error);
  if (!detail) return false;
  return detail.name === 'NotFoundError' || /\bENOENT\b/.test(detail.error);
}

function splitCommaList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}
