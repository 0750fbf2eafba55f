/** Resolves when `signal` aborts or the process is asked to stop (SIGINT/SIGTERM). */
export function untilStopped(signal?: AbortSignal): { done: Promise<void>; stop: () => void } {
  let stop!: () => void;
  const done = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', onSignal, { once: true });
  void done.then(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  return { done, stop };
}
