/**
 * Fans the runtime's own log messages out to the MCP clients of `serve` (`notifications/message`).
 * The CLI host's logger taps every message into one relay, whatever its stderr threshold; each
 * listening connection decides what to forward. The SDK then drops messages below the level a
 * client set with `logging/setLevel` (2025 era) or its per-request `logLevel` (2026-07-28).
 */
import type { LoggingLevel } from '@modelcontextprotocol/server';
import type { LogLevel } from '../ports';

export type LogListener = (level: LoggingLevel, message: string) => void;

/** Our five levels on MCP's syslog-style scale (MCP has no `trace`; it is the finest `debug`). */
export const MCP_LEVEL: Record<LogLevel, LoggingLevel> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
};

/** Longest message forwarded; the rest is cut, so a log line can never flood a client. */
const MAX_MESSAGE_CHARS = 4000;

export class LogRelay {
  private readonly listeners = new Set<LogListener>();

  /** The host logger's tap: called for every message, before its own threshold. */
  readonly tap = (level: LogLevel, message: string): void => {
    if (this.listeners.size === 0) return;
    const text = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
    for (const listener of this.listeners) listener(MCP_LEVEL[level], text);
  };

  /** Starts forwarding to `listener`; call the returned function to stop. */
  listen(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
