import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { loadWorkspaceMcpJson } from '../../../src/core/config/mcp-json';
import { readRoutedEntries, restoreRoutedEntries, routeEntries } from '../../../src/core/duplicates/routed-entries';
import { minimalReplacement } from '../../../src/core/duplicates/text-edit';

const MCP_JSON = `{
  // servers for this repo
  "inputs": [],
  "servers": {
    "docs": {
      "command": "npx",
      "args": ["-y", "@upstash/context7-mcp"]
    },
    "bank": { "command": "npx", "args": ["@allpepper/memory-bank-mcp"] },
    "mine": { "type": "http", "url": "http://localhost:9000/mcp" }
  }
}
`;

/** Parses strictly (no trailing commas), so a dangling comma fails the test. */
function strictValue(text: string): { servers: Record<string, unknown> } {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: false }) as { servers: Record<string, unknown> };
  assert.deepEqual(errors, [], text);
  return value;
}

describe('duplicates/routed-entries', () => {
  it('comments an entry out under a marker and still reads it back', () => {
    const routed = routeEntries(MCP_JSON, ['docs']);
    assert.deepEqual(Object.keys(strictValue(routed).servers), ['bank', 'mine']);
    assert.match(routed, /\/\/ mcp-integration: routed "docs" through MCP Integration/);
    assert.match(routed, /\/\/ "docs": \{/);
    const entries = readRoutedEntries(routed);
    assert.deepEqual(
      entries.map((e) => [e.name, e.value]),
      [['docs', { command: 'npx', args: ['-y', '@upstash/context7-mcp'] }]],
    );
    // The original comment and the other entries are untouched.
    assert.match(routed, /\/\/ servers for this repo/);
    assert.match(routed, /"bank": \{ "command": "npx", "args": \["@allpepper\/memory-bank-mcp"\] \},/);
  });

  it('routes the last entry without leaving a dangling comma', () => {
    const routed = routeEntries(MCP_JSON, ['mine']);
    assert.deepEqual(Object.keys(strictValue(routed).servers), ['docs', 'bank']);
    assert.deepEqual(readRoutedEntries(routed)[0]?.value, { type: 'http', url: 'http://localhost:9000/mcp' });
  });

  it('routes every entry, and entries written on one line', () => {
    const oneLine = '{"servers": {"a": {"command": "x"}, "b": {"command": "y"}}}';
    const routed = routeEntries(oneLine, ['a', 'b']);
    assert.deepEqual(strictValue(routed).servers, {});
    assert.deepEqual(
      readRoutedEntries(routed).map((e) => [e.name, e.value]),
      [
        ['a', { command: 'x' }],
        ['b', { command: 'y' }],
      ],
    );
  });

  it('ignores names that are not declared', () => {
    assert.equal(routeEntries(MCP_JSON, ['nope']), MCP_JSON);
  });

  it('restores routed entries as they were declared', () => {
    const routed = routeEntries(MCP_JSON, ['docs', 'mine']);
    const restored = restoreRoutedEntries(routed);
    assert.deepEqual(strictValue(restored), strictValue(MCP_JSON));
    assert.deepEqual(readRoutedEntries(restored), []);
    // Only the named ones.
    const partly = restoreRoutedEntries(routed, ['mine']);
    assert.deepEqual(Object.keys(strictValue(partly).servers).sort(), ['bank', 'mine']);
    assert.deepEqual(
      readRoutedEntries(partly).map((e) => e.name),
      ['docs'],
    );
  });

  it('keeps CRLF line endings', () => {
    const crlf = MCP_JSON.replace(/\n/g, '\r\n');
    const routed = routeEntries(crlf, ['docs']);
    assert.ok(!/[^\r]\n/.test(routed), 'every newline is CRLF');
    assert.equal(readRoutedEntries(routed).length, 1);
  });

  it('a comment that is not a whole entry is not read as one', () => {
    const text =
      '{\n  "servers": {\n    // mcp-integration: routed "x" through MCP Integration\n    // "x": {\n  }\n}\n';
    assert.deepEqual(readRoutedEntries(text), []);
  });

  it('the importer serves routed entries from .vscode/mcp.json', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'routed-'));
    try {
      await mkdir(path.join(ws, '.vscode'));
      await writeFile(path.join(ws, '.vscode', 'mcp.json'), routeEntries(MCP_JSON, ['docs', 'bank']));
      const { servers, errors } = await loadWorkspaceMcpJson(ws);
      assert.deepEqual(errors, []);
      assert.deepEqual(
        servers.map((s) => [s.name, s.kind, s.origin, s.enabled]),
        [
          ['mine', 'generic', 'vscode-mcp-json', true],
          ['docs', 'context7', 'vscode-mcp-json', true],
          ['bank', 'memory-bank', 'vscode-mcp-json', true],
        ],
      );
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });

  it('minimalReplacement keeps the common prefix and suffix', () => {
    assert.equal(minimalReplacement('abc', 'abc'), undefined);
    assert.deepEqual(minimalReplacement('a-b-c', 'a-XY-c'), { offset: 2, length: 1, text: 'XY' });
    assert.deepEqual(minimalReplacement('aaa', 'aaaa'), { offset: 3, length: 0, text: 'a' });
    const before = MCP_JSON;
    const after = routeEntries(MCP_JSON, ['bank']);
    const edit = minimalReplacement(before, after)!;
    assert.equal(before.slice(0, edit.offset) + edit.text + before.slice(edit.offset + edit.length), after);
  });
});
