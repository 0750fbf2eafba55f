/**
 * Work the gateway does once a call's answer is on its way: the disk and shared writes of a result,
 * and the observer's record of the call (the monitor). None of it may delay the answer or fail the
 * call, and `flush` can still wait for all of it (tests, shutdown). A failure is logged, never
 * thrown and never left unhandled.
 */
import type { Logger } from '../ports';

export class AfterAnswer {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Follows work already started (a cache write); a failure is logged as `what` failing. */
  track(work: Promise<unknown>, what: string): void {
    const tracked: Promise<void> = work.then(
      () => void this.pending.delete(tracked),
      (error: unknown) => {
        this.pending.delete(tracked);
        this.logger.warn(`Gateway: ${what} failed after the answer was returned`, error);
      },
    );
    this.pending.add(tracked);
  }

  /**
   * Runs `task` on the next turn of the event loop, after the answer's promise chain (and with it
   * the transport's write of the answer) has run.
   */
  defer(task: () => void, what: string): void {
    this.track(
      new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          try {
            task();
            resolve();
          } catch (error) {
            reject(error);
          }
        }),
      ),
      what,
    );
  }

  /** Resolves when everything started so far is done, including work started while waiting. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
