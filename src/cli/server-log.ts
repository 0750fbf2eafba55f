/**
 * A server's stderr goes to `<storage>/logs/<server>.log`: it is the server's own log, not ours.
 * A server can write without end (a crash loop, a chatty dependency), so each file is capped: when
 * a write would pass `maxBytes`, the file becomes `<server>.log.1` (replacing the previous one) and
 * a new file starts. At most twice the cap stays on disk per server. Files are 0600 in a 0700
 * folder and opened without following a link, so a link planted in the folder is not written through.
 */
import { closeSync, fstatSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Logger, LogLevel } from '../core/ports';
import { ensurePrivateDirSync, openAppendNoFollowSync } from '../core/store/private-files';

/** Default cap per log file. */
export const SERVER_LOG_MAX_BYTES = 5 * 1024 * 1024;
/** One line is cut to this many characters, so a single huge line cannot blow the cap. */
const MAX_LINE_CHARS = 16 * 1024;

export interface ServerLogOptions {
  maxBytes?: number;
  /** Applied to every line before it is written (secret redaction). */
  redact?: (text: string) => string;
}

export function serverLogFile(storageDir: string, server: string): string {
  return path.join(storageDir, 'logs', `${server.replace(/[^\w.-]/g, '_')}.log`);
}

export function createServerFileLogger(file: string, options: ServerLogOptions = {}): Logger {
  const maxBytes = options.maxBytes ?? SERVER_LOG_MAX_BYTES;
  let fd: number | undefined;
  let size = 0;
  let failed = false;
  const open = (): number => {
    ensurePrivateDirSync(path.dirname(file));
    const opened = openAppendNoFollowSync(file);
    size = fstatSync(opened).size;
    return opened;
  };
  const rotate = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    renameSync(file, `${file}.1`);
  };
  const write =
    (at: LogLevel) =>
    (message: string): void => {
      if (failed) return;
      const text = message.length > MAX_LINE_CHARS ? `${message.slice(0, MAX_LINE_CHARS)} …[cut]` : message;
      const line = `${new Date().toISOString()} ${at} ${options.redact ? options.redact(text) : text}\n`;
      try {
        fd ??= open();
        const bytes = Buffer.byteLength(line);
        if (size > 0 && size + bytes > maxBytes) {
          rotate();
          fd = open();
        }
        writeSync(fd, line);
        size += bytes;
      } catch {
        // A log that cannot be written (a link in the way, a full disk) must not break the server.
        failed = true;
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      }
    };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}
