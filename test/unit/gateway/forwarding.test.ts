import { strict as assert } from 'node:assert';
import { Gateway } from '../../../src/core/gateway/gateway';
import { createGatewayHandlers } from '../../../src/core/gateway/handlers';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource, READ_ONLY, tool } from './fake-source';

class ResourceSource extends FakeSource {
  readonly reads: Array<[string, string]> = [];
  async listResources(server: string) {
    if (server === 'broken') throw new Error('no resources here');
    return [{ uri: `mem://${server}/notes`, name: 'notes' }];
  }
  async readResource(server: string, uri: string) {
    this.reads.push([server, uri]);
    return { contents: [{ uri, text: `${server} notes` }] };
  }
  async listPrompts(server: string) {
    return server === 'memory' ? [{ name: 'summarise', arguments: [{ name: 'topic', required: true }] }] : [];
  }
  async getPrompt(server: string, name: string, args: Record<string, string>) {
    return { messages: [{ role: 'user', content: { type: 'text', text: `${server}/${name} ${args['topic']}` } }] };
  }
}

describe('Gateway: resources and prompts forwarded', () => {
  it('lists resources and prompts of the selected servers, routes reads and prompts, skips failing servers', async () => {
    const source = new ResourceSource([
      { name: 'memory', kind: 'memory-bank', costPerCallUsd: 0 },
      { name: 'broken', kind: 'generic', costPerCallUsd: 0 },
    ]);
    source.tools.set('memory', [tool('read', READ_ONLY)]);
    const gateway = new Gateway({
      source,
      cache: new ResultCache(),
      config: { enabled: true, separator: '__', invalidateOnWrite: true, defaultTtlSeconds: 60, tools: [] },
    });
    const handlers = createGatewayHandlers(gateway, 'test');
    assert.deepEqual(
      (await handlers.listResources()).map((r) => r.uri),
      ['mem://memory/notes'],
    );
    const read = await handlers.readResource('mem://memory/notes');
    assert.equal(read.contents[0]?.['text'], 'memory notes');
    assert.deepEqual(source.reads, [['memory', 'mem://memory/notes']]);
    await assert.rejects(handlers.readResource('mem://nowhere'), /Unknown resource/);
    assert.deepEqual(
      (await handlers.listPrompts()).map((p) => p.name),
      ['memory__summarise'],
    );
    const prompt = await handlers.getPrompt('memory__summarise', { topic: 'caching' });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'memory/summarise caching' });
    assert.deepEqual(
      (await handlers.listTools()).map((t) => t.name),
      ['memory__read'],
    );
  });
});
