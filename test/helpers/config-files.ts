/**
 * Test configuration files: a user-level `mcp-config.yaml` that points the runtime at the real
 * servers installed as dev dependencies (absolute `process.execPath` + bin paths, no npx, no shell)
 * and at the loopback context7 API. The runtime and the CLI read it as the user layer
 * (`HostPorts.config.userDir` / `--config DIR`) over the shipped defaults.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { FaultyMode } from '../fixtures/servers/faulty-server';
import { packageBin, tsxImport } from './servers';

const faultyServerFile = path.resolve(__dirname, '..', 'fixtures', 'servers', 'faulty-server.ts');

export interface TestConfigOptions {
  /** `CONTEXT7_API_URL` for the real context7 server (`FakeContext7Api.apiUrl`). */
  context7ApiUrl: string;
  /** memory-bank's root; default `<configDir>/memory-bank`. */
  memoryBankRoot?: string;
  /**
   * Replaces memory-bank with the faulty fixture server in this mode (a `generic` server named
   * `memory-bank` whose fetch calls `echo`), so the memory layer hangs, exits or errors.
   */
  memoryFault?: FaultyMode;
  /** Break context7: point it at a closed port instead of the loopback API. */
  context7Unreachable?: boolean;
  /** Memory layer timeout in ms (default 1000, as shipped). */
  memoryTimeoutMs?: number;
  /** Preload strategy (default `balanced`, as shipped). */
  preloadStrategy?: 'off' | 'balanced' | 'aggressive';
  /** Docs topics to preload (default one topic, to keep tests short). */
  preloadTopics?: string[];
  /** Extra top-level keys merged over the generated ones. */
  extra?: Record<string, unknown>;
}

/** A closed loopback port: nothing listens on port 9 (discard) on test machines. */
const UNREACHABLE_API = 'http://127.0.0.1:9/api';

/** The `servers:` section: memory-bank (or the faulty stand-in) and context7, others off. */
export function testServers(configDir: string, options: TestConfigOptions): Record<string, unknown> {
  const memoryBank = options.memoryFault
    ? {
        kind: 'generic',
        command: process.execPath,
        args: ['--import', tsxImport, faultyServerFile],
        env: { FAULTY_MODE: options.memoryFault },
        timeouts: { initialize_ms: 15_000, list_ms: 5_000, call_ms: 5_000 },
        tool_mapping: { fetch: { tool: 'echo', arguments: { text: '{query}' } } },
      }
    : {
        kind: 'memory-bank',
        command: process.execPath,
        args: [packageBin('@allpepper/memory-bank-mcp')],
        env: { MEMORY_BANK_ROOT: options.memoryBankRoot ?? path.join(configDir, 'memory-bank') },
        timeouts: { initialize_ms: 15_000, list_ms: 5_000, call_ms: 5_000 },
      };
  return {
    'memory-bank': memoryBank,
    context7: {
      kind: 'context7',
      command: process.execPath,
      args: [packageBin('@upstash/context7-mcp'), '--transport', 'stdio'],
      env: {
        CONTEXT7_API_URL: (options.context7Unreachable ? UNREACHABLE_API : options.context7ApiUrl).replace(/\/$/, ''),
        OTEL_SDK_DISABLED: 'true',
      },
      timeouts: { initialize_ms: 15_000, list_ms: 5_000, call_ms: 10_000 },
    },
    'server-memory': { enabled: false },
    serena: { enabled: false },
    github: { enabled: false },
  };
}

/** The whole test `mcp-config.yaml` as an object (snake_case, as written on disk). */
export function testConfig(configDir: string, options: TestConfigOptions): Record<string, unknown> {
  return {
    servers: testServers(configDir, options),
    knowledge_hierarchy: {
      layers: [
        {
          name: 'memory',
          servers: ['memory-bank', 'server-memory'],
          priority: 1,
          latency_target_ms: 100,
          timeout_ms: options.memoryTimeoutMs ?? 1000,
        },
        { name: 'code-symbols', servers: ['serena'], priority: 2, latency_target_ms: 200, timeout_ms: 2000 },
        // Generous: the first docs call also pays context7's start-up (~0.5 s, more on a busy machine).
        { name: 'docs', servers: ['context7'], priority: 3, latency_target_ms: 500, timeout_ms: 15_000 },
        { name: 'github', servers: ['github'], priority: 4, latency_target_ms: 1500, timeout_ms: 10_000 },
      ],
    },
    context7: { library_cache: { preload_topics: options.preloadTopics ?? ['getting started'] } },
    preload: { strategy: options.preloadStrategy ?? 'balanced' },
    ...options.extra,
  };
}

/**
 * Writes `<configDir>/mcp-config.yaml` (creating the folder) and returns its path. The result is
 * meant as the user layer; the shipped defaults stay underneath.
 */
export function writeTestConfig(configDir: string, options: TestConfigOptions): string {
  mkdirSync(configDir, { recursive: true });
  const file = path.join(configDir, 'mcp-config.yaml');
  writeFileSync(file, stringify(testConfig(configDir, options)));
  return file;
}
