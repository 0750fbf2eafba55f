import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { McpError } from '../../../src/core/errors';
import { guardRequest, sleep, waitUnlessAborted } from '../../../src/core/mcp/request-guard';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const options = { server: 's', operation: 'tools/call', tool: 't', timeoutMs: 1000 };

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    assert.ok(error instanceof McpError, String(error));
    return error.kind;
  }
}

describe('guardRequest', () => {
  it('passes a result through', async () => {
    assert.equal(await guardRequest(() => Promise.resolve(42), options), 42);
  });

  it('rejects with a timeout McpError even when the request never settles, and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const error = guardRequest((signal) => ((seen = signal), never()), { ...options, timeoutMs: 20 });
    assert.equal(await kindOf(error), 'timeout');
    assert.equal(seen?.aborted, true, 'the SDK request is told to cancel');
  });

  it('names the server, operation and tool in the timeout message', async () => {
    await assert.rejects(
      guardRequest(() => never(), { ...options, timeoutMs: 10 }),
      (e: McpError) => {
        assert.equal(e.server, 's');
        assert.equal(e.tool, 't');
        assert.match(e.message, /tools\/call t timed out after 10 ms/);
        return true;
      },
    );
  });

  it('rejects with cancelled when the caller aborts, and at once for an aborted signal', async () => {
    const controller = new AbortController();
    const pending = guardRequest(() => never(), { ...options, signal: controller.signal });
    controller.abort();
    assert.equal(await kindOf(pending), 'cancelled');
    let ran = false;
    assert.equal(
      await kindOf(guardRequest(() => Promise.resolve((ran = true)), { ...options, signal: AbortSignal.abort() })),
      'cancelled',
    );
    assert.equal(ran, false);
  });

  it('propagates the request error unchanged and turns a synchronous throw into a rejection', async () => {
    const failure = new Error('boom');
    await assert.rejects(
      guardRequest(() => Promise.reject(failure), options),
      (e) => e === failure,
    );
    await assert.rejects(
      guardRequest(() => {
        throw failure;
      }, options),
      (e) => e === failure,
    );
  });

  it('leaves no abort listener on a long-lived caller signal', async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => ((added += 1), add(...args));
    signal.removeEventListener = (...args: Parameters<typeof remove>) => ((removed += 1), remove(...args));
    for (let i = 0; i < 5; i++) await guardRequest(() => Promise.resolve(i), { ...options, signal });
    assert.equal(added, 5);
    assert.equal(removed, 5);
  });
});

describe('waitUnlessAborted', () => {
  it('lets one waiter give up without rejecting the shared work for others', async () => {
    let finish: (v: string) => void = () => undefined;
    const shared = new Promise<string>((resolve) => (finish = resolve));
    const controller = new AbortController();
    const impatient = waitUnlessAborted(shared, controller.signal, () => new McpError('cancelled', 's', 'gave up'));
    const patient = waitUnlessAborted(shared, undefined, () => new McpError('cancelled', 's', 'never'));
    controller.abort();
    assert.equal(await kindOf(impatient), 'cancelled');
    finish('done');
    assert.equal(await patient, 'done');
  });
});

describe('guardRequest: messages and late outcomes', () => {
  it('names the operation alone when the request is not a tool call', async () => {
    await assert.rejects(
      guardRequest(() => never(), { server: 's', operation: 'initialize', timeoutMs: 5 }),
      (e: McpError) => e.message.includes('initialize timed out after 5 ms') && e.tool === undefined,
    );
  });

  it('says whether a cancelled request had started', async () => {
    const controller = new AbortController();
    const pending = guardRequest(() => never(), { ...options, signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, (e: McpError) => /tools\/call t was cancelled$/.test(e.message) && e.tool === 't');
    await assert.rejects(
      guardRequest(() => Promise.resolve(1), { ...options, signal: AbortSignal.abort() }),
      (e: McpError) => /tools\/call t was cancelled before it started$/.test(e.message) && e.server === 's',
    );
  });

  it('tells the request to stop when the caller aborts', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const pending = guardRequest((signal) => ((seen = signal), never()), { ...options, signal: controller.signal });
    controller.abort();
    await pending.catch(() => undefined);
    assert.equal(seen?.aborted, true);
  });

  it('an answer after the timeout changes nothing, and the timer is cleared after an answer', async () => {
    let answer!: (value: number) => void;
    const pending = guardRequest(() => new Promise<number>((resolve) => (answer = resolve)), {
      ...options,
      timeoutMs: 5,
    });
    assert.equal(await kindOf(pending), 'timeout');
    answer(1);
    let seen: AbortSignal | undefined;
    assert.equal(
      await guardRequest((signal) => ((seen = signal), Promise.resolve(7)), { ...options, timeoutMs: 5 }),
      7,
    );
    // Outlasts the 5 ms timeout on purpose: proving that no timeout fires after the answer needs it to pass.
    await new Promise((resolve) => setTimeout(resolve, 15));
    assert.equal(seen?.aborted, false, 'no timeout fired after the answer');
  });
});

