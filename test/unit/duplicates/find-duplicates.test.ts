import { strict as assert } from 'node:assert';
import { findDuplicates } from '../../../src/core/duplicates/find-duplicates';
import { routeEntries } from '../../../src/core/duplicates/routed-entries';

const USER_MCP_JSON = `{
  "servers": {
    "upstash-docs": { "command": "npx", "args": ["-y", "@upstash/context7-mcp"] },
    "memory-bank": { "command": "node", "args": ["/opt/bank/index.js"] },
    "weather": { "type": "http", "url": "https://weather.example/mcp" },
    "broken": 42
  }
}`;

describe('duplicates/find-duplicates', () => {
  const exposed = [
    { name: 'context7', kind: 'context7' as const },
    { name: 'memory-bank', kind: 'memory-bank' as const },
    { name: 'tools', kind: 'generic' as const },
  ];

  it('finds entries with the name of an exposed server, or the same well-known server', () => {
    assert.deepEqual(findDuplicates(USER_MCP_JSON, exposed), [
      { name: 'upstash-docs', exposedAs: 'context7', reason: 'same-server' },
      { name: 'memory-bank', exposedAs: 'memory-bank', reason: 'same-name' },
    ]);
  });

  it('never matches generic servers by kind', () => {
    const text = '{"servers": {"x": {"command": "node", "args": ["a.js"]}}}';
    assert.deepEqual(findDuplicates(text, exposed), []);
  });

  it('finds nothing once the duplicates are routed', () => {
    const routed = routeEntries(USER_MCP_JSON, ['upstash-docs', 'memory-bank']);
    assert.deepEqual(findDuplicates(routed, exposed), []);
  });

  it('finds nothing when nothing is exposed, or the file is not an mcp.json', () => {
    assert.deepEqual(findDuplicates(USER_MCP_JSON, []), []);
    assert.deepEqual(findDuplicates('not json', exposed), []);
    assert.deepEqual(findDuplicates('{"servers": []}', exposed), []);
    assert.deepEqual(findDuplicates('{"mcpServers": {"context7": {}}}', exposed), []);
    assert.deepEqual(findDuplicates('{"mcpServers": {"context7": {}}}', exposed, 'mcpServers'), [
      { name: 'context7', exposedAs: 'context7', reason: 'same-name' },
    ]);
  });
});
