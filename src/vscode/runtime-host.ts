/**
 * Owns the runtime instance: creates it on first need, relays its events through one emitter that
 * outlives restarts, and clears the per-instance disposal scope when it is stopped or replaced.
 */
import * as vscode from 'vscode';
import type { McpIntegrationApi, RuntimeEvent } from '../core/api';
import { DisposableScope } from './disposables';

export type RuntimeFactory = () => Promise<McpIntegrationApi>;

export class RuntimeHost implements vscode.Disposable {
  private runtime: McpIntegrationApi | undefined;
  private creating: Promise<McpIntegrationApi> | undefined;
  /** Bumped on every stop, so a creation that finishes after a stop is shut down, not installed. */
  private generation = 0;
  private instanceScope = new DisposableScope();
  private readonly events = new vscode.EventEmitter<RuntimeEvent>();
  private readonly started = new vscode.EventEmitter<McpIntegrationApi>();
  /** Every event of whichever runtime instance is current. */
  readonly onEvent = this.events.event;
  /** Fires with each new runtime instance (first start and every restart). */
  readonly onDidStart = this.started.event;

  constructor(private readonly factory: RuntimeFactory) {}

  /** The running instance, if it has started. */
  current(): McpIntegrationApi | undefined {
    return this.runtime;
  }

  /** The running instance, starting it if needed. A failed start is not remembered: the next call retries. */
  get(): Promise<McpIntegrationApi> {
    if (this.runtime) return Promise.resolve(this.runtime);
    if (!this.creating) {
      const generation = this.generation;
      const creating = this.factory().then(async (runtime) => {
        if (generation !== this.generation) {
          await runtime.shutdown();
          throw new Error('MCP Integration was stopped while starting.');
        }
        this.runtime = runtime;
        this.instanceScope.add(runtime.onEvent((event) => this.events.fire(event)));
        this.started.fire(runtime);
        return runtime;
      });
      this.creating = creating;
      creating.then(
        () => undefined,
        () => {
          if (this.creating === creating) this.creating = undefined;
        },
      );
    }
    return this.creating;
  }

  /** Adds a disposable that lives as long as the current runtime instance. */
  addToInstance(item: vscode.Disposable): void {
    this.instanceScope.add(item);
  }

  /** Shuts the current instance down (servers, queues, files) and forgets it. */
  async stop(): Promise<void> {
    this.generation++;
    const runtime = this.runtime;
    this.runtime = undefined;
    this.creating = undefined;
    this.instanceScope.dispose();
    this.instanceScope = new DisposableScope();
    await runtime?.shutdown();
  }

  async restart(): Promise<McpIntegrationApi> {
    await this.stop();
    return this.get();
  }

  dispose(): void {
    void this.stop();
    this.events.dispose();
    this.started.dispose();
  }
}
