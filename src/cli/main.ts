/**
 * `mcp-integration`: the runtime as a command-line program, for scripts, CI and benchmarks.
 * Exit codes: 0 success, 1 the operation failed (no answer, server errors), 2 usage or configuration errors.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { McpIntegrationApi } from '../core/api';
import type { HostPorts, LogLevel } from '../core/ports';
import { createRuntime } from '../core/runtime';
import { languageIdForPath } from '../core/detection/languages';
import { type CliHostOptions, createCliHost, defaultStorageDir } from './host';
import { canonicalFolder, TrustList } from './trust';
import { formatDetection, formatLookup, formatPreloadSummary, formatServers, formatStats } from './format';
import { createProgressReporter } from './progress';
import { CliError } from './cli-error';
import { addServeCommand } from './serve-command';

export { CliError } from './cli-error';

interface GlobalOptions {
  config?: string;
  storage?: string;
  workspace?: string;
  logLevel: LogLevel;
  trustWorkspace?: boolean;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

/** Builds the runtime, runs `action`, and always shuts the runtime down (no server outlives the CLI). */
async function withRuntime<T>(
  program: Command,
  action: (runtime: McpIntegrationApi, host: HostPorts) => Promise<T>,
  hostOptions: Pick<CliHostOptions, 'logTap'> = {},
): Promise<T> {
  const options = program.opts<GlobalOptions>();
  const host = createCliHost({
    configDir: options.config,
    storageDir: options.storage,
    workspaceDir: options.workspace,
    logLevel: options.logLevel,
    trustWorkspace: options.trustWorkspace,
    ...hostOptions,
  });
  const runtime = await createRuntime(host, { installationId: 'cli' });
  try {
    for (const error of runtime.configErrors) process.stderr.write(`config: ${error.message}\n`);
    return await action(runtime, host);
  } finally {
    await runtime.shutdown();
  }
}

/** Source files larger than this are not detected (no real source file is this big). */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a file given on the command line, refusing devices, FIFOs and folders before reading
 * (`detect /dev/zero` must not read forever) and files over `MAX_SOURCE_BYTES`.
 */
async function readSourceFile(file: string): Promise<string> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_SOURCE_BYTES) throw new Error(`larger than ${MAX_SOURCE_BYTES} bytes`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

const print = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2));

