import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { SendQueue, serialiseSends } from '../../../src/core/mcp/serial-send';

/** A transport whose writes wait for `drain` the way the SDK's stdio transport does. */
class FullPipeTransport {
  readonly pipe = new EventEmitter();
  readonly written: string[] = [];
  onclose: (() => void) | undefined;
  closed = false;

  send(message: string): Promise<void> {
    if (message === 'bad') return Promise.reject(new Error('cannot write bad'));
    this.written.push(message);
    return new Promise((resolve) => this.pipe.once('drain', resolve));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  drain(): void {
    this.pipe.emit('drain');
  }
}

/** Lets queued promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('serialiseSends', () => {
  it('writes in order with at most one drain listener, however many sends wait', async () => {
    const transport = serialiseSends(new FullPipeTransport());
    const sends = Array.from({ length: 50 }, (_, i) => transport.send(`m${i}`));
    for (let i = 0; i < 50; i++) {
      await settle();
      assert.equal(transport.pipe.listenerCount('drain'), 1);
      assert.equal(transport.written.length, i + 1);
      transport.drain();
    }
    await Promise.all(sends);
    assert.deepEqual(
      transport.written,
      Array.from({ length: 50 }, (_, i) => `m${i}`),
    );
    assert.equal(transport.pipe.listenerCount('drain'), 0);
  });

  it('rejects only the send whose write failed and goes on with the next', async () => {
    const transport = serialiseSends(new FullPipeTransport());
    const first = transport.send('a');
    const bad = transport.send('bad');
    const last = transport.send('b');
    await settle();
    transport.drain();
    await first;
    await assert.rejects(bad, /cannot write bad/);
    await settle();
    transport.drain();
    await last;
    assert.deepEqual(transport.written, ['a', 'b']);
  });

  it('rejects the waiting and queued sends when closed, and every later one', async () => {
    const transport = serialiseSends(new FullPipeTransport());
    const waiting = transport.send('a');
    const queued = transport.send('b');
    await settle();
    await transport.close();
    assert.equal(transport.closed, true);
    await assert.rejects(waiting, /closed before this message was written/);
    await assert.rejects(queued, /closed before this message was written/);
    await assert.rejects(transport.send('c'), /closed/);
    assert.deepEqual(transport.written, ['a']);
  });

  it('rejects the queue when the server side closes, and still calls the previous onclose', async () => {
    const raw = new FullPipeTransport();
    let previousCalled = false;
    raw.onclose = () => {
      previousCalled = true;
    };
    const transport = serialiseSends(raw);
    const waiting = transport.send('a');
    await settle();
    transport.onclose?.();
    assert.equal(previousCalled, true);
    await assert.rejects(waiting, /closed/);
  });
});

describe('SendQueue', () => {
  it('runs the next write only after the previous one settled', async () => {
    const queue = new SendQueue();
    const started: number[] = [];
    const finishers: (() => void)[] = [];
    const writes = [0, 1, 2].map((i) =>
      queue.enqueue(
        () =>
          new Promise<void>((resolve) => {
            started.push(i);
            finishers.push(resolve);
          }),
      ),
    );
    await settle();
    assert.deepEqual(started, [0]);
    assert.equal(queue.waiting, 2);
    finishers[0]?.();
    await settle();
    assert.deepEqual(started, [0, 1]);
    finishers[1]?.();
    await settle();
    finishers[2]?.();
    await Promise.all(writes);
    assert.deepEqual(started, [0, 1, 2]);
    assert.equal(queue.waiting, 0);
  });
});
