import { strict as assert } from 'node:assert';
import type { Logger } from '../../../src/core/ports';
import type { UpstreamServer, UpstreamToolSource } from '../../../src/core/gateway/ports';
import type { ToolDefinition } from '../../../src/core/gateway/protocol';
import { ServerToolLists } from '../../../src/core/gateway/tool-lists';
import { waitFor } from '../../helpers/wait';

const SERVER: UpstreamServer = { name: 'docs', kind: 'generic', costPerCallUsd: 0 };

function toolNamed(name: string): ToolDefinition {
  return { name, inputSchema: { type: 'object' } };
}

interface PendingListing {
  server: string;
  resolve(tools: ToolDefinition[]): void;
  reject(error: unknown): void;
}

/** A source whose listings stay open until the test settles them. */
class GatedSource implements UpstreamToolSource {
  readonly pending: PendingListing[] = [];
  servers(): UpstreamServer[] {
    return [SERVER];
  }
  listTools(server: string): Promise<ToolDefinition[]> {
    return new Promise((resolve, reject) => this.pending.push({ server, resolve, reject }));
  }
  callTool(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
  identity(server: string): Promise<string> {
    return Promise.resolve(server);
  }
  onToolsChanged(): { dispose(): void } {
    return { dispose: () => undefined };
  }
  /** Settles the oldest open listing. */
  next(): PendingListing {
    const listing = this.pending.shift();
    assert.ok(listing, 'a listing is open');
    return listing;
  }
}

class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; message: string }> = [];
  trace(): void {}
  debug(): void {}
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
}

function setup(waitMs = 60_000) {
  const source = new GatedSource();
  const logger = new RecordingLogger();
  let late = 0;
  const lists = new ServerToolLists(source, waitMs, logger, () => void late++);
  return { source, logger, lists, lateCount: () => late };
}

const names = (tools: ToolDefinition[]): string[] => tools.map((tool) => tool.name);