describe('waitUnlessAborted: details', () => {
  it('without a signal returns the shared promise itself', () => {
    const shared = Promise.resolve(1);
    assert.equal(
      waitUnlessAborted(shared, undefined, () => new McpError('cancelled', 's', 'x')),
      shared,
    );
  });

  it('rejects at once for an already aborted signal, and passes a shared failure through', async () => {
    let asked = 0;
    const onAbort = (): McpError => (asked++, new McpError('cancelled', 's', 'gave up'));
    assert.equal(await kindOf(waitUnlessAborted(never(), AbortSignal.abort(), onAbort)), 'cancelled');
    assert.equal(asked, 1);
    const failure = new McpError('unavailable', 's', 'died');
    await assert.rejects(
      waitUnlessAborted(Promise.reject(failure), new AbortController().signal, onAbort),
      (e) => e === failure,
    );
  });

  it('stops listening to the signal once the shared work settles', async () => {
    const controller = new AbortController();
    let removed = 0;
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.removeEventListener = (...args: Parameters<typeof remove>) => ((removed += 1), remove(...args));
    assert.equal(
      await waitUnlessAborted(Promise.resolve('v'), controller.signal, () => new McpError('cancelled', 's', 'x')),
      'v',
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(removed, 1);
  });
});

describe('sleep (the wait before a restart)', () => {
  it('waits about the time asked', async () => {
    const started = performance.now();
    await sleep(30, new AbortController().signal);
    assert.ok(performance.now() - started >= 25);
  });

  it('ends early, without rejecting, when the signal aborts, and leaves no listener or timer behind', async () => {
    const controller = new AbortController();
    let removed = 0;
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.removeEventListener = (...args: Parameters<typeof remove>) => ((removed += 1), remove(...args));
    const started = performance.now();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await waiting;
    assert.ok(performance.now() - started < 5_000);
    assert.equal(removed, 1);
    const timed = new AbortController();
    let timedRemoved = 0;
    const removeTimed = timed.signal.removeEventListener.bind(timed.signal);
    timed.signal.removeEventListener = (...args: Parameters<typeof removeTimed>) => (
      (timedRemoved += 1),
      removeTimed(...args)
    );
    await sleep(1, timed.signal);
    assert.equal(timedRemoved, 1, 'the abort listener goes when the time is up');
  });
});

describe('abort listeners left on a long-lived signal (as the signal itself lists them)', () => {
  const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

  it('a waiter that gave up stops listening even though the shared work goes on', async () => {
    const controller = new AbortController();
    const waiting = waitUnlessAborted(never(), controller.signal, () => new McpError('cancelled', 's', 'gave up'));
    assert.equal(listeners(controller.signal), 1);
    controller.abort();
    assert.equal(await kindOf(waiting), 'cancelled');
    assert.equal(listeners(controller.signal), 0);
  });

  it('a waiter whose shared work settled stops listening', async () => {
    const controller = new AbortController();
    await waitUnlessAborted(Promise.resolve('v'), controller.signal, () => new McpError('cancelled', 's', 'x'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(listeners(controller.signal), 0);
  });

  it('a guarded request and a finished sleep leave no listener', async () => {
    const controller = new AbortController();
    await guardRequest(() => Promise.resolve(1), { ...options, signal: controller.signal });
    assert.equal(listeners(controller.signal), 0);
    await sleep(1, controller.signal);
    assert.equal(listeners(controller.signal), 0);
  });
});
