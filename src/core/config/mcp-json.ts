/**
 * Servers the user already declared for VS Code (`.vscode/mcp.json`, `{"servers": …}`) or for other
 * MCP clients (`.mcp.json`, `{"mcpServers": …}`) in the workspace. JSON with comments, read with
 * Microsoft's `jsonc-parser` so errors carry line and column. `${input:id}` prompts become
 * `${secret:id}` (the host's secret storage answers them). A YAML server of the same name wins;
 * that merge happens in `loadMcpConfig`.
 */
import path from 'node:path';
import { parseEnv } from 'node:util';
import { parseTree, printParseErrorCode, getNodeValue, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { readRoutedEntries } from '../duplicates/routed-entries';
import { ConfigError } from '../errors';
import type { ServerDefinition } from '../mcp/types';
import { issuesToErrors } from './issues';
import { jsonLocator, offsetToPosition } from './locate';
import { serverSchema } from './mcp-config-schema';
import { inferServerKind } from './server-kind';
import { MAX_CONFIG_BYTES, readConfigText } from './yaml-loader';

const stringMap = z.record(z.string(), z.string());
// Loose objects: these formats belong to other tools and grow fields we do not use.
const jsonServerSchema = z.looseObject({
  type: z.enum(['stdio', 'http', 'sse']).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).default([]),
  env: stringMap.default({}),
  envFile: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  headers: stringMap.default({}),
  disabled: z.boolean().optional(),
});

const DEFAULT_TIMEOUTS = serverSchema.shape.timeouts.parse(undefined);

export interface McpJsonResult {
  servers: ServerDefinition[];
  errors: ConfigError[];
  /** Where each imported server is written. */
  locations: Map<string, { file: string; line: number; column: number }>;
}

/**
 * Reads `.vscode/mcp.json` then `.mcp.json` in `workspaceDir`; on a name clash the VS Code file wins.
 * Missing files are fine; a broken file contributes errors and no servers.
 */
export async function loadWorkspaceMcpJson(workspaceDir: string): Promise<McpJsonResult> {
  const result: McpJsonResult = { servers: [], errors: [], locations: new Map() };
  const sources = [
    { file: path.join(workspaceDir, '.vscode', 'mcp.json'), origin: 'vscode-mcp-json' },
    { file: path.join(workspaceDir, '.mcp.json'), origin: 'dot-mcp-json' },
  ] as const;
  for (const source of sources) {
    const text = await readConfigText(source.file);
    if (text === undefined) continue;
    const parsed = await parseMcpJsonText(source.file, text, source.origin, workspaceDir);
    result.errors.push(...parsed.errors);
    for (const server of parsed.servers) {
      if (result.servers.some((s) => s.name === server.name)) continue;
      result.servers.push(server);
      const at = parsed.locations.get(server.name);
      if (at) result.locations.set(server.name, at);
    }
  }
  return result;
}

