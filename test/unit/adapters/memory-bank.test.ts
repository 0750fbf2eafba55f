import { strict as assert } from 'node:assert';
import { MemoryBankAdapter } from '../../../src/core/adapters/memory-bank';
import { McpError } from '../../../src/core/errors';
import { text } from './fake-caller';
import { memoryBankFake } from './memory-bank-fake';

describe('MemoryBankAdapter', () => {
  let clock = 1_000_000;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('misses (null) when neither project nor file exists', async () => {
    const { caller } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    assert.equal(await adapter.fetch({ text: 'nothing', contextType: 'general' }), null);
    assert.deepEqual(await adapter.listKeys(), []);
  });

  it('writes new keys, then updates existing ones so the content really changes', async () => {
    const { caller, files } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    await adapter.store('error: x is undefined', 'define x', { contextType: 'error_solution', ttlSeconds: 60 });
    assert.deepEqual(caller.toolsCalled(), ['memory_bank_update', 'memory_bank_write']);
    await adapter.store('error: x is undefined', 'import x', { contextType: 'error_solution', ttlSeconds: 60 });
    assert.equal(caller.toolsCalled().at(-1), 'memory_bank_update');
    const answer = await adapter.fetch({ text: 'error: x is undefined', contextType: 'error_solution' });
    assert.equal(answer?.content, 'import x');
    assert.equal(answer.metadata?.['expiresAt'], clock + 60_000);
    const [fileName] = [...files.keys()];
    assert.match(fileName ?? '', /^p\/k_[a-z0-9_.-]+\.json$/);
    assert.deepEqual(await adapter.listKeys(), ['error: x is undefined']);
  });

  it('treats an expired envelope as a miss and overwrites it on the next store', async () => {
    const { caller } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    await adapter.store('k', 'old', { contextType: 'general', ttlSeconds: 10 });
    clock += 10_000;
    assert.equal(await adapter.fetch({ text: 'k', contextType: 'general' }), null);
    await adapter.store('k', 'new', { contextType: 'general', ttlSeconds: 10 });
    assert.equal((await adapter.fetch({ text: 'k', contextType: 'general' }))?.content, 'new');
  });

  it('invalidates by overwriting with a tombstone', async () => {
    const { caller } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    await adapter.store('k', 'v', { contextType: 'general', ttlSeconds: 0 });
    await adapter.invalidate('k');
    assert.equal(await adapter.fetch({ text: 'k', contextType: 'general' }), null);
    await adapter.invalidate('never stored'); // no error for a missing key
  });

  it('serialises concurrent first writes of one key so the last value wins', async () => {
    const { caller } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    await Promise.all([
      adapter.store('k', 'first', { contextType: 'general', ttlSeconds: 60 }),
      adapter.store('k', 'second', { contextType: 'general', ttlSeconds: 60 }),
    ]);
    assert.equal((await adapter.fetch({ text: 'k', contextType: 'general' }))?.content, 'second');
  });

  it('ignores files that are not envelopes, and envelopes of another key', async () => {
    const { caller, files } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    files.set('p/k_notes.json', 'free text');
    assert.equal(await adapter.fetch({ text: 'notes', contextType: 'general' }), null);
    files.set(
      'p/k_a.json',
      JSON.stringify({ v: 1, key: 'b', contextType: 'general', value: 'x', storedAt: 1, expiresAt: null }),
    );
    assert.equal(await adapter.fetch({ text: 'a', contextType: 'general' }), null);
  });

  it("reads list_projects' comma-joined answer", async () => {
    const { caller } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    await adapter.store('k', 'v', { contextType: 'general', ttlSeconds: 0 });
    await new MemoryBankAdapter({ caller, project: 'q', now }).store('k', 'v', {
      contextType: 'general',
      ttlSeconds: 0,
    });
    assert.deepEqual(await adapter.listProjects(), ['p', 'q']);
  });

  it('throws other tool errors instead of calling them a miss', async () => {
    const { caller } = memoryBankFake();
    const broken = Object.assign(caller, {});
    broken.callTool = async () =>
      text(JSON.stringify({ name: 'UnexpectedError', error: 'EACCES: permission denied' }), true);
    const adapter = new MemoryBankAdapter({ caller: broken, project: 'p', now });
    await assert.rejects(
      adapter.fetch({ text: 'k', contextType: 'general' }),
      (error: unknown) => error instanceof McpError && error.kind === 'tool-error',
    );
  });

  it('passes the AbortSignal to every call', async () => {
    const { caller } = memoryBankFake();
    const adapter = new MemoryBankAdapter({ caller, project: 'p', now });
    const controller = new AbortController();
    await adapter.store('k', 'v', { contextType: 'general', ttlSeconds: 1, signal: controller.signal });
    await adapter.fetch({ text: 'k', contextType: 'general' }, { signal: controller.signal });
    assert.ok(caller.calls.every((call) => call.signal === controller.signal));
  });

  it('refuses unsafe project names', () => {
    const { caller } = memoryBankFake();
    assert.throws(() => new MemoryBankAdapter({ caller, project: '../etc' }), /must match/);
  });
});
