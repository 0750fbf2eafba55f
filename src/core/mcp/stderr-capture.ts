/**
 * A server's stderr is its log: split it into lines, send each to the server's own logger, and
 * keep the last few so a crash can be explained ("exited: Error: MEMORY_BANK_ROOT not set").
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from '../ports';

/** Longest line forwarded; a runaway server cannot flood the log with one giant line. */
const maxLineLength = 4000;
const tailSize = 5;

export class StderrCapture {
  private readonly tail: string[] = [];

  constructor(
    stream: Readable | null,
    private readonly logger: Logger,
  ) {
    if (!stream) return;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => this.push(line));
    // The stream ends with the process; an error here only means the pipe broke with it.
    stream.on('error', () => undefined);
  }

  /** The last lines written (newest last), joined for an error message. */
  lastLines(): string {
    return this.tail.join(' | ');
  }

  private push(raw: string): void {
    if (!raw.trim()) return;
    const line = raw.length > maxLineLength ? `${raw.slice(0, maxLineLength)}…` : raw;
    this.logger.info(line);
    this.tail.push(line);
    if (this.tail.length > tailSize) this.tail.shift();
  }
}