/** Parses one mcp.json-style text (exported for tests and for hosts that hold unsaved text). */
export async function parseMcpJsonText(
  file: string,
  text: string,
  origin: 'vscode-mcp-json' | 'dot-mcp-json',
  workspaceDir: string,
): Promise<McpJsonResult> {
  const result: McpJsonResult = { servers: [], errors: [], locations: new Map() };
  if (text.length > MAX_CONFIG_BYTES) {
    result.errors.push(new ConfigError(file, 1, 1, '', `file is larger than ${MAX_CONFIG_BYTES} bytes`));
    return result;
  }
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0 || !root) {
    for (const e of parseErrors) {
      const { line, column } = offsetToPosition(text, e.offset);
      result.errors.push(new ConfigError(file, line, column, '', `JSON syntax error: ${printParseErrorCode(e.error)}`));
    }
    if (!root) return result;
    if (parseErrors.length > 0) return result;
  }
  const locate = jsonLocator(root, text);
  const key = origin === 'vscode-mcp-json' ? 'servers' : 'mcpServers';
  const raw: unknown = getNodeValue(root);
  // Validate server by server so one bad entry does not hide the others.
  const top = z.looseObject({ [key]: z.record(z.string(), z.unknown()).default({}) }).safeParse(raw);
  if (!top.success) {
    result.errors.push(...issuesToErrors(file, top.error.issues, locate));
    return result;
  }
  const entries = (top.data as Record<string, Record<string, unknown>>)[key] ?? {};
  // Entries routed through MCP Integration are commented out for VS Code but still served by us.
  const routed = origin === 'vscode-mcp-json' ? readRoutedEntries(text).filter((r) => !(r.name in entries)) : [];
  const declared: Array<[string, unknown, { line: number; column: number } | undefined]> = [
    ...Object.entries(entries).map(([name, value]): [string, unknown, undefined] => [name, value, undefined]),
    ...routed.map((r): [string, unknown, { line: number; column: number }] => [
      r.name,
      r.value,
      { line: r.line + 1, column: 1 },
    ]),
  ];
  for (const [name, value, routedAt] of declared) {
    const parsed = jsonServerSchema.safeParse(value, { reportInput: true });
    const at = routedAt ?? locate([key, name]);
    if (!parsed.success) {
      result.errors.push(...issuesToErrors(file, parsed.error.issues, locate, (p) => [key, name, ...p]));
      continue;
    }
    const entry = parsed.data;
    const transport =
      entry.type === 'http' || entry.type === 'sse' || (!entry.type && entry.url && !entry.command) ? 'http' : 'stdio';
    if (transport === 'http' && !entry.url) {
      result.errors.push(new ConfigError(file, at.line, at.column, `${key}.${name}`, 'an http server needs a "url"'));
      continue;
    }
    if (transport === 'stdio' && !entry.command) {
      result.errors.push(
        new ConfigError(file, at.line, at.column, `${key}.${name}`, 'a stdio server needs a "command"'),
      );
      continue;
    }
    let env = mapInputs(entry.env);
    if (entry.envFile) {
      const envFromFile = await readEnvFile(entry.envFile, workspaceDir);
      if (typeof envFromFile === 'string') {
        result.errors.push(new ConfigError(file, at.line, at.column, `${key}.${name}.envFile`, envFromFile));
        continue;
      }
      env = { ...envFromFile, ...env };
    }
    const args = entry.args.map(inputToSecret);
    result.servers.push({
      name,
      kind: inferServerKind(entry.command, args, entry.url),
      enabled: entry.disabled !== true,
      transport:
        transport === 'http'
          ? { transport: 'http', url: inputToSecret(entry.url ?? ''), headers: mapInputs(entry.headers) }
          : {
              transport: 'stdio',
              command: inputToSecret(entry.command ?? ''),
              args,
              env,
              ...(entry.cwd ? { cwd: inputToSecret(entry.cwd) } : {}),
            },
      timeouts: {
        initializeMs: DEFAULT_TIMEOUTS.initialize_ms,
        listMs: DEFAULT_TIMEOUTS.list_ms,
        callMs: DEFAULT_TIMEOUTS.call_ms,
      },
      costPerCallUsd: 0,
      origin,
    });
    result.locations.set(name, { file, ...at });
  }
  return result;
}

/** `${input:id}` (a VS Code prompt) → `${secret:id}` (the host's secret storage). */
export function inputToSecret(text: string): string {
  return text.replace(/\$\{input:([A-Za-z0-9_.-]+)\}/g, '${secret:$1}');
}

function mapInputs(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, inputToSecret(v)]));
}

async function readEnvFile(envFile: string, workspaceDir: string): Promise<Record<string, string> | string> {
  const resolved = path.resolve(workspaceDir, envFile.replace('${workspaceFolder}', workspaceDir));
  let text: string | undefined;
  try {
    text = await readConfigText(resolved);
  } catch (error) {
    return `cannot read envFile ${resolved}: ${(error as Error).message}`;
  }
  if (text === undefined) return `envFile ${resolved} does not exist`;
  if (text.length > MAX_CONFIG_BYTES) return `envFile ${resolved} is too large`;
  return parseEnv(text) as Record<string, string>;
}
