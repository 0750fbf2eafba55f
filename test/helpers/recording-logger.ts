/** A Logger that keeps every line with its level, the message and its arguments as text. */
import type { Logger } from '../../src/core/ports';

export type LogLevel = keyof Logger;

export interface RecordingLogger extends Logger {
  lines: Array<{ level: LogLevel; text: string }>;
  /** The lines of one level, as text. */
  at(level: LogLevel): string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const record =
    (level: LogLevel) =>
    (message: string, ...args: unknown[]): void =>
      void lines.push({ level, text: [message, ...args.map(String)].join(' ') });
  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level).map((line) => line.text),
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
