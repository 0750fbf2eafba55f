import { strict as assert } from 'node:assert';
import type { ToolSelection } from '../../../src/core/config/types';
import { UnknownResourceError, UpstreamForwarding } from '../../../src/core/gateway/forwarding';
import type { UpstreamServer } from '../../../src/core/gateway/ports';
import type { PromptDefinition, ResourceDefinition } from '../../../src/core/gateway/protocol';
import { UnknownToolError } from '../../../src/core/gateway/types';
import { silentLogger, type Logger } from '../../../src/core/ports';
import { FakeSource } from './fake-source';

/** A source with resources and prompts per server, counting every listing and passing signals on. */
class Forwarded extends FakeSource {
  readonly resourceLists: string[] = [];
  readonly promptLists: string[] = [];
  readonly signals: Array<AbortSignal | undefined> = [];
  resources = new Map<string, ResourceDefinition[]>();
  prompts = new Map<string, PromptDefinition[]>();

  listResources(server: string, options?: { signal?: AbortSignal }): Promise<ResourceDefinition[]> {
    this.resourceLists.push(server);
    this.signals.push(options?.signal);
    const list = this.resources.get(server);
    return list ? Promise.resolve(list) : Promise.reject(new Error(`${server} has no resources`));
  }

  readResource(server: string, uri: string, options?: { signal?: AbortSignal }) {
    this.signals.push(options?.signal);
    return Promise.resolve({ contents: [{ uri, text: `${server}:${uri}` }] });
  }

  listPrompts(server: string, options?: { signal?: AbortSignal }): Promise<PromptDefinition[]> {
    this.promptLists.push(server);
    this.signals.push(options?.signal);
    return Promise.resolve(this.prompts.get(server) ?? []);
  }

  getPrompt(server: string, name: string, args: Record<string, string>, options?: { signal?: AbortSignal }) {
    this.signals.push(options?.signal);
    return Promise.resolve({ messages: [{ role: 'user', content: `${server}/${name}/${args['x'] ?? ''}` }] });
  }
}

const servers: UpstreamServer[] = [
  { name: 'a', kind: 'generic', costPerCallUsd: 0 },
  { name: 'b', kind: 'generic', costPerCallUsd: 0 },
];

function forwarding(
  source: FakeSource,
  selection: ToolSelection = { servers: [], allow: [], deny: [] },
  logger: Logger = silentLogger,
): UpstreamForwarding {
  return new UpstreamForwarding(
    source,
    () => selection,
    () => '__',
    logger,
  );
}

describe('Gateway forwarding: details', () => {
  it('a source without resources or prompts lists none and knows none', async () => {
    const plain = forwarding(new FakeSource(servers));
    assert.deepEqual(await plain.listResources(), []);
    assert.deepEqual(await plain.listPrompts(), []);
    await assert.rejects(plain.readResource('x://y'), UnknownResourceError);
    await assert.rejects(plain.getPrompt('a__p', {}), UnknownToolError);
  });

  it('a URI two servers offer goes to the first; a prompt name likewise', async () => {
    const source = new Forwarded(servers);
    source.resources.set('a', [{ uri: 'x://same', name: 'from a' }]);
    source.resources.set('b', [
      { uri: 'x://same', name: 'from b' },
      { uri: 'x://b-only', name: 'b' },
    ]);
    source.prompts.set('a', [{ name: 'p' }]);
    source.prompts.set('b', [{ name: 'p' }]);
    const forward = forwarding(source);
    assert.deepEqual(
      (await forward.listResources()).map((r) => r.name),
      ['from a', 'b'],
    );
    assert.deepEqual((await forward.readResource('x://same')).contents[0]?.['text'], 'a:x://same');
    assert.deepEqual((await forward.readResource('x://b-only')).contents[0]?.['text'], 'b:x://b-only');
    assert.deepEqual(
      (await forward.listPrompts()).map((p) => p.name),
      ['a__p', 'b__p'],
    );
    assert.deepEqual((await forward.getPrompt('b__p', { x: '1' })).messages[0]?.content, 'b/p/1');
  });

  it('lists again only for a URI or prompt it does not know, passing the signal along', async () => {
    const source = new Forwarded(servers);
    source.resources.set('a', [{ uri: 'x://r', name: 'r' }]);
    source.resources.set('b', []);
    source.prompts.set('a', [{ name: 'p' }]);
    const forward = forwarding(source);
    const signal = new AbortController().signal;
    await forward.readResource('x://r', signal);
    await forward.readResource('x://r', signal);
    assert.deepEqual(source.resourceLists, ['a', 'b'], 'listed once');
    await assert.rejects(forward.readResource('x://unknown'), (e: UnknownResourceError) => e.uri === 'x://unknown');
    assert.deepEqual(source.resourceLists, ['a', 'b', 'a', 'b']);
    await forward.getPrompt('a__p', {}, signal);
    await forward.getPrompt('a__p', {}, signal);
    assert.deepEqual(source.promptLists, ['a', 'b']);
    assert.equal(source.signals.at(-1), signal, 'the prompt call has the signal');
    await assert.rejects(forward.getPrompt('a__q', {}), (e: UnknownToolError) => e.toolName === 'a__q');
    assert.ok(source.signals.slice(0, 4).every((s) => s === signal));
  });

  it('asks only the selected servers, and leaves out one that fails (logged)', async () => {
    const source = new Forwarded(servers);
    source.resources.set('b', [{ uri: 'x://b', name: 'b' }]);
    const debug: string[] = [];
    const logger: Logger = { ...silentLogger, debug: (m: string) => void debug.push(m) };
    assert.deepEqual(
      (await forwarding(source, { servers: [], allow: [], deny: [] }, logger).listResources()).map((r) => r.uri),
      ['x://b'],
    );
    assert.deepEqual(debug, ['Gateway: a listed nothing: a has no resources']);
    source.resourceLists.length = 0;
    await forwarding(source, { servers: ['b'], allow: [], deny: [] }).listResources();
    assert.deepEqual(source.resourceLists, ['b']);
  });
});
