import { strict as assert } from 'node:assert';
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
});
