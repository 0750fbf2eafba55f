import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createMcpAdapters } from '../../../src/core/adapters/create-adapters';
import { GithubAdapter } from '../../../src/core/adapters/github';
import { SerenaAdapter } from '../../../src/core/adapters/serena';
import { McpError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/ports';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import { githubStandIn, serenaStandIn } from '../../helpers/servers';
import { removeTempDirs, tempDir } from '../../helpers/temp';
import { githubOfflineServer, startPool } from './pool';

describe('serena and github adapters against their stand-in servers', function () {
  this.timeout(30_000);
  let pool: ConnectionPool;
  let definitions: ReturnType<typeof serenaStandIn>[];

  before(() => {
    const project = tempDir('serena-project-');
    mkdirSync(path.join(project, 'src'));
    writeFileSync(
      path.join(project, 'src', 'helpers.py'),
      'import os\n\ndef normalise_path(p):\n    return os.path.normpath(p)\n',
    );
    definitions = [serenaStandIn({ project }), githubStandIn(), githubOfflineServer()];
    pool = startPool(definitions);
  });
  after(async () => {
    await pool.shutdown();
    removeTempDirs();
  });

  describe('SerenaAdapter', () => {
    const adapter = (): SerenaAdapter => new SerenaAdapter({ caller: pool.caller('serena') });

    it('finds a symbol by name path with its location and body', async () => {
      const answer = await adapter().fetch({ text: 'where is Trainer.fit defined?', contextType: 'code_symbol' });
      assert.match(answer?.content ?? '', /\*\*Trainer\/fit\*\* \(Method\) — src\/train\.py:20-40/);
      assert.match(answer?.content ?? '', /def fit\(self, data\)/);
      assert.equal(answer?.metadata?.['tool'], 'find_symbol');
    });

    it('falls back to search_for_pattern when no symbol matches', async () => {
      const answer = await adapter().fetch({ text: 'normalise_path', contextType: 'code_symbol' });
      assert.equal(answer?.metadata?.['tool'], 'search_for_pattern');
      assert.match(answer.content, /src\/helpers\.py/);
      assert.match(answer.content, /3:def normalise_path/);
    });

    it('misses with null when nothing matches at all', async () => {
      assert.equal(await adapter().fetch({ text: 'NoSuchThingAnywhere', contextType: 'code_symbol' }), null);
    });

    it('keeps error solutions in memories: miss, store, fetch, update', async () => {
      const key = "KeyError: 'id'";
      assert.equal(await adapter().fetch({ text: key, contextType: 'error_solution' }), null);
      await adapter().store(key, 'use dict.get', { contextType: 'error_solution', ttlSeconds: 60 });
      assert.equal((await adapter().fetch({ text: key, contextType: 'error_solution' }))?.content, 'use dict.get');
      await adapter().store(key, 'check the key first', { contextType: 'error_solution', ttlSeconds: 60 });
      assert.equal(
        (await adapter().fetch({ text: key, contextType: 'error_solution' }))?.content,
        'check the key first',
      );
      assert.equal((await adapter().listMemories()).length, 1);
    });
  });

  describe('GithubAdapter', () => {
    it('finds issues for an error signature, with the fix', async () => {
      const adapter = new GithubAdapter({ caller: pool.caller('github') });
      const answer = await adapter.fetch({ text: 'RuntimeError: CUDA out of memory', contextType: 'error_solution' });
      assert.match(answer?.content ?? '', /#202 RuntimeError: CUDA out of memory/);
      assert.match(answer?.content ?? '', /torch\.cuda\.empty_cache/);
    });

    it('searches code for code questions', async () => {
      const adapter = new GithubAdapter({ caller: pool.caller('github') });
      const answer = await adapter.fetch({
        text: 'params kwargs',
        contextType: 'code_symbol',
        hints: { repo: 'psf/requests' },
      });
      assert.match(answer?.content ?? '', /psf\/requests: src\/requests\/api\.py/);
    });

    it('misses with null when nothing is found, and refuses to store', async () => {
      const adapter = new GithubAdapter({ caller: pool.caller('github') });
      assert.equal(await adapter.fetch({ text: 'zzzqqq nothing like this', contextType: 'github_issue' }), null);
      await assert.rejects(adapter.store(), /read-only/);
    });

    it('turns an offline server\'s thrown -32603 "fetch failed" into a protocol-error', async () => {
      const adapter = new GithubAdapter({ caller: pool.caller('github-offline') });
      await assert.rejects(
        adapter.fetch({ text: 'TypeError', contextType: 'error_solution' }),
        (error: unknown) =>
          error instanceof McpError && error.kind === 'protocol-error' && /fetch failed/.test(error.message),
      );
    });
  });

  it("createMcpAdapters wires each definition to the pool's caller", async () => {
    const adapters = createMcpAdapters(definitions, (name) => pool.caller(name), { logger: silentLogger });
    assert.deepEqual([...adapters.keys()], ['serena', 'github', 'github-offline']);
    const answer = await adapters.get('serena')?.fetch({ text: 'load_dataset', contextType: 'code_symbol' });
    assert.match(answer?.content ?? '', /src\/data\.py:1-15/);
  });
});
