/**
 * Starts `node dist/cli.js … serve --http 0` as a real child process and reads its endpoint and
 * token from what it prints, as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** The printed token (undefined with `--token-file`, which prints only the file). */
  token: string | undefined;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export async function startServeHttp(cliBundle: string, args: string[], timeoutMs = 20_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliBundle, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const found = await new Promise<{ url: string; token: string | undefined }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve --http did not report its URL: ${stderr}`)), timeoutMs);
    const check = (): void => {
      const url = /serving MCP on (http:\/\/\S+\/mcp)/.exec(stderr)?.[1];
      const printed = /token \(send "Authorization: Bearer <token>"\): (\S+)/.exec(stderr)?.[1];
      const fromFile = /authenticate with a token from /.test(stderr);
      if (url && (printed || fromFile)) {
        clearTimeout(timer);
        child.stderr.off('data', check);
        resolve({ url, token: printed });
      }
    };
    child.stderr.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve --http exited with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    ...found,
    stderr: () => stderr,
    exited,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
