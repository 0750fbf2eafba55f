import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { toolSetDigest } from '../../../src/core/gateway/tool-set-digest';
import type { ToolDefinition } from '../../../src/core/gateway/protocol';

const docs: ToolDefinition = {
  name: 'context7__query-docs',
  description: 'Docs',
  inputSchema: { type: 'object', properties: { libraryId: { type: 'string' }, query: { type: 'string' } } },
  annotations: { readOnlyHint: true },
};
const lookup: ToolDefinition = { name: 'lookup', inputSchema: { type: 'object' } };

describe('gateway/tool-set-digest', () => {
  it('does not depend on the order tools or keys are listed in', () => {
    const reordered: ToolDefinition = {
      annotations: { readOnlyHint: true },
      inputSchema: { properties: { query: { type: 'string' }, libraryId: { type: 'string' } }, type: 'object' },
      description: 'Docs',
      name: 'context7__query-docs',
    };
    assert.match(toolSetDigest([docs, lookup]), /^[0-9a-f]{16}$/);
    assert.equal(toolSetDigest([docs, lookup]), toolSetDigest([lookup, reordered]));
  });

  it('gives one digest for every order of three tools and of three schema keys', () => {
    const permutations = <T>(items: T[]): T[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
          );
    const stats: ToolDefinition = { name: 'stats', inputSchema: { type: 'object' } };
    const toolOrders = permutations([docs, lookup, stats]).map(toolSetDigest);
    assert.equal(new Set(toolOrders).size, 1);
    const keys: Array<[string, unknown]> = [
      ['type', 'object'],
      ['required', ['q']],
      ['additionalProperties', false],
    ];
    const keyOrders = permutations(keys).map((entries) =>
      toolSetDigest([{ name: 'x', inputSchema: Object.fromEntries(entries) as ToolDefinition['inputSchema'] }]),
    );
    assert.equal(new Set(keyOrders).size, 1);
  });

  it('changes with a tool added or removed, a description, a schema or an annotation', () => {
    const base = toolSetDigest([docs, lookup]);
    const variants: ToolDefinition[][] = [
      [docs],
      [docs, lookup, { name: 'stats', inputSchema: { type: 'object' } }],
      [{ ...docs, description: 'Docs!' }, lookup],
      [{ ...docs, inputSchema: { type: 'object', properties: { libraryId: { type: 'number' } } } }, lookup],
      [{ ...docs, annotations: { readOnlyHint: false } }, lookup],
    ];
    const digests = variants.map(toolSetDigest);
    for (const digest of digests) assert.notEqual(digest, base);
    assert.equal(new Set(digests).size, digests.length);
  });
  it('is the first 16 hex characters of the SHA-256 of the canonical JSON of the tools sorted by name', () => {
    const withNull: ToolDefinition = {
      name: 'b',
      inputSchema: { type: 'object', properties: { n: { default: null, enum: [1, 'x'] } } },
    };
    const plain: ToolDefinition = { name: 'a', description: 'x', inputSchema: { type: 'object' } };
    const canonical =
      '[{"description":"x","inputSchema":{"type":"object"},"name":"a"},' +
      '{"inputSchema":{"properties":{"n":{"default":null,"enum":[1,"x"]}},"type":"object"},"name":"b"}]';
    const expected = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
    assert.equal(toolSetDigest([withNull, plain]), expected);
    assert.equal(toolSetDigest([]), createHash('sha256').update('[]').digest('hex').slice(0, 16));
  });

  it('treats a field set to undefined as absent', () => {
    const described: ToolDefinition = { ...lookup, description: undefined, title: undefined };
    assert.equal(toolSetDigest([docs, described]), toolSetDigest([docs, lookup]));
  });

  it('tells a list from an object with the same entries, and a string from a number', () => {
    const list: ToolDefinition = { name: 'x', inputSchema: { type: 'object', enum: ['a'] } };
    const object: ToolDefinition = { name: 'x', inputSchema: { type: 'object', enum: { 0: 'a' } } };
    const number: ToolDefinition = { name: 'x', inputSchema: { type: 'object', enum: [1] } };
    const text: ToolDefinition = { name: 'x', inputSchema: { type: 'object', enum: ['1'] } };
    assert.notEqual(toolSetDigest([list]), toolSetDigest([object]));
    assert.notEqual(toolSetDigest([number]), toolSetDigest([text]));
  });
});
