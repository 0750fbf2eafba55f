/**
 * Team gateway instances as an operator runs them: each a real `mcp-integration serve --http 0
 * --host 127.0.0.1 --token-file FILE` process (the built CLI) with its own configuration, storage
 * and workspace folders, in front of real context7 on the loopback API and, when given one, the
 * same Redis (`shared_cache`). Readiness is the printed endpoint line; the helper never sleeps.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliBundle } from '../integration/cli/cli-runner';
import { stringify } from 'yaml';
import { testConfig } from './config-files';
import { callToolOverHttp } from './mcp-http-call';
import { startServeHttp, type ServeProcess } from './serve-process';
import { waitFor } from './wait';

export interface TeamInstanceOptions {
  /** `CONTEXT7_API_URL` for context7 (`FakeContext7Api.apiUrl`). */
  apiUrl: string;
  /** The file of bearer tokens every instance accepts ({@link writeTokenFile}). */
  tokenFile: string;
  /** Makes a fresh folder (removed by the caller's cleanup). */
  makeDir: (prefix: string) => string;
  /** The team Redis; without it the instance has no shared level (a cache of its own). */
  redisUrl?: string;
  prefix?: string;
  /** Where this instance keeps private answers. */
  partition?: string;
  /** Requests handled at once (a load test sends hundreds). Default 1000. */
  maxInFlight?: number;
  /** Run memory-bank too (the hierarchy's memory layer, `remember_fix`). Default true. */
  withMemory?: boolean;
  /** `--drain-timeout-ms`, when the default is not wanted. */
  drainTimeoutMs?: number;
}

/** Writes a random bearer token to a user-only file in `dir`; returns the file and the token. */
export function writeTokenFile(dir: string): { file: string; token: string } {
  const token = randomBytes(24).toString('hex');
  const file = path.join(dir, 'team-token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { file, token };
}

/** Starts one instance and resolves once it reports its endpoint. */
export async function startTeamInstance(options: TeamInstanceOptions): Promise<ServeProcess> {
  const configDir = options.makeDir('team-config-');
  const config = testConfig(configDir, {
    context7ApiUrl: options.apiUrl,
    memoryTimeoutMs: 10_000,
    preloadStrategy: 'off',
  });
  const servers = config['servers'] as Record<string, Record<string, unknown>>;
  // Several instances start at once on a machine that may be busy: a slow first start is not a failure.
  (servers['context7'] as { timeouts: Record<string, number> }).timeouts['initialize_ms'] = 60_000;
  if (options.withMemory === false) servers['memory-bank'] = { enabled: false };
  if (options.redisUrl)
    // Generous bounds: hundreds of calls at once on a shared machine must not read as a slow
    // Redis (skipped) or a lease given up on; the store tests prove the tight ones.
    config['shared_cache'] = {
      url: options.redisUrl,
      prefix: options.prefix ?? 'team:',
      partition: options.partition ?? 'team',
      op_timeout_ms: 5_000,
      lease: { wait_ms: 60_000 },
    };
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, 'mcp-config.yaml'), stringify(config));
  const args = [
    '--config',
    configDir,
    '--storage',
    options.makeDir('team-storage-'),
    '--workspace',
    options.makeDir('team-workspace-'),
    'serve',
    '--http',
    '0',
    '--host',
    '127.0.0.1',
    '--token-file',
    options.tokenFile,
    '--max-in-flight',
    String(options.maxInFlight ?? 1000),
    ...(options.drainTimeoutMs !== undefined ? ['--drain-timeout-ms', String(options.drainTimeoutMs)] : []),
  ];
  return startServeHttp(cliBundle, args, 60_000);
}

/**
 * Resolves once context7 answers through the instance: a library search (not a docs request, which
 * tests count). On a busy machine a first start can time out; the runtime starts it again.
 */
export async function untilContext7Answers(url: string, token: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      const warm = await callToolOverHttp(url, token, 'context7__resolve-library-id', {
        libraryName: 'numpy',
        query: 'arrays',
      });
      return warm.result !== undefined && warm.result.isError !== true;
    },
    { what: `context7 to answer through ${url}`, timeoutMs, intervalMs: 500 },
  );
}

/** The pids of the upstream servers an instance runs, from its own stats tool. */
export async function upstreamPids(url: string, token: string): Promise<number[]> {
  const stats = await callToolOverHttp(url, token, 'stats', {});
  const servers = (stats.result?.structuredContent as { servers: Array<{ pid?: number }> } | undefined)?.servers;
  if (!servers) throw new Error(`stats answered ${stats.status}: ${stats.raw.body.slice(0, 200)}`);
  return servers.flatMap((server) => (server.pid === undefined ? [] : [server.pid]));
}
