import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { McpConfigLoader } from '../../../src/core/config/load-config';
import { inputToSecret, loadWorkspaceMcpJson, parseMcpJsonText } from '../../../src/core/config/mcp-json';
import { inferServerKind } from '../../../src/core/config/server-kind';

describe('config/mcp-json import', () => {
  let ws: string;
  beforeEach(async () => {
    ws = await mkdtemp(path.join(os.tmpdir(), 'mcp-json-'));
    await mkdir(path.join(ws, '.vscode'));
  });
  afterEach(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  it('imports VS Code servers (JSON with comments) and infers their kind', async () => {
    await writeFile(
      path.join(ws, '.vscode', 'mcp.json'),
      `{
  // servers for this repo
  "inputs": [{ "type": "promptString", "id": "gh-token", "password": true }],
  "servers": {
    "docs": { "type": "stdio", "command": "npx", "args": ["-y", "@upstash/context7-mcp@4"] },
    "gh": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "Authorization": "Bearer \${input:gh-token}" } },
    "bank": { "command": "npx", "args": ["@allpepper/memory-bank-mcp"], "env": { "MEMORY_BANK_ROOT": "\${workspaceFolder}/.bank" } },
    "legacy": { "type": "sse", "url": "http://localhost:9000/sse" },
  },
}`,
    );
    const { servers, errors } = await loadWorkspaceMcpJson(ws);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      servers.map((s) => [s.name, s.kind, s.transport.transport, s.origin]),
      [
        ['docs', 'context7', 'stdio', 'vscode-mcp-json'],
        ['gh', 'github', 'http', 'vscode-mcp-json'],
        ['bank', 'memory-bank', 'stdio', 'vscode-mcp-json'],
        ['legacy', 'generic', 'http', 'vscode-mcp-json'],
      ],
    );
    assert.deepEqual(servers[1]?.transport, {
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer ${secret:gh-token}' },
    });
  });

  it('imports .mcp.json servers; on a name clash the VS Code file wins', async () => {
    await writeFile(
      path.join(ws, '.vscode', 'mcp.json'),
      '{"servers": {"memory": {"command": "npx", "args": ["@modelcontextprotocol/server-memory"]}}}',
    );
    await writeFile(
      path.join(ws, '.mcp.json'),
      '{"mcpServers": {"memory": {"command": "other"}, "serena": {"command": "uvx", "args": ["serena", "start-mcp-server"]}}}',
    );
    const { servers } = await loadWorkspaceMcpJson(ws);
    assert.deepEqual(
      servers.map((s) => [s.name, s.kind, s.origin]),
      [
        ['memory', 'server-memory', 'vscode-mcp-json'],
        ['serena', 'serena', 'dot-mcp-json'],
      ],
    );
  });

  it('reads envFile (explicit env wins) and reports a missing one at the server', async () => {
    await writeFile(path.join(ws, '.env'), 'A=from-file\nB=from-file\n');
    await writeFile(
      path.join(ws, '.mcp.json'),
      '{\n  "mcpServers": {\n    "x": {"command": "x", "envFile": "${workspaceFolder}/.env", "env": {"B": "explicit"}},\n    "y": {"command": "y", "envFile": "missing.env"}\n  }\n}',
    );
    const { servers, errors } = await loadWorkspaceMcpJson(ws);
    assert.deepEqual(
      servers.map((s) => s.name),
      ['x'],
    );
    assert.deepEqual(servers[0]?.transport.transport === 'stdio' && servers[0].transport.env, {
      A: 'from-file',
      B: 'explicit',
    });
    assert.deepEqual(
      errors.map((e) => `${e.line}:${e.column} ${e.keyPath}`),
      ['4:10 mcpServers.y.envFile'],
    );
    assert.match(errors[0]?.detail ?? '', /does not exist/);
  });

  it('reports syntax errors and invalid entries with line and column, keeping valid entries', async () => {
    const broken = await parseMcpJsonText(
      'mcp.json',
      '{\n  "servers": {\n    "a": {"command": }\n  }\n}',
      'vscode-mcp-json',
      ws,
    );
    assert.deepEqual(broken.servers, []);
    assert.equal(broken.errors[0]?.line, 3);
    assert.match(broken.errors[0].detail, /JSON syntax error/);

    const invalid = await parseMcpJsonText(
      'mcp.json',
      '{\n  "servers": {\n    "a": {"command": "ok"},\n    "b": {"type": "websocket", "command": "x"},\n    "c": {"type": "http"}\n  }\n}',
      'vscode-mcp-json',
      ws,
    );
    assert.deepEqual(
      invalid.servers.map((s) => s.name),
      ['a'],
    );
    assert.deepEqual(
      invalid.errors.map((e) => `${e.line}:${e.column} ${e.keyPath}`),
      ['4:19 servers.b.type', '5:10 servers.c'],
    );
  });

  it('lets a YAML server of the same name win and resolves placeholders of imported servers', async () => {
    const defaultsDir = path.join(ws, 'defaults');
    await mkdir(defaultsDir);
    await writeFile(path.join(defaultsDir, 'mcp-config.yaml'), 'servers:\n  docs:\n    command: yaml-docs\n');
    await writeFile(
      path.join(ws, '.vscode', 'mcp.json'),
      '{"servers": {"docs": {"command": "json-docs"}, "gh": {"command": "gh-mcp", "env": {"T": "${input:tok}"}}, "nope": {"command": "n", "env": {"T": "${input:unset}"}}}}',
    );
    const loader = new McpConfigLoader({
      locations: { defaultsDir },
      secrets: { get: async (n) => (n === 'tok' ? 'secret-value' : undefined) },
      workspaceFolder: ws,
      env: {},
    });
    const { servers, errors } = await loader.load();
    const byName = new Map(servers.map((s) => [s.name, s]));
    const docs = byName.get('docs')?.transport;
    assert.equal(docs?.transport === 'stdio' ? docs.command : undefined, 'yaml-docs');
    assert.deepEqual(byName.get('docs')?.origin, 'defaults');
    assert.deepEqual(byName.get('gh')?.transport, {
      transport: 'stdio',
      command: 'gh-mcp',
      args: [],
      env: { T: 'secret-value' },
    });
    assert.equal(byName.get('nope')?.enabled, false);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.file, path.join(ws, '.vscode', 'mcp.json'));
    assert.match(errors[0].detail, /"nope".*\$\{secret:unset\}/);
  });

  it('does not import mcp.json when asked not to', async () => {
    await writeFile(path.join(ws, '.mcp.json'), '{"mcpServers": {"x": {"command": "x"}}}');
    const loader = new McpConfigLoader({
      locations: { defaultsDir: path.join(ws, 'none') },
      secrets: { get: async () => undefined },
      workspaceFolder: ws,
      importMcpJson: false,
    });
    assert.deepEqual((await loader.load()).servers, []);
  });

  it('maps ${input:…} to ${secret:…} and infers kinds from command, args or url', () => {
    assert.equal(inputToSecret('a ${input:x-1} ${env:Y}'), 'a ${secret:x-1} ${env:Y}');
    assert.equal(inferServerKind('npx', ['-y', '@upstash/context7-mcp']), 'context7');
    assert.equal(inferServerKind('/usr/bin/github-mcp-server', ['stdio']), 'github');
    assert.equal(inferServerKind(undefined, [], 'https://mcp.context7.com/mcp'), 'context7');
    assert.equal(inferServerKind('python', ['-m', 'something']), 'generic');
  });
});
