import { strict as assert } from 'node:assert';
import path from 'node:path';
import { toolText } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import { serverMemoryServer } from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';

describe('many concurrent calls over one stdio pipe', function () {
  this.timeout(60_000);
  const tempDir = cleanTempDirsAfter();

  it('answers 1000 concurrent calls to a real server without a process warning', async () => {
    const graphFile = path.join(tempDir('server-memory-'), 'memory.jsonl');
    const test = createTestPool([serverMemoryServer(graphFile)]);
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const graph = test.pool.caller('server-memory');
      await graph.callTool('create_entities', {
        entities: [{ name: 'pipe', entityType: 'thing', observations: ['full'] }],
      });
      // Each request carries 2 KB so that 1000 of them (≈ 2 MB) overfill the pipe many times over.
      const padding = 'x'.repeat(2048);
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => graph.callTool('search_nodes', { query: `pipe ${i} ${padding}` })),
      );
      assert.equal(results.length, 1000);
      for (const result of results) assert.equal(result.isError, undefined, toolText(result));
      // A warning is emitted on the next tick; give it one macrotask to arrive before checking.
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.map((w) => `${w.name}: ${w.message}`),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await test.pool.shutdown();
    }
  });
});
