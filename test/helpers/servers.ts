/**
 * Server definitions for tests: the real MCP servers installed as dev dependencies and the
 * test-fixture servers. Everything starts as `process.execPath` + a JS/TS file (no npx, no shell),
 * so it works from any cwd and leaves exactly one process per server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerDefinition, ServerTimeouts } from '../../src/core/mcp/types';
import type { FaultyMode } from '../fixtures/servers/faulty-server';

export type { FaultyMode };

/** Options shared by every helper. */
export interface TestServerOptions {
  /** Server name. Default: the helper's kind-like name (`memory-bank`, `faulty`, …). */
  name?: string;
  /** Timeouts; missing ones default to initialize 10 s, list 5 s, call 5 s. */
  timeouts?: Partial<ServerTimeouts>;
  /** Extra environment variables for the server. */
  env?: Record<string, string>;
  /** Working directory. Default: inherited. */
  cwd?: string;
}

const defaultTimeouts: ServerTimeouts = { initializeMs: 10_000, listMs: 5_000, callMs: 5_000 };
const fixturesDir = path.resolve(__dirname, '..', 'fixtures', 'servers');

/** `--import` value for tsx, resolved from this repo so TS fixtures start from any cwd. */
export const tsxImport: string = pathToFileURL(require.resolve('tsx')).href;

/** Absolute path of an installed package's bin script (first bin unless `binName` is given). */
export function packageBin(packageName: string, binName?: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin =
    typeof manifest.bin === 'string'
      ? manifest.bin
      : manifest.bin?.[binName ?? Object.keys(manifest.bin ?? {})[0] ?? ''];
  if (!bin) throw new Error(`${packageName} declares no bin${binName ? ` named ${binName}` : ''}`);
  return path.join(path.dirname(manifestPath), bin);
}

function definition(
  name: string,
  kind: ServerDefinition['kind'],
  args: string[],
  env: Record<string, string>,
  options: TestServerOptions,
): ServerDefinition {
  return {
    name: options.name ?? name,
    kind,
    enabled: true,
    transport: {
      transport: 'stdio',
      command: process.execPath,
      args,
      env: { ...env, ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    },
    timeouts: { ...defaultTimeouts, ...options.timeouts },
    costPerCallUsd: 0,
    origin: 'defaults',
  };
}

function fixture(file: string): string[] {
  return ['--import', tsxImport, path.join(fixturesDir, file)];
}

/** The real `@allpepper/memory-bank-mcp`, storing under `root` (must exist). */
export function memoryBankServer(root: string, options: TestServerOptions = {}): ServerDefinition {
  return definition(
    'memory-bank',
    'memory-bank',
    [packageBin('@allpepper/memory-bank-mcp')],
    { MEMORY_BANK_ROOT: root },
    options,
  );
}

/** The real `@modelcontextprotocol/server-memory` (knowledge graph in a JSON-lines `file`). */
export function serverMemoryServer(file: string, options: TestServerOptions = {}): ServerDefinition {
  return definition(
    'server-memory',
    'server-memory',
    [packageBin('@modelcontextprotocol/server-memory')],
    { MEMORY_FILE_PATH: file },
    options,
  );
}

/**
 * The real `@upstash/context7-mcp` pointed at a loopback API (`FakeContext7Api.apiUrl`). Telemetry is
 * off and no proxy variables are passed (the SDK's safe base env carries none).
 */
export function context7Server(apiUrl: string, options: TestServerOptions = {}): ServerDefinition {
  return definition(
    'context7',
    'context7',
    [packageBin('@upstash/context7-mcp'), '--transport', 'stdio'],
    { CONTEXT7_API_URL: apiUrl.replace(/\/$/, ''), OTEL_SDK_DISABLED: 'true' },
    options,
  );
}

export interface SerenaStandInOptions extends TestServerOptions {
  /** Project root for search_for_pattern. Default: cwd of the server. */
  project?: string;
  /** Memories folder. Default: `<project>/.serena/memories`. */
  memoriesDir?: string;
  /** JSON file with the symbol table. Default: the built-in table. */
  symbolsFile?: string;
}

/** TEST FIXTURE: serena's tools over stdio (see test/fixtures/servers/serena-standin.ts). */
export function serenaStandIn(options: SerenaStandInOptions = {}): ServerDefinition {
  const env: Record<string, string> = {};
  if (options.project) env['SERENA_STANDIN_PROJECT'] = options.project;
  if (options.memoriesDir) env['SERENA_STANDIN_MEMORIES'] = options.memoriesDir;
  if (options.symbolsFile) env['SERENA_STANDIN_SYMBOLS'] = options.symbolsFile;
  return definition('serena', 'serena', fixture('serena-standin.ts'), env, options);
}

export interface GitHubStandInOptions extends TestServerOptions {
  /** JSON file with `GitHubStandInData`. Default: the built-in data. */
  dataFile?: string;
}

/** TEST FIXTURE: github's search/get tools over stdio with canned data. */
export function githubStandIn(options: GitHubStandInOptions = {}): ServerDefinition {
  const env: Record<string, string> = options.dataFile ? { GITHUB_STANDIN_DATA: options.dataFile } : {};
  return definition('github', 'github', fixture('github-standin.ts'), env, options);
}

export interface FaultyServerOptions extends TestServerOptions {
  /** Delay for `slow-initialize`, ms. Default 1000. */
  delayMs?: number;
  /** When this file exists at start, the server behaves normally. */
  healFile?: string;
  /** File that receives one line (the pid) per process start. */
  startLog?: string;
  /** Ignore stdin closing and SIGTERM, so only SIGKILL ends it. Default false. */
  stubborn?: boolean;
}

/** TEST FIXTURE: a server that misbehaves in the chosen way. */
export function faultyServer(mode: FaultyMode, options: FaultyServerOptions = {}): ServerDefinition {
  const env: Record<string, string> = { FAULTY_MODE: mode };
  if (options.delayMs !== undefined) env['FAULTY_DELAY_MS'] = String(options.delayMs);
  if (options.healFile) env['FAULTY_HEAL_FILE'] = options.healFile;
  if (options.startLog) env['FAULTY_START_LOG'] = options.startLog;
  if (options.stubborn) env['FAULTY_STUBBORN'] = '1';
  return definition(options.name ?? 'faulty', 'generic', fixture('faulty-server.ts'), env, options);
}
