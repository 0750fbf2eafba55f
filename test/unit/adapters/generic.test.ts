import { strict as assert } from 'node:assert';
import { GenericAdapter } from '../../../src/core/adapters/generic';
import { selectPath } from '../../../src/core/adapters/result-path';
import { fillTemplate } from '../../../src/core/adapters/template';
import { FakeToolCaller, json, text } from './fake-caller';

describe('argument templates', () => {
  it('substitutes deeply, keeping whole-placeholder values and leaving unknown ones', () => {
    const filled = fillTemplate(
      {
        q: '{query}',
        nested: { list: ['k={key}', '{value}', 3, true] },
        other: '{unknown}',
        msg: 'for {contextType}!',
      },
      { query: 'how', key: 'K', value: 'V', contextType: 'general' },
    );
    assert.deepEqual(filled, {
      q: 'how',
      nested: { list: ['k=K', 'V', 3, true] },
      other: '{unknown}',
      msg: 'for general!',
    });
  });

  it('never interprets substituted text as more placeholders', () => {
    assert.deepEqual(fillTemplate({ a: 'x {query} y' }, { query: '{key}', key: 'nope' }), { a: 'x {key} y' });
  });
});

describe('selectPath', () => {
  it('walks objects and arrays, with negative indexes', () => {
    const data = { a: { b: [{ c: 1 }, { c: 2 }] } };
    assert.equal(selectPath(data, 'a.b[1].c'), 2);
    assert.equal(selectPath(data, 'a.b.0.c'), 1);
    assert.equal(selectPath(data, 'a.b[-1].c'), 2);
    assert.equal(selectPath(data, 'a.x.c'), undefined);
    assert.equal(selectPath(data, 'a.constructor'), undefined);
  });
});

describe('GenericAdapter', () => {
  it('fetches with the mapped tool and extracts from structured content', async () => {
    const caller = new FakeToolCaller('kb', {
      lookup: (args) => ({
        content: [{ type: 'text', text: 'ignored' }],
        structuredContent: { hits: [{ answer: `A:${String(args['question'])}` }] },
      }),
    });
    const adapter = new GenericAdapter({
      caller,
      mapping: {
        fetch: {
          tool: 'lookup',
          arguments: { question: '{query}', kind: '{contextType}' },
          resultPath: 'hits[0].answer',
        },
      },
    });
    const answer = await adapter.fetch({ text: 'why', contextType: 'general' });
    assert.equal(answer?.content, 'A:why');
    assert.deepEqual(caller.calls[0]?.args, { question: 'why', kind: 'general' });
  });

  it('extracts from JSON text, pretty-prints objects, and misses on empty answers', async () => {
    let payload: unknown = { items: [{ id: 1 }] };
    const caller = new FakeToolCaller('kb', { lookup: () => json(payload) });
    const adapter = new GenericAdapter({
      caller,
      mapping: { fetch: { tool: 'lookup', arguments: {}, resultPath: 'items' } },
    });
    assert.equal(
      (await adapter.fetch({ text: 'q', contextType: 'general' }))?.content,
      JSON.stringify([{ id: 1 }], null, 2),
    );
    payload = { items: [] };
    assert.equal(await adapter.fetch({ text: 'q', contextType: 'general' }), null);
  });

  it('returns the text when no resultPath is given', async () => {
    const caller = new FakeToolCaller('kb', { lookup: () => text('plain answer') });
    const adapter = new GenericAdapter({ caller, mapping: { fetch: { tool: 'lookup', arguments: { q: '{query}' } } } });
    assert.equal((await adapter.fetch({ text: 'q', contextType: 'general' }))?.content, 'plain answer');
  });

  it('stores through the store mapping, and is read-only without one', async () => {
    const caller = new FakeToolCaller('kb', { save: () => text('ok') });
    const writable = new GenericAdapter({
      caller,
      mapping: {
        store: { tool: 'save', arguments: { name: '{key}', body: { text: '{value}', type: '{contextType}' } } },
      },
    });
    assert.equal(writable.writable, true);
    await writable.store('k', 'v', { contextType: 'error_solution', ttlSeconds: 5 });
    assert.deepEqual(caller.calls[0]?.args, { name: 'k', body: { text: 'v', type: 'error_solution' } });
    const readOnly = new GenericAdapter({ caller, mapping: {} });
    assert.equal(readOnly.writable, false);
    await assert.rejects(readOnly.store('k', 'v', { contextType: 'general', ttlSeconds: 1 }), /read-only/);
    assert.equal(await readOnly.fetch({ text: 'q', contextType: 'general' }), null);
  });
});
