/**
 * The guide's Pattern 3, "predictive integration": before a command runs (the palette lookup, a
 * quick fix, a chat command), start the servers its profile needs and preload the docs it is
 * likely to ask for — the libraries of the document it works on and, with the AGGRESSIVE strategy,
 * the libraries the command has needed before (learned) and those the workspace manifests list.
 * Hosts call it as the command starts, while the person is still typing the question or reading
 * the menu, so the answer that follows finds warm servers and a warm cache.
 */
import type { DocumentDetection } from '../detection/types';
import type { Logger } from '../ports';
import type { CommandPreloadContext } from '../preload/types';

export interface CommandPreloadOptions {
  /** The document the command works on (the active editor's), if any. */
  uri?: string;
  /** Stops waiting (the work itself goes on in the background, within the preload limits). */
  signal?: AbortSignal;
}

export interface CommandPreloadDeps {
  active: () => boolean;
  detection: (uri: string) => DocumentDetection | undefined;
  /** Starts the command profile's servers (in parallel or in order, as the profile says). */
  startProfile: (command: string) => Promise<{ failed: Array<{ server: string; error: string }> }>;
  preload: (command: string, context: CommandPreloadContext) => Promise<void>;
  logger: Logger;
}

/**
 * Resolves once the command's servers are started and its libraries' docs are cached (or could not
 * be), or when `signal` aborts — never rejects: warming up must not fail the command.
 */
export async function preloadForCommand(
  deps: CommandPreloadDeps,
  command: string,
  options: CommandPreloadOptions = {},
): Promise<void> {
  if (!deps.active() || options.signal?.aborted) return;
  const detection = options.uri ? deps.detection(options.uri) : undefined;
  const work = Promise.all([
    deps.startProfile(command).then(({ failed }) => {
      for (const failure of failed)
        deps.logger.debug(`Warming up for ${command}: ${failure.server} did not start: ${failure.error}`);
    }),
    deps.preload(command, detection ? { detection } : {}),
  ]).then(
    () => undefined,
    (error: unknown) => deps.logger.debug(`Warming up for ${command} failed`, error),
  );
  if (!options.signal) return work;
  const signal = options.signal;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
