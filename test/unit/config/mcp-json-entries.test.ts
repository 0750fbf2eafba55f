import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseMcpJsonText } from '../../../src/core/config/mcp-json';
import { serverSchema } from '../../../src/core/config/mcp-config-schema';
import { MAX_CONFIG_BYTES } from '../../../src/core/config/yaml-loader';
import type { ConfigError } from '../../../src/core/errors';

const where = (e: ConfigError) => `${e.line}:${e.column} ${e.keyPath}`;

describe('config/mcp-json: entries, transports and limits', () => {
  let ws: string;
  beforeEach(async () => {
    ws = await mkdtemp(path.join(os.tmpdir(), 'mcp-json-entries-'));
  });
  afterEach(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  const vscode = (text: string) => parseMcpJsonText('mcp.json', text, 'vscode-mcp-json', ws);
  const dotMcp = (text: string) => parseMcpJsonText('.mcp.json', text, 'dot-mcp-json', ws);

  it('reads text of exactly the size cap and refuses a larger one at 1:1', async () => {
    const json = '{"servers": {"a": {"command": "x"}}}';
    const atCap = json + ' '.repeat(MAX_CONFIG_BYTES - json.length);
    assert.deepEqual(
      (await vscode(atCap)).servers.map((s) => s.name),
      ['a'],
    );
    const over = await vscode(`${atCap} `);
    assert.deepEqual(over.servers, []);
    assert.deepEqual(over.errors.map(where), ['1:1 ']);
    assert.equal(over.errors[0]?.detail, `file is larger than ${MAX_CONFIG_BYTES} bytes`);
  });

  it('imports nothing from a file with a syntax error, even entries that parsed', async () => {
    const broken = await vscode('{\n  "servers": {\n    "a": {"command": "x"}\n    "b": {"command": "y"}\n  }\n}');
    assert.deepEqual(broken.servers, []);
    assert.deepEqual(broken.errors.map(where), ['4:5 ']);
    assert.equal(broken.errors[0]?.detail, 'JSON syntax error: CommaExpected');
  });

  it('imports nothing and reports nothing from an empty object; reports a servers value that is not an object', async () => {
    assert.deepEqual(await vscode('{}'), { servers: [], errors: [], locations: new Map() });
    const notAnObject = await vscode('{\n  "servers": ["a"]\n}');
    assert.deepEqual(notAnObject.servers, []);
    assert.deepEqual(notAnObject.errors.map(where), ['2:14 servers']);
  });

  it('describes a wrong type as the type it got, not as missing', async () => {
    const { errors } = await vscode('{\n  "servers": {\n    "a": {"command": 5}\n  }\n}');
    assert.deepEqual(errors.map(where), ['3:22 servers.a.command']);
    assert.doesNotMatch(errors[0]?.detail ?? '', /missing/);
    assert.match(errors[0]?.detail ?? '', /expected string, received number/);
  });

  it('infers http from a lone url, stdio otherwise, and names what a server lacks', async () => {
    const { servers, errors } = await dotMcp(
      JSON.stringify(
        {
          mcpServers: {
            byUrl: { url: 'http://localhost:1/mcp' },
            both: { url: 'http://localhost:2/mcp', command: 'run' },
            neither: {},
            httpWithoutUrl: { type: 'http', command: 'run' },
          },
        },
        null,
        2,
      ),
    );
    assert.deepEqual(
      servers.map((s) => [s.name, s.transport.transport]),
      [
        ['byUrl', 'http'],
        ['both', 'stdio'],
      ],
    );
    assert.deepEqual(
      errors.map((e) => [where(e), e.detail]),
      [
        ['10:16 mcpServers.neither', 'a stdio server needs a "command"'],
        ['11:23 mcpServers.httpWithoutUrl', 'an http server needs a "url"'],
      ],
    );
  });

  it('imports a stdio server whole: inputs as secrets, cwd, default timeouts, no cost, enabled unless disabled', async () => {
    const { servers } = await dotMcp(
      JSON.stringify({
        mcpServers: {
          full: {
            command: '${input:bin}',
            args: ['--token', '${input:token}'],
            env: { KEY: '${input:key}' },
            cwd: '${input:dir}',
          },
          off: { command: 'x', disabled: true },
          on: { command: 'x', disabled: false },
        },
      }),
    );
    const full = servers[0];
    assert.deepEqual(full?.transport, {
      transport: 'stdio',
      command: '${secret:bin}',
      args: ['--token', '${secret:token}'],
      env: { KEY: '${secret:key}' },
      cwd: '${secret:dir}',
    });
    const defaults = serverSchema.shape.timeouts.parse(undefined);
    assert.deepEqual(full.timeouts, {
      initializeMs: defaults.initialize_ms,
      listMs: defaults.list_ms,
      callMs: defaults.call_ms,
    });
    assert.equal(full.costPerCallUsd, 0);
    assert.equal(full.origin, 'dot-mcp-json');
    assert.deepEqual(
      servers.map((s) => [s.name, s.enabled]),
      [
        ['full', true],
        ['off', false],
        ['on', true],
      ],
    );
    assert.deepEqual(servers[1]?.transport.transport === 'stdio' && Object.keys(servers[1].transport), [
      'transport',
      'command',
      'args',
      'env',
    ]);
  });

  it('reads routed entries of .vscode/mcp.json only, where they are, unless declared as well', async () => {
    const text = [
      '{',
      '  "servers": {',
      '    // mcp-integration: routed "docs" through MCP Integration (restore: remove the "// " markers)',
      '    // "docs": {',
      '    //   "command": "npx", "args": ["-y", "@upstash/context7-mcp"]',
      '    // },',
      '    // mcp-integration: routed "live" through MCP Integration (restore: remove the "// " markers)',
      '    // "live": { "command": "old" },',
      '    "live": { "command": "new" }',
      '  }',
      '}',
    ].join('\n');
    const routed = await vscode(text);
    assert.deepEqual(
      routed.servers.map((s) => [s.name, s.kind, s.transport.transport === 'stdio' && s.transport.command]),
      [
        ['live', 'generic', 'new'],
        ['docs', 'context7', 'npx'],
      ],
    );
    assert.deepEqual(routed.locations.get('docs'), { file: 'mcp.json', line: 3, column: 1 });
    const plain = await dotMcp(text.replace('"servers"', '"mcpServers"'));
    assert.deepEqual(
      plain.servers.map((s) => s.name),
      ['live'],
    );
  });

  it('reads an envFile of exactly the size cap and says why another cannot be read', async () => {
    await writeFile(path.join(ws, 'cap.env'), `A=${'x'.repeat(MAX_CONFIG_BYTES - 2)}`);
    await mkdir(path.join(ws, 'folder.env'));
    const { servers, errors } = await dotMcp(
      '{"mcpServers": {\n"cap": {"command": "x", "envFile": "cap.env"},\n"folder": {"command": "x", "envFile": "folder.env"}}}',
    );
    assert.deepEqual(
      servers.map((s) => s.name),
      ['cap'],
    );
    assert.equal(
      servers[0]?.transport.transport === 'stdio' && servers[0].transport.env['A']?.length,
      MAX_CONFIG_BYTES - 2,
    );
    assert.deepEqual(errors.map(where), ['3:11 mcpServers.folder.envFile']);
    assert.equal(errors[0]?.detail, `cannot read envFile ${path.join(ws, 'folder.env')}: not a regular file`);
  });
});
