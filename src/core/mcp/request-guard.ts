/**
 * Bounds one request: a timeout and the caller's AbortSignal. The request gets its own signal (so
 * the SDK sends notifications/cancelled and a long-lived caller signal collects no listeners), and
 * the guard rejects on its own timer even if the transport never answers.
 */
import { McpError } from '../errors';

export interface GuardOptions {
  server: string;
  /** Tool name, when the request is a tool call. */
  tool?: string;
  /** What is being done, for messages: `initialize`, `tools/list`, `tools/call`. */
  operation: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs `request` with a derived signal; rejects with McpError `timeout` or `cancelled`. */
export function guardRequest<T>(request: (signal: AbortSignal) => Promise<T>, options: GuardOptions): Promise<T> {
  const { server, tool, operation, timeoutMs, signal } = options;
  const subject = tool ? `${operation} ${tool}` : operation;
  if (signal?.aborted)
    return Promise.reject(new McpError('cancelled', server, `${subject} was cancelled before it started`, tool));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      // Stryker disable next-line BooleanLiteral: a promise settles once, and the clean-up repeated is harmless
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const fail = (error: McpError): void => {
      finish(() => reject(error));
      controller.abort(error);
    };
    const onAbort = (): void => fail(new McpError('cancelled', server, `${subject} was cancelled`, tool));
    const timer = setTimeout(
      () => fail(new McpError('timeout', server, `${subject} timed out after ${timeoutMs} ms`, tool)),
      timeoutMs,
    );
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: `finish` removes the listener on every outcome, abort included
    signal?.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = request(controller.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/**
 * Waits for a shared promise (e.g. a server start other callers also wait on) but lets this caller
 * stop waiting when its signal aborts, without cancelling the shared work.
 */
export function waitUnlessAborted<T>(
  shared: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => McpError,
): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: `done` removes the listener on every outcome, abort included
    signal.addEventListener('abort', done, { once: true });
  });
}