export function buildProgram(): Command {
  const program = new Command('mcp-integration')
    .description('Your MCP servers behind one cached knowledge hierarchy')
    .option('--config <dir>', 'configuration folder (mcp-config.yaml, mcp-profiles.yaml, library-cache.yaml)')
    .option('--storage <dir>', 'folder for the persistent cache and learned state')
    .option('--workspace <dir>', 'workspace root whose .mcp-integration/ and .vscode/mcp.json apply (default: cwd)')
    .option(
      '--trust-workspace',
      'trust the workspace for this run: start the servers it declares, use its trigger patterns',
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['trace', 'debug', 'info', 'warn', 'error'])
        .default('warn'),
    )
    .showHelpAfterError()
    // Set before the subcommands are added, which copy it: a usage error in a subcommand then
    // reaches `main` (exit 2) instead of commander's own process.exit(1).
    .exitOverride();

  program
    .command('lookup')
    .description('answer a question through the knowledge hierarchy')
    .argument('<query...>', 'the question')
    .option('-t, --type <type>', 'context type (default: guessed by the smart trigger)')
    .option('--no-cache', 'skip the local cache (the answer is still cached)')
    .option('--json', 'print the result as JSON')
    .action(async (query: string[], opts: { type?: string; cache: boolean; json?: boolean }) => {
      const result = await withRuntime(program, (rt) =>
        rt.lookup(query.join(' '), { contextType: opts.type, bypassCache: !opts.cache }),
      );
      if (opts.json) printJson(result);
      else print(formatLookup(result));
      if (!result.success) process.exitCode = 1;
    });

  program
    .command('store')
    .description('store a value in the local cache and the memory layer')
    .argument('<key>')
    .argument('<value>')
    .option('-t, --type <type>', 'context type', 'general')
    .option('--ttl <seconds>', 'time to live (default: the TTL of the type)', parseSeconds)
    .action(async (key: string, value: string, opts: { type: string; ttl?: number }) => {
      // Rejects (exit 1) when nothing kept the value; otherwise says where it went and what refused it.
      const result = await withRuntime(program, (rt) =>
        rt.store(key, value, { contextType: opts.type, ttlSeconds: opts.ttl }),
      ).catch((error: unknown) => {
        throw new CliError(`store ${key}: ${error instanceof Error ? error.message : String(error)}`, 1);
      });
      print(`stored ${key} in ${result.targets.join(', ')}`);
      for (const failed of result.failed) process.stderr.write(`not stored in ${failed.target}: ${failed.error}\n`);
    });

  program
    .command('servers')
    .description('list configured servers with their state, tools and last error')
    .option('--start', 'start every enabled server first, so its tools are listed')
    .option('--json', 'print JSON')
    .action(async (opts: { start?: boolean; json?: boolean }) => {
      const statuses = await withRuntime(program, async (rt) => {
        if (opts.start) await rt.restartServers();
        return rt.getServerStatuses();
      });
      if (opts.json) printJson(statuses);
      else print(formatServers(statuses));
    });

  program
    .command('stats')
    .description('cache hit rate, calls, errors, latency and cost')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const data = await withRuntime(program, (rt) => Promise.resolve(rt.getDashboardData()));
      if (opts.json) printJson(data);
      else print(formatStats(data));
    });

  program
    .command('export-metrics')
    .description('write the metrics as JSON or Prometheus text')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'prometheus']).default('json'))
    .option('-o, --out <file>', 'output file (default: stdout)')
    .action(async (opts: { format: 'json' | 'prometheus'; out?: string }) => {
      await withRuntime(program, async (rt) => {
        if (opts.out) {
          await rt.exportMetrics(path.resolve(opts.out), opts.format);
          process.stderr.write(`wrote ${opts.out}\n`);
          return;
        }
        const tmp = path.join(
          await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'mcp-metrics-')),
          `metrics.${opts.format}`,
        );
        await rt.exportMetrics(tmp, opts.format);
        print(await fs.readFile(tmp, 'utf8'));
        await fs.rm(path.dirname(tmp), { recursive: true, force: true });
      });
    });

  const cache = program.command('cache').description('manage the local cache');
  cache
    .command('clear')
    .description('remove every cached answer (memory and disk)')
    .action(async () => {
      await withRuntime(program, (rt) => rt.clearCache());
      print('cache cleared');
    });

  program
    .command('detect')
    .description('list the libraries each file imports and the members it uses (tree-sitter)')
    .argument('<files...>')
    .option('--json', 'print JSON')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const results = await withRuntime(program, async (rt) => {
        const out = [];
        for (const file of files) {
          const absolute = path.resolve(file);
          const text = await readSourceFile(absolute).catch((error: NodeJS.ErrnoException) => {
            throw new CliError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, 2);
          });
          const language = languageIdForPath(absolute);
          const detection = language ? await rt.openDocument({ uri: absolute, languageId: language, text }) : null;
          rt.closeDocument(absolute);
          out.push({ file, detection });
        }
        return out;
      });
      if (opts.json) {
        printJson(
          results.map(({ file, detection }) => ({
            file,
            language: detection?.language ?? null,
            modules: detection?.modules ?? [],
            members: detection?.members.map((m) => m.name) ?? [],
            libraries: detection?.libraries.flatMap((l) => (l.libraryId ? [l.libraryId] : [])) ?? [],
          })),
        );
      } else {
        print(results.map(({ file, detection }) => formatDetection(file, detection)).join('\n'));
      }
    });

  program
    .command('preload')
    .description('preload the docs of every library a workspace imports')
    .argument('[dir]', 'workspace folder', '.')
    .action(async (dir: string) => {
      const summary = await withRuntime(program, async (rt) => {
        const progress = createProgressReporter();
        try {
          return await rt.preloadWorkspace(path.resolve(dir), { onProgress: progress.update });
        } finally {
          progress.stop();
        }
      });
      print(formatPreloadSummary(summary));
      if (summary.failed > 0) process.exitCode = 1;
    });

  addServeCommand(program, withRuntime);

  const trust = program
    .command('trust')
    .description('which workspace folders may start the servers they declare (like direnv allow)');
  const trustList = (): TrustList => {
    const options = program.opts<GlobalOptions>();
    return new TrustList(path.resolve(options.storage ?? defaultStorageDir()));
  };
  trust
    .command('allow')
    .description('trust a folder (and the folders inside it) from now on')
    .argument('[folder]', 'the folder (default: --workspace or the current folder)')
    .action(async (folder?: string) => {
      const trusted = await trustList().allow(folder ?? program.opts<GlobalOptions>().workspace ?? '.');
      print(`trusted ${trusted}`);
    });
  trust
    .command('deny')
    .description('stop trusting a folder')
    .argument('[folder]', 'the folder (default: --workspace or the current folder)')
    .action(async (folder?: string) => {
      const target = folder ?? program.opts<GlobalOptions>().workspace ?? '.';
      const removed = await trustList().deny(target);
      print(removed ? `no longer trusted: ${canonicalFolder(target)}` : `${canonicalFolder(target)} was not trusted`);
    });
  trust
    .command('list')
    .description('list trusted folders')
    .action(() => {
      const folders = trustList().trustedFolders();
      print(folders.length > 0 ? folders.join('\n') : 'no trusted folders');
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`mcp-integration: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      // commander already printed help or the usage error.
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2;
    }
    process.stderr.write(`mcp-integration: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
