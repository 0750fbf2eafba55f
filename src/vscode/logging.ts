/**
 * Logs: one "MCP Integration" log channel for the runtime, and one "MCP: <server>" channel per
 * server's stderr, created the first time that server writes. The `logLevel` setting filters what
 * reaches the channels (VS Code's own log level still applies on top).
 */
import * as vscode from 'vscode';
import type { LogLevel, Logger } from '../core/ports';
import { isLogLevelEnabled } from './settings-model';

export const MAIN_CHANNEL_NAME = 'MCP Integration';

export class LogChannels implements vscode.Disposable {
  readonly main: vscode.LogOutputChannel;
  readonly logger: Logger;
  private readonly servers = new Map<string, vscode.LogOutputChannel>();
  private readonly serverLoggers = new Map<string, Logger>();
  private threshold: LogLevel;

  constructor(threshold: LogLevel) {
    this.threshold = threshold;
    this.main = vscode.window.createOutputChannel(MAIN_CHANNEL_NAME, { log: true });
    this.logger = this.filtered(this.main);
  }

  setThreshold(level: LogLevel): void {
    this.threshold = level;
  }

  /** The logger for one server's stderr; its channel appears on first use. */
  serverLogger(serverName: string): Logger {
    let logger = this.serverLoggers.get(serverName);
    if (!logger) {
      let channel: vscode.LogOutputChannel | undefined;
      const lazyChannel = (): vscode.LogOutputChannel => {
        channel ??=
          this.servers.get(serverName) ?? vscode.window.createOutputChannel(`MCP: ${serverName}`, { log: true });
        this.servers.set(serverName, channel);
        return channel;
      };
      logger = this.filtered({
        trace: (m, ...a) => lazyChannel().trace(m, ...a),
        debug: (m, ...a) => lazyChannel().debug(m, ...a),
        info: (m, ...a) => lazyChannel().info(m, ...a),
        warn: (m, ...a) => lazyChannel().warn(m, ...a),
        error: (m, ...a) => lazyChannel().error(m, ...a),
      });
      this.serverLoggers.set(serverName, logger);
    }
    return logger;
  }

  /** Server channels that exist so far, by server name. */
  serverChannels(): ReadonlyMap<string, vscode.LogOutputChannel> {
    return this.servers;
  }

  dispose(): void {
    for (const channel of this.servers.values()) channel.dispose();
    this.servers.clear();
    this.serverLoggers.clear();
    this.main.dispose();
  }

  private filtered(target: Logger): Logger {
    const at =
      (level: LogLevel) =>
      (message: string, ...args: unknown[]): void => {
        if (isLogLevelEnabled(this.threshold, level)) target[level](message, ...args);
      };
    return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }
}
