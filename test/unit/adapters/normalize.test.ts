import { strict as assert } from 'node:assert';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import { McpError } from '../../../src/core/errors';
import { normalizeToolResult, toolErrorDetail } from '../../../src/core/adapters/normalize';
import { invokeTool } from '../../../src/core/adapters/invoke';
import { CONTEXT7_UPSTREAM_FAILURES } from '../../../src/core/adapters/upstream-failures';
import { FakeToolCaller, text } from './fake-caller';
import { loadClientSdk } from '../../../src/core/mcp/sdk';

function thrown(fn: () => unknown): McpError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof McpError, `expected McpError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a throw');
}

/** The failure texts `@upstash/context7-mcp` 4.1.1 returns as ordinary results. */
const CONTEXT7_FAILURE_TEXTS = [
  'Rate limited or quota exceeded. Upgrade your plan at https://context7.com/plans for higher limits.',
  'Rate limited or quota exceeded. Create a free API key at https://context7.com/dashboard for higher limits.',
  'Rate limited or quota exceeded',
  'The library you are trying to access does not exist. Please try with a different library ID.',
  "Invalid API key. Please check your API key. API keys should start with 'ctx7sk' prefix.",
  'Request failed with status 503. Please try again later.',
  "Documentation not found or not finalized for this library. This might have happened because you used an invalid Context7-compatible library ID. To get a valid Context7-compatible library ID, use the 'resolve-library-id' with the package name you wish to retrieve documentation for.",
  'Error searching libraries: TypeError: fetch failed',
  'Error fetching library context. Please try again later. TypeError: fetch failed',
  'Library /nope/nope not found.',
  'Internal server error',
  'Authentication required. Please authenticate to use this MCP server.',
];

describe('normalizeToolResult', () => {
  it('returns text and structured content of a good result', () => {
    const result = normalizeToolResult('s', 't', {
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
      structuredContent: { n: 1 },
    });
    assert.deepEqual(result, { text: 'a\n\nb', structured: { n: 1 } });
  });

  it("turns memory-bank's isError {name,error} JSON into a tool-error with its detail", () => {
    const error = thrown(() =>
      normalizeToolResult(
        'memory-bank',
        'memory_bank_read',
        text('{"name":"NotFoundError","error":"Resource not found: b.json"}', true),
      ),
    );
    assert.equal(error.kind, 'tool-error');
    assert.equal(error.server, 'memory-bank');
    assert.equal(error.tool, 'memory_bank_read');
    assert.match(error.message, /NotFoundError: Resource not found: b\.json/);
    assert.deepEqual(toolErrorDetail(error), { name: 'NotFoundError', error: 'Resource not found: b.json' });
  });

  it('turns an argument validation error (plain isError text) into a tool-error', () => {
    const error = thrown(() =>
      normalizeToolResult(
        'm',
        'open_nodes',
        text('MCP error -32602: Input validation error: Invalid arguments for tool open_nodes', true),
      ),
    );
    assert.equal(error.kind, 'tool-error');
    assert.match(error.message, /Input validation error/);
  });

  for (const failure of CONTEXT7_FAILURE_TEXTS) {
    it(`detects the context7 failure text "${failure.slice(0, 40)}…" as upstream-error`, () => {
      const error = thrown(() =>
        normalizeToolResult('context7', 'query-docs', text(failure), { upstreamPatterns: CONTEXT7_UPSTREAM_FAILURES }),
      );
      assert.equal(error.kind, 'upstream-error');
      assert.equal(error.server, 'context7');
    });
  }

  it('does not mistake long docs that mention rate limits for a failure', () => {
    const docs = `Rate limited or quota exceeded errors are handled by retrying.\n${'Example code line.\n'.repeat(80)}`;
    assert.equal(
      normalizeToolResult('context7', 'query-docs', text(docs), { upstreamPatterns: CONTEXT7_UPSTREAM_FAILURES }).text,
      docs,
    );
  });

  it('does not apply context7 texts to other servers by default', () => {
    assert.equal(
      normalizeToolResult('memory-bank', 'memory_bank_read', text('Documentation not found here')).text,
      'Documentation not found here',
    );
  });

  it('applies common failure texts everywhere', () => {
    assert.equal(thrown(() => normalizeToolResult('x', 't', text('fetch failed'))).kind, 'upstream-error');
  });
});

describe('invokeTool', () => {
  // The product meets SDK errors only once the SDK has loaded (a connection loads it first).
  before(() => loadClientSdk());

  it('passes the AbortSignal to the caller and normalises thrown errors', async () => {
    const caller = new FakeToolCaller('github', {
      search_issues: () => {
        throw new ProtocolError(ProtocolErrorCode.InternalError, 'fetch failed');
      },
    });
    const controller = new AbortController();
    await assert.rejects(
      invokeTool(caller, 'search_issues', { q: 'x' }, { signal: controller.signal }),
      (error: unknown) => {
        return error instanceof McpError && error.kind === 'protocol-error' && error.tool === 'search_issues';
      },
    );
    assert.equal(caller.calls[0]?.signal, controller.signal);
  });

  it('does not call at all when the signal is already aborted', async () => {
    const caller = new FakeToolCaller('s', { t: () => text('x') });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      invokeTool(caller, 't', {}, { signal: controller.signal }),
      (error: unknown) => (error as McpError).kind === 'cancelled',
    );
    assert.equal(caller.calls.length, 0);
  });
});
