/** Bounded polling for background work (preloading) in runtime tests, over the shared helper. */
import { waitFor as waitUntil } from '../../helpers/wait';

/** Resolves with the first truthy value of `probe`, or rejects after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  return (await waitUntil(probe, { what, timeoutMs, intervalMs })) as T;
}

/** Like `waitFor`, for probes that are themselves asynchronous (a lookup). */
export async function waitForAsync<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  return (await waitUntil(probe, { what, timeoutMs, intervalMs })) as T;
}
