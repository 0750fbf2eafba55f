/**
 * Work the gateway lets finish after a call's answer is on its way (the disk and shared writes of
 * a result): none of it may delay the answer or fail the call, and `flush` can still wait for all
 * of it (tests, shutdown). A failure is logged, never thrown and never left unhandled.
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

  /** Resolves when everything started so far is done, including work started while waiting. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
