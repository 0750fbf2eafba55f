import { strict as assert } from 'node:assert';
import { Gateway } from '../../../src/core/gateway/gateway';
import { createGatewayHandlers } from '../../../src/core/gateway/handlers';
import { UnknownToolError, type GatewayCallEvent } from '../../../src/core/gateway/types';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource, tool } from './fake-source';

describe('Gateway handlers for one client connection', () => {
  it('list the exposed definitions and call by exposed name, naming the client and passing the signal', async () => {
    const source = new FakeSource([{ name: 'srv', kind: 'generic', costPerCallUsd: 0 }]);
    const signals: Array<AbortSignal | undefined> = [];
    source.tools.set('srv', [
      tool('echo', {}, (args, signal) => {
        signals.push(signal);
        return { content: [{ type: 'text', text: JSON.stringify(args) }] };
      }),
    ]);
    const events: GatewayCallEvent[] = [];
    const gateway = new Gateway({
      source,
      cache: new ResultCache(),
      config: { enabled: true, separator: '__', invalidateOnWrite: false, defaultTtlSeconds: 60, tools: [] },
      observer: { onCall: (e) => void events.push(e) },
    });
    const handlers = createGatewayHandlers(gateway, 'client-a');
    const signal = new AbortController().signal;
    assert.deepEqual(
      (await handlers.listTools(signal)).map((t) => t.name),
      ['srv__echo'],
    );
    assert.equal((await handlers.callTool('srv__echo', undefined)).content[0]?.['text'], '{}');
    assert.equal((await handlers.callTool('srv__echo', { a: 1 }, signal)).content[0]?.['text'], '{"a":1}');
    assert.deepEqual(signals, [undefined, signal]);
    await gateway.flush();
    assert.deepEqual(
      events.map((e) => e.client),
      ['client-a', 'client-a'],
    );
    let changed = 0;
    const subscription = handlers.onToolListChanged(() => changed++);
    gateway.refresh();
    subscription.dispose();
    gateway.refresh();
    assert.equal(changed, 1);
    await assert.rejects(handlers.callTool('nope', {}), (error: unknown) => {
      assert.ok(error instanceof UnknownToolError);
      assert.equal(error.name, 'UnknownToolError');
      assert.equal(error.toolName, 'nope');
      assert.equal(error.message, 'Unknown tool "nope"');
      return true;
    });
  });
});
