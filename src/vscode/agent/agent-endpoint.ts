/**
 * The gateway served to VS Code's own MCP client from inside the extension host: a loopback
 * Streamable HTTP endpoint over the live runtime (one cache, one monitor, one set of upstream
 * processes), started on first need. A random bearer token made for this session only travels
 * in the resolved server definition's headers; the SDK's Host and Origin guards refuse
 * requests that do not name the loopback address (DNS rebinding), and the token refuses every
 * other local process.
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { ServeApi } from '../../core/serve/gateway-server';
import { startHttpServe, type HttpServeHandle } from '../../core/serve/http';

/** The name the monitor records VS Code's calls under when its client does not name itself. */
export const AGENT_CLIENT = 'vscode-agent';

export interface AgentConnection {
  url: string;
  /** Sent as `Authorization: Bearer <token>`; never logged. */
  token: string;
}

export class AgentEndpoint implements vscode.Disposable {
  private readonly token = randomBytes(32).toString('base64url');
  private serving: Promise<HttpServeHandle> | undefined;

  constructor(
    private readonly api: ServeApi,
    private readonly logger: Logger,
  ) {}

  /** Whether VS Code has asked for the endpoint in this session. */
  get started(): boolean {
    return this.serving !== undefined;
  }

  /** The endpoint, started on the first call; a failed start is retried on the next. */
  async connection(): Promise<AgentConnection> {
    if (!this.serving) {
      const starting = startHttpServe(this.api, {
        tokens: [this.token],
        port: 0,
        host: '127.0.0.1',
        client: AGENT_CLIENT,
      });
      this.serving = starting;
      starting.then(
        (handle) => this.logger.info(`Agent endpoint for VS Code listening on ${handle.url}`),
        (error: unknown) => {
          if (this.serving === starting) this.serving = undefined;
          this.logger.error('The agent endpoint could not start', error);
        },
      );
    }
    const handle = await this.serving;
    return { url: handle.url, token: this.token };
  }

  async close(): Promise<void> {
    const serving = this.serving;
    this.serving = undefined;
    const handle = await serving?.catch(() => undefined);
    await handle?.close();
  }

  dispose(): void {
    void this.close();
  }
}
