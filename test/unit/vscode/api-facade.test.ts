import { strict as assert } from 'node:assert';
import type { McpIntegrationApi, RuntimeEvent } from '../../../src/core/api';
import { createApiFacade, type ExtensionTestingHooks, type FacadeHost } from '../../../src/vscode/api-facade';

interface Call {
  method: string;
  args: unknown[];
}

/** A runtime whose every method records its arguments and answers with a marker naming itself. */
function recordingRuntime(calls: Call[]): McpIntegrationApi {
  const properties: Record<string, unknown> = {
    gateway: 'the-gateway',
    activeProfile: 'the-profile',
    configErrors: [],
  };
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        if (typeof property !== 'string' || property === 'then') return undefined;
        if (property in properties) return properties[property];
        return (...args: unknown[]) => {
          calls.push({ method: property, args });
          return `result of ${property}`;
        };
      },
    },
  ) as McpIntegrationApi;
}

const testing: ExtensionTestingHooks = {
  lastAnswer: () => undefined,
  statusText: () => undefined,
  chatActivity: () => ({ registered: false, handled: [] }),
  agentToolsVersion: () => undefined,
  ready: () => Promise.resolve(),
};

/** Distinct objects, so an argument dropped, swapped or copied shows. */
const arg = (name: string): { arg: string } => ({ arg: name });

/** Each forwarding method with arguments that fill every parameter it declares. */
const forwarded: Record<string, unknown[]> = {
  lookup: ['query', arg('lookup options')],
  classify: ['query', arg('trigger context')],
  store: ['key', 'value', arg('store options')],
  errorSignature: [arg('diagnostic')],
  findFix: [arg('diagnostic'), arg('signal')],
  rememberFix: [arg('diagnostic'), 'solution', arg('edit')],
  recordFixOutcome: [arg('diagnostic'), arg('fix'), true],
  openDocument: [arg('document')],
  editDocument: ['file:///a.py', [arg('change')], 'new text'],
  closeDocument: ['file:///a.py'],
  getDetection: ['file:///a.py'],
  cursorContext: ['file:///a.py', 42],
  cachedDocsFor: ['/numpy/numpy'],
  cachedMemberDocs: ['/numpy/numpy', 'linalg.norm'],
  preloadDocument: ['file:///a.py', arg('preload options')],
  preloadWorkspace: ['/workspace', arg('workspace options')],
  preloadForCommand: ['lookup', arg('command options')],
  getDashboardData: [],
  getServerStatuses: [],
  exportMetrics: ['/tmp/metrics.prom', 'prometheus'],
  metricsText: ['prometheus'],
  clearCache: [],
  restartServers: [],
  listProfiles: [],
  selectProfile: ['docs'],
  reloadConfig: [],
  updateSettings: [arg('settings')],
};
/** Members that are not plain forwards: checked one by one below. */
const special = new Set(['testing', 'gateway', 'activeProfile', 'configErrors', 'onEvent', 'shutdown']);

describe('the exported API facade', () => {
  const setUp = (): {
    facade: ReturnType<typeof createApiFacade>;
    calls: Call[];
    host: FacadeHost & { stops: number; listeners: unknown[] };
  } => {
    const calls: Call[] = [];
    const runtime = recordingRuntime(calls);
    const host = {
      stops: 0,
      listeners: [] as unknown[],
      get: () => Promise.resolve(runtime),
      current: () => runtime,
      onEvent: (listener: (event: RuntimeEvent) => void) => {
        host.listeners.push(listener);
        return { dispose: () => undefined };
      },
      stop: () => {
        host.stops++;
        return Promise.resolve();
      },
    };
    return { facade: createApiFacade(host, testing), calls, host };
  };

  it('has a check below for every member it exports', () => {
    const { facade } = setUp();
    const unchecked = Object.keys(facade).filter((name) => !(name in forwarded) && !special.has(name));
    assert.deepEqual(unchecked, []);
    const missing = Object.keys(forwarded).filter((name) => !(name in facade));
    assert.deepEqual(missing, []);
  });

  for (const [method, args] of Object.entries(forwarded)) {
    it(`${method} hands the runtime every argument, unchanged, and returns its answer`, async () => {
      const { facade, calls } = setUp();
      const member = (facade as unknown as Record<string, (...values: unknown[]) => unknown>)[method];
      assert.ok(member, method);
      const answer: unknown = await member(...args);
      assert.equal(calls.length, 1, `${method} called the runtime once`);
      const [call] = calls;
      assert.ok(call);
      assert.equal(call.method, method);
      const received = call.args;
      assert.equal(received.length, args.length, `${method} forwarded ${received.length} of ${args.length} arguments`);
      args.forEach((value, index) => assert.equal(received[index], value, `${method}: argument ${index + 1}`));
      assert.equal(answer, `result of ${method}`);
    });
  }

  it('reads gateway, activeProfile and configErrors from the current runtime', () => {
    const { facade } = setUp();
    assert.equal(facade.gateway, 'the-gateway');
    assert.equal(facade.activeProfile, 'the-profile');
    assert.deepEqual(facade.configErrors, []);
  });

  it('onEvent subscribes the listener itself to the host, which outlives restarts', () => {
    const { facade, host } = setUp();
    const listener = (): void => undefined;
    facade.onEvent(listener);
    assert.deepEqual(host.listeners, [listener]);
  });

  it('shutdown stops the host', async () => {
    const { facade, host, calls } = setUp();
    await facade.shutdown();
    assert.equal(host.stops, 1);
    assert.deepEqual(calls, []);
  });
});
