import { strict as assert } from 'node:assert';
import { Cancellation } from '../../../src/core/hierarchy/cancellation';
import { SingleFlight } from '../../../src/core/hierarchy/single-flight';

/** A promise settled from outside. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('shares one execution between callers of the same key and reports who joined', async () => {
    const flights = new SingleFlight<string, string>();
    const work = deferred<string>();
    let starts = 0;
    const start = (): { promise: Promise<string>; state: string } => {
      starts++;
      return { promise: work.promise, state: 'shared state' };
    };
    const first = flights.join('k', start);
    const second = flights.join('k', start);
    assert.equal(first.joined, false);
    assert.equal(second.joined, true);
    assert.equal(second.state, 'shared state');
    assert.equal(flights.size, 1);
    work.resolve('answer');
    assert.deepEqual(await first.outcome, { status: 'done', value: 'answer' });
    assert.deepEqual(await second.outcome, { status: 'done', value: 'answer' });
    assert.equal(starts, 1);
    assert.equal(flights.size, 0, 'a settled flight is forgotten');
  });

  it('keeps different keys apart', async () => {
    const flights = new SingleFlight<string, null>();
    const a = flights.join('a', () => ({ promise: Promise.resolve('for a'), state: null }));
    const b = flights.join('b', () => ({ promise: Promise.resolve('for b'), state: null }));
    assert.equal(b.joined, false);
    assert.deepEqual(await a.outcome, { status: 'done', value: 'for a' });
    assert.deepEqual(await b.outcome, { status: 'done', value: 'for b' });
  });

  it('reports a failed execution to every caller and forgets it', async () => {
    const flights = new SingleFlight<string, null>();
    const failure = new Error('upstream broke');
    const ticket = flights.join('k', () => ({ promise: Promise.reject(failure), state: null }));
    assert.deepEqual(await ticket.outcome, { status: 'failed', error: failure });
    assert.equal(flights.size, 0);
  });

  it('aborts the shared work only when the last caller has left, with that caller’s reason', async () => {
    const flights = new SingleFlight<string, null>();
    let cancellation: Cancellation | undefined;
    const work = deferred<string>();
    const first = new AbortController();
    const second = new AbortController();
    const a = flights.join(
      'k',
      (c) => {
        cancellation = c;
        return { promise: work.promise, state: null };
      },
      first.signal,
    );
    const b = flights.join('k', () => assert.fail('joined, not started'), second.signal);
    first.abort();
    assert.deepEqual(await a.outcome, { status: 'cancelled' });
    assert.equal(cancellation?.aborted, false, 'one caller is still waiting');
    second.abort('the user closed the palette');
    assert.deepEqual(await b.outcome, { status: 'cancelled' });
    assert.equal(cancellation.aborted, true);
    assert.equal(cancellation.reason, 'the user closed the palette');
  });

  it('aborts with a default reason when the last caller’s signal gives none in words', async () => {
    const flights = new SingleFlight<string, null>();
    let cancellation: Cancellation | undefined;
    const controller = new AbortController();
    const ticket = flights.join(
      'k',
      (c) => {
        cancellation = c;
        return { promise: new Promise<string>(() => undefined), state: null };
      },
      controller.signal,
    );
    controller.abort(new Error('not a string'));
    await ticket.outcome;
    assert.equal(cancellation?.reason, 'cancelled by the caller');
  });

  it('a caller whose signal is already aborted leaves at once', async () => {
    const flights = new SingleFlight<string, null>();
    const ticket = flights.join(
      'k',
      () => ({ promise: new Promise<string>(() => undefined), state: null }),
      AbortSignal.abort(),
    );
    assert.deepEqual(await ticket.outcome, { status: 'cancelled' });
    assert.equal(flights.size, 0);
  });

  it('a flight every caller abandoned is not joinable: the next caller starts a fresh one', async () => {
    const flights = new SingleFlight<string, null>();
    const abandoned = deferred<string>();
    const controller = new AbortController();
    const gone = flights.join('k', () => ({ promise: abandoned.promise, state: null }), controller.signal);
    controller.abort();
    await gone.outcome;
    const fresh = flights.join('k', () => ({ promise: Promise.resolve('fresh answer'), state: null }));
    assert.equal(fresh.joined, false);
    assert.deepEqual(await fresh.outcome, { status: 'done', value: 'fresh answer' });
  });

  it('an abandoned flight settling late does not remove the newer flight for the same key', async () => {
    const flights = new SingleFlight<string, null>();
    const abandoned = deferred<string>();
    const controller = new AbortController();
    const gone = flights.join('k', () => ({ promise: abandoned.promise, state: null }), controller.signal);
    controller.abort();
    await gone.outcome;
    const newer = deferred<string>();
    flights.join('k', () => ({ promise: newer.promise, state: null }));
    abandoned.resolve('stale');
    await abandoned.promise;
    await new Promise((resolve) => setImmediate(resolve));
    const latecomer = flights.join('k', () => assert.fail('must join the newer flight'));
    assert.equal(latecomer.joined, true);
    newer.resolve('newer answer');
    assert.deepEqual(await latecomer.outcome, { status: 'done', value: 'newer answer' });
  });

  it('a caller that left early does not receive the later result', async () => {
    const flights = new SingleFlight<string, null>();
    const work = deferred<string>();
    const controller = new AbortController();
    const leaving = flights.join('k', () => ({ promise: work.promise, state: null }), controller.signal);
    const staying = flights.join('k', () => assert.fail('joined'));
    controller.abort();
    work.resolve('late');
    assert.deepEqual(await leaving.outcome, { status: 'cancelled' });
    assert.deepEqual(await staying.outcome, { status: 'done', value: 'late' });
  });

  it('abortAll aborts every flight with the reason and forgets them', async () => {
    const flights = new SingleFlight<string, null>();
    const cancellations: Cancellation[] = [];
    for (const key of ['a', 'b']) {
      flights.join(key, (c) => {
        cancellations.push(c);
        return { promise: new Promise<string>(() => undefined), state: null };
      });
    }
    flights.abortAll('shutting down');
    assert.equal(flights.size, 0);
    assert.deepEqual(
      cancellations.map((c) => c.reason),
      ['shutting down', 'shutting down'],
    );
  });
});

describe('Cancellation', () => {
  it('aborts once, keeping the first reason, and tells listeners in order', () => {
    const cancellation = new Cancellation();
    const heard: string[] = [];
    cancellation.onAbort((reason) => heard.push(`first: ${String(reason)}`));
    cancellation.onAbort((reason) => heard.push(`second: ${String(reason)}`));
    assert.equal(cancellation.aborted, false);
    assert.equal(cancellation.reason, undefined);
    cancellation.abort('stop');
    cancellation.abort('again');
    assert.equal(cancellation.aborted, true);
    assert.equal(cancellation.reason, 'stop');
    assert.deepEqual(heard, ['first: stop', 'second: stop']);
  });

  it('a listener added after the abort is called at once; a removed one never', () => {
    const cancellation = new Cancellation();
    let removedCalls = 0;
    const remove = cancellation.onAbort(() => removedCalls++);
    remove();
    cancellation.abort('done');
    assert.equal(removedCalls, 0);
    let late: unknown;
    cancellation.onAbort((reason) => (late = reason));
    assert.equal(late, 'done');
  });

  it('a child is aborted with its parent, but not after it was released', () => {
    const parent = new Cancellation();
    const linked = parent.child();
    const released = parent.child();
    released.release();
    parent.abort('parent stopped');
    assert.equal(linked.cancellation.reason, 'parent stopped');
    assert.equal(released.cancellation.aborted, false);
  });

  it('aborting a child leaves its parent running', () => {
    const parent = new Cancellation();
    const { cancellation } = parent.child();
    cancellation.abort('only me');
    assert.equal(parent.aborted, false);
  });
});
