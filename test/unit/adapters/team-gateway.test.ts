import { strict as assert } from 'node:assert';
import { TeamGatewayAdapter } from '../../../src/core/adapters/team-gateway';
import { McpError } from '../../../src/core/errors';
import { FakeToolCaller } from './fake-caller';

/** The gateway's `lookup` result, as `fetchToolResult` shapes it. */
function lookupResult(success: boolean, content: string | null, source: string | null, cached = false) {
  return {
    content: [{ type: 'text' as const, text: content ?? 'no layer had an answer' }],
    structuredContent: { success, content, source, cached, latencyMs: 1, contextType: 'library_api', trail: [] },
    ...(success ? {} : { isError: true }),
  };
}

describe('TeamGatewayAdapter', () => {
  it("asks the gateway's lookup with the question, its type, language and library scope", async () => {
    const caller = new FakeToolCaller('team', {
      lookup: () => lookupResult(true, 'use np.newaxis', 'local-cache', true),
    });
    const answer = await new TeamGatewayAdapter(caller).fetch({
      text: 'broadcasting',
      contextType: 'library_api',
      language: 'python',
      libraryId: '/numpy/numpy',
    });
    assert.deepEqual(caller.calls[0]?.args, {
      query: 'broadcasting [/numpy/numpy]',
      contextType: 'library_api',
      language: 'python',
    });
    assert.deepEqual(answer, {
      content: 'use np.newaxis',
      metadata: { tool: 'lookup', teamSource: 'local-cache', teamCached: true },
    });
  });

  it("reads the team's having no answer as a miss, and a tool failure without a result as an error", async () => {
    const missing = new FakeToolCaller('team', { lookup: () => lookupResult(false, null, null) });
    assert.equal(await new TeamGatewayAdapter(missing).fetch({ text: 'q', contextType: 'general' }), null);
    const broken = new FakeToolCaller('team', {
      lookup: () => ({ content: [{ type: 'text', text: '"query" must be a non-empty string' }], isError: true }),
    });
    await assert.rejects(
      new TeamGatewayAdapter(broken).fetch({ text: 'q', contextType: 'general' }),
      (error: unknown) => error instanceof McpError && error.kind === 'tool-error',
    );
  });

  it('names a refused token as such, without its value', async () => {
    const refused = Object.assign(new Error('Error POSTing to endpoint: invalid_token'), { status: 401 });
    const caller = new FakeToolCaller('team', {
      lookup: () => {
        throw new McpError('protocol-error', 'team', 'team: Error POSTing to endpoint', 'lookup', { cause: refused });
      },
    });
    await assert.rejects(
      new TeamGatewayAdapter(caller).fetch({ text: 'q', contextType: 'general' }),
      (error: unknown) => {
        assert.ok(error instanceof McpError);
        assert.match(error.message, /team gateway refused the credentials \(HTTP 401\)/);
        return true;
      },
    );
  });

  it('is read-only', async () => {
    const adapter = new TeamGatewayAdapter(new FakeToolCaller('team', {}));
    assert.equal(adapter.writable, false);
    await assert.rejects(adapter.store(), /read-only/);
  });
});