describe('gateway/tool-lists', () => {
  it('answers with the listed tools and remembers them until forgotten', async () => {
    const { source, lists, lateCount } = setup();
    assert.equal(lists.lastKnown('docs'), undefined);
    const listed = lists.list('docs', undefined);
    source.next().resolve([toolNamed('search')]);
    assert.deepEqual(names(await listed), ['search']);
    assert.deepEqual(names(lists.lastKnown('docs') ?? []), ['search']);
    assert.equal(lateCount(), 0, 'an answer in time is not announced as late');
    lists.forget('docs');
    assert.equal(lists.lastKnown('docs'), undefined);
  });

  it('shares one listing per server among concurrent callers and lists again once it is done', async () => {
    const { source, lists } = setup();
    const first = lists.list('docs', undefined);
    const second = lists.list('docs', undefined);
    const other = lists.list('files', undefined);
    assert.deepEqual(
      source.pending.map((listing) => listing.server),
      ['docs', 'files'],
    );
    source.next().resolve([toolNamed('search')]);
    source.next().resolve([toolNamed('read')]);
    assert.deepEqual(names(await first), ['search']);
    assert.deepEqual(names(await second), ['search']);
    assert.deepEqual(names(await other), ['read']);
    const again = lists.list('docs', undefined);
    assert.equal(source.pending.length, 1, 'a finished listing is not reused');
    source.next().resolve([toolNamed('search'), toolNamed('fetch')]);
    assert.deepEqual(names(await again), ['search', 'fetch']);
  });

  it('answers a slow server with nothing at first, then its last known tools, and announces the late list', async () => {
    const { source, logger, lists, lateCount } = setup(10);
    const firstEver = await lists.list('docs', undefined);
    assert.deepEqual(firstEver, [], 'nothing is known yet');
    assert.ok(
      logger.lines.some((line) => line.level === 'info' && line.message.includes('docs has not listed its tools yet')),
    );
    assert.equal(lateCount(), 0);
    source.next().resolve([toolNamed('search')]);
    await waitFor(() => lateCount() === 1, { what: 'the late list to be announced' });
    assert.deepEqual(names(lists.lastKnown('docs') ?? []), ['search']);

    const slowAgain = await lists.list('docs', undefined);
    assert.deepEqual(names(slowAgain), ['search'], 'the last known tools stand in');
    source.next().resolve([toolNamed('search'), toolNamed('fetch')]);
    await waitFor(() => lateCount() === 2, { what: 'the second late list to be announced' });
  });

  it('does not announce a late listing that failed', async () => {
    const { source, logger, lists, lateCount } = setup(10);
    assert.deepEqual(await lists.list('docs', undefined), []);
    source.next().reject(new Error('crashed'));
    await waitFor(() => logger.lines.some((line) => line.level === 'warn'), { what: 'the failure to be logged' });
    // Give the announcement a chance to (wrongly) happen.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lateCount(), 0);
  });

  it('answers a failed listing with the last known tools, logs why, and lists again next time', async () => {
    const { source, logger, lists } = setup();
    const first = lists.list('docs', undefined);
    source.next().resolve([toolNamed('search')]);
    await first;

    const failing = lists.list('docs', undefined);
    source.next().reject(new Error('the server crashed'));
    assert.deepEqual(names(await failing), ['search']);
    const warning = logger.lines.find((line) => line.level === 'warn');
    assert.ok(warning);
    assert.match(warning.message, /could not list the tools of docs: the server crashed/);

    const thrownString = lists.list('docs', undefined);
    assert.equal(source.pending.length, 1, 'a failed listing is not reused');
    source.next().reject('refused');
    assert.deepEqual(names(await thrownString), ['search']);
    assert.match(logger.lines.at(-1)?.message ?? '', /could not list the tools of docs: refused/);

    lists.forget('docs');
    const unknown = lists.list('docs', undefined);
    source.next().reject(new Error('down'));
    assert.deepEqual(await unknown, [], 'nothing known and nothing listed');
  });

  it('answers a caller whose signal is already aborted at once, and announces the list when it arrives', async () => {
    const { source, lists, lateCount } = setup();
    const aborted = AbortSignal.abort();
    assert.deepEqual(await lists.list('docs', aborted), []);
    assert.equal(source.pending.length, 1, 'the listing goes on for the others');
    source.next().resolve([toolNamed('search')]);
    await waitFor(() => lateCount() === 1, { what: 'the late list to be announced' });
    assert.deepEqual(names(lists.lastKnown('docs') ?? []), ['search']);
  });

  it("ends only the aborting caller's wait", async () => {
    const { source, lists, lateCount } = setup();
    const controller = new AbortController();
    let patientAnswer: ToolDefinition[] | undefined;
    const impatient = lists.list('docs', controller.signal);
    const patient = lists.list('docs', undefined).then((tools) => (patientAnswer = tools));
    controller.abort();
    assert.deepEqual(await impatient, []);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(patientAnswer, undefined, 'the other caller still waits');
    source.next().resolve([toolNamed('search')]);
    assert.deepEqual(names(await patient), ['search']);
    await waitFor(() => lateCount() === 1, { what: 'the late list to be announced' });
  });

  it('ignores an abort after the answer', async () => {
    const { source, lists, lateCount } = setup();
    const controller = new AbortController();
    const listed = lists.list('docs', controller.signal);
    source.next().resolve([toolNamed('search')]);
    assert.deepEqual(names(await listed), ['search']);
    controller.abort();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lateCount(), 0, 'an answered caller is never announced as late');
  });

  it('answers only once when the wait times out and the list arrives later', async () => {
    const { source, lists, lateCount } = setup(10);
    const controller = new AbortController();
    assert.deepEqual(await lists.list('docs', controller.signal), []);
    controller.abort();
    source.next().resolve([toolNamed('search')]);
    await waitFor(() => lateCount() >= 1, { what: 'the late list to be announced' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lateCount(), 1, 'announced once, not once per ending of the wait');
  });
});
