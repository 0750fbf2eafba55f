import { strict as assert } from 'node:assert';
import { Gateway } from '../../../src/core/gateway/gateway';
import { ResultCache } from '../../../src/core/store/result-cache';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { FakeSource, PLAIN_CONFIG, READ_ONLY, tool, warningsLogger } from './fake-source';

const config = PLAIN_CONFIG;

function docsSource(): FakeSource {
  const source = new FakeSource([{ name: 'docs', kind: 'generic', costPerCallUsd: 0 }]);
  source.tools.set('docs', [
    tool('read', READ_ONLY, (args) => ({ content: [{ type: 'text', text: `read ${String(args['page'])}` }] })),
  ]);
  return source;
}

describe('Gateway: the answer waits for nothing a direct call does not need', () => {
  const tempDir = cleanTempDirsAfter();

  it('returns the answer before the cache write completes; the next identical call is a hit already', async () => {
    const cache = new ResultCache();
    let finishWrite!: () => void;
    const writeGate = new Promise<void>((resolve) => (finishWrite = resolve));
    let written = false;
    const set = cache.set.bind(cache);
    cache.set = (...args: Parameters<typeof set>) => {
      const started = set(...args);
      return writeGate.then(async () => {
        const result = await started;
        written = true;
        return result;
      });
    };
    const source = docsSource();
    const gateway = new Gateway({ source, cache, config });
    const first = await gateway.callTool('docs__read', { page: 1 });
    assert.equal(first.content[0]?.['text'], 'read 1');
    assert.equal(written, false, 'answered while the write is still pending');
    const again = await gateway.callTool('docs__read', { page: 1 });
    assert.equal(again.content[0]?.['text'], 'read 1');
    assert.equal(source.callsTo('read'), 1, 'the memory level had it before the first answer was returned');
    let flushed = false;
    const flushing = gateway.flush().then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(flushed, false, 'flush waits for the pending write');
    finishWrite();
    await flushing;
    assert.equal(written, true);
  });

  it('a cache write that fails after the answer is logged, never thrown or left unhandled', async () => {
    const cache = new ResultCache();
    cache.set = () => Promise.reject(new Error('the disk is gone'));
    const warnings: string[] = [];
    const gateway = new Gateway({ source: docsSource(), cache, config, logger: warningsLogger(warnings) });
    const result = await gateway.callTool('docs__read', { page: 2 });
    assert.equal(result.isError, undefined);
    assert.equal(result.content[0]?.['text'], 'read 2');
    await gateway.flush();
    assert.deepEqual(warnings, ['Gateway: a cache write failed after the answer was returned']);
  });

  it('the observer records a call once its answer is returned, and flush waits for the record', async () => {
    const heard: string[] = [];
    const gateway = new Gateway({
      source: docsSource(),
      cache: new ResultCache(),
      config,
      observer: { onCall: (event) => void heard.push(`${event.tool} ${event.upstream ? 'upstream' : 'cached'}`) },
    });
    const answer = await gateway.callTool('docs__read', { page: 5 });
    assert.equal(answer.content[0]?.['text'], 'read 5');
    assert.deepEqual(heard, [], 'not recorded before the answer is on its way');
    await gateway.flush();
    assert.deepEqual(heard, ['read upstream']);
  });

  it('a miss that memory and the disk index rule out goes upstream without reading the cache', async () => {
    const cache = new ResultCache({ cacheDir: tempDir('answer-first-') });
    await cache.open();
    let reads = 0;
    const get = cache.get.bind(cache);
    cache.get = (...args: Parameters<typeof get>) => {
      reads++;
      return get(...args);
    };
    const source = docsSource();
    const gateway = new Gateway({ source, cache, config });
    await gateway.callTool('docs__read', { page: 3 });
    assert.equal(reads, 0, 'a certain miss');
    await gateway.flush();
    cache.clearMemory();
    const fromDisk = await gateway.callTool('docs__read', { page: 3 });
    assert.equal(reads, 1, 'an entry on disk is read');
    assert.equal(fromDisk.content[0]?.['text'], 'read 3');
    assert.equal(source.callsTo('read'), 1);
  });
});
