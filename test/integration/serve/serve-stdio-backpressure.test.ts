/**
 * `serve` over stdio under a full pipe: a thousand concurrent calls whose answers come from the
 * cache at once fill the server's stdout faster than the client reads it. Every call must answer
 * and the `serve` process must print no warning (Node prints `MaxListenersExceededWarning` when
 * each waiting answer adds its own `drain` listener to stdout).
 */
import { strict as assert } from 'node:assert';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, type CallToolResult } from '@modelcontextprotocol/client';
import { serialiseSends } from '../../../src/core/mcp/serial-send';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { ensureCliBundle } from '../cli/cli-runner';
import { serveCommandLine, writeServeConfig, type ServeFolders } from './harness';

const CALLS = 1000;

describe('serve over stdio with a full pipe', function () {
  this.timeout(120_000);
  const makeDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let client: Client;
  let stderr = '';

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
    api = await FakeContext7Api.start();
    // Long docs, as real library pages are: a thousand of them far exceed what a pipe holds.
    api.addLibrary({
      id: '/numpy/numpy',
      title: 'NumPy',
      description: 'The fundamental package for scientific computing with Python',
      totalSnippets: 3000,
      trustScore: 9,
      versions: ['v2.2.0'],
      docs: `# numpy.reshape\n\n${'Gives a new shape to an array without changing its data. '.repeat(60)}`,
    });
    const folders: ServeFolders = {
      configDir: makeDir('serve-pipe-config-'),
      storageDir: makeDir('serve-pipe-storage-'),
      workspaceDir: makeDir('serve-pipe-ws-'),
    };
    writeServeConfig(folders, api.apiUrl);
    const transport = serialiseSends(new StdioClientTransport({ ...serveCommandLine(folders), stderr: 'pipe' }));
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    client = new Client({ name: 'serve-pipe-it', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client.close();
    await api.close();
  });

  it(`answers ${CALLS} concurrent cached calls with no process warning from serve`, async () => {
    const args = { libraryId: '/numpy/numpy', query: 'reshape an array without copying' };
    const warm = await client.callTool({ name: 'context7__query-docs', arguments: args });
    assert.notEqual(warm.isError, true);
    const answer = JSON.stringify(warm.content);
    // Together the answers are many times what a pipe holds (64 KiB on Linux).
    assert.ok(answer.length * CALLS > 40 * 65_536, `answers too small to fill a pipe: ${answer.length} bytes`);

    const results: CallToolResult[] = await Promise.all(
      Array.from({ length: CALLS }, () => client.callTool({ name: 'context7__query-docs', arguments: args })),
    );

    assert.equal(results.length, CALLS);
    assert.ok(
      results.every((r) => r.isError !== true && JSON.stringify(r.content) === answer),
      'every call answered with the cached docs',
    );
    assert.doesNotMatch(stderr, /Warning/, `serve printed a warning:\n${stderr}`);
  });
});
