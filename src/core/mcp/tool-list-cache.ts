/**
 * Tool lists per server, persisted so a restart of the host knows each server's tools without a
 * tools/list round trip. An entry is valid for one server identity: a hash of its definition
 * (how it is started) plus the name and version the server reported at initialize. A changed
 * definition or an upgraded server therefore never sees a stale list.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '../ports';
import { JsonStateFile } from '../store/json-state-file';
import type { ServerDefinition, Tool } from './types';

export interface CachedToolList {
  /** `definitionHash(definition)`. */
  definitionHash: string;
  /** `name@version` reported by the server. */
  serverVersion: string;
  tools: Tool[];
  savedAt: number;
}

interface ToolListFile {
  version: 1;
  servers: Record<string, CachedToolList>;
}

/** Key order-independent JSON, so equal definitions hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash of everything that decides which process/endpoint a definition reaches (not timeouts or cost). */
export function definitionHash(definition: ServerDefinition): string {
  const identity = { name: definition.name, kind: definition.kind, transport: definition.transport };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 32);
}

/** Hash of the whole definition: any change here means the running server must restart. */
export function fullDefinitionHash(definition: ServerDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 32);
}

function isToolListFile(value: unknown): value is ToolListFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as { version?: unknown; servers?: unknown };
  return file.version === 1 && typeof file.servers === 'object' && file.servers !== null;
}

export class ToolListCache {
  private readonly file: JsonStateFile<ToolListFile>;
  private loaded: Promise<ToolListFile> | undefined;

  constructor(storageDir: string, logger?: Logger) {
    this.file = new JsonStateFile<ToolListFile>({
      path: path.join(storageDir, 'mcp-tool-lists.json'),
      initial: () => ({ version: 1, servers: {} }),
      validate: (value) => (isToolListFile(value) ? value : null),
      logger,
    });
  }

  /** The stored list for this server identity, or undefined when missing or stale. */
  async get(definition: ServerDefinition, serverVersion: string): Promise<Tool[] | undefined> {
    const entry = (await this.load()).servers[definition.name];
    if (!entry || entry.definitionHash !== definitionHash(definition) || entry.serverVersion !== serverVersion)
      return undefined;
    return entry.tools;
  }

  /** Tool names last seen for this definition (any server version); for status before a start. */
  async lastKnownNames(definition: ServerDefinition): Promise<string[]> {
    const entry = (await this.load()).servers[definition.name];
    return entry && entry.definitionHash === definitionHash(definition) ? entry.tools.map((t) => t.name) : [];
  }

  async set(definition: ServerDefinition, serverVersion: string, tools: Tool[]): Promise<void> {
    const data = await this.load();
    data.servers[definition.name] = {
      definitionHash: definitionHash(definition),
      serverVersion,
      tools,
      savedAt: Date.now(),
    };
    await this.file.write(data);
  }

  async invalidate(serverName: string): Promise<void> {
    const data = await this.load();
    if (!(serverName in data.servers)) return;
    delete data.servers[serverName];
    await this.file.write(data);
  }

  private load(): Promise<ToolListFile> {
    // Read once; afterwards the in-memory copy is the source of truth and every change is written through.
    this.loaded ??= this.file.read();
    return this.loaded;
  }
}
