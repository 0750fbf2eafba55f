import { strict as assert } from 'node:assert';
import type { LookupOptions, RuntimeDashboardData } from '../../../src/core/api';
import type { DiagnosticInfo, FixResult } from '../../../src/core/fixes/types';
import {
  fetchToolResult,
  HIERARCHY_TOOL_DEFINITIONS,
  hierarchyTools,
  type HierarchyToolsApi,
} from '../../../src/core/gateway/hierarchy-tools';
import type { ToolCallResult } from '../../../src/core/gateway/protocol';
import type { LocalTool } from '../../../src/core/gateway/types';
import type { FetchResult } from '../../../src/core/knowledge';

const answer: FetchResult = {
  success: true,
  content: 'the answer',
  source: 'docs',
  cached: true,
  latencyMs: 3,
  contextType: 'library_api',
  trail: [{ layer: 'cache', outcome: 'hit', latencyMs: 1 }],
};

interface Heard {
  lookups: Array<{ query: string; options: LookupOptions | undefined }>;
  fixes: Array<{ diagnostic: DiagnosticInfo; signal: AbortSignal | undefined }>;
  remembered: Array<{ diagnostic: DiagnosticInfo; solution: string }>;
}

function tools(overrides: Partial<HierarchyToolsApi> = {}): { byName: Map<string, LocalTool>; heard: Heard } {
  const heard: Heard = { lookups: [], fixes: [], remembered: [] };
  const api: HierarchyToolsApi = {
    lookup: (query, options) => (heard.lookups.push({ query, options }), Promise.resolve(answer)),
    findFix: (diagnostic, signal) => {
      heard.fixes.push({ diagnostic, signal });
      return Promise.resolve({ ...answer, contextType: 'error_solution', signature: 'sig-1' });
    },
    rememberFix: (diagnostic, solution) => (heard.remembered.push({ diagnostic, solution }), Promise.resolve('sig-2')),
    getDashboardData: () => {
      throw new Error('not used');
    },
    ...overrides,
  };
  return { byName: new Map(hierarchyTools(api).map((t) => [t.definition.name, t])), heard };
}

async function call(tool: LocalTool | undefined, args: Record<string, unknown>, signal?: AbortSignal) {
  assert.ok(tool);
  return tool.call(args, signal ? { signal } : {});
}

async function refusal(tool: LocalTool | undefined, args: Record<string, unknown>): Promise<string> {
  try {
    await call(tool, args);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'accepted';
}

function text(result: ToolCallResult): string {
  return String(result.content[0]?.['text']);
}

describe('Hierarchy tools served by the gateway', () => {
  it('are lookup, find_fix, remember_fix and stats, each described with an object input schema', () => {
    const { byName } = tools();
    assert.deepEqual([...byName.keys()], ['lookup', 'find_fix', 'remember_fix', 'stats']);
    for (const [name, local] of byName) {
      assert.equal(local.definition, HIERARCHY_TOOL_DEFINITIONS[name as keyof typeof HIERARCHY_TOOL_DEFINITIONS]);
      assert.ok(String(local.definition.description).length > 20, `${name} has a description`);
      assert.ok(String(local.definition.title).length > 0, `${name} has a title`);
      assert.equal(local.definition.inputSchema['type'], 'object');
    }
  });

  it('declare which are read-only: lookup, find_fix and stats; remember_fix writes but is idempotent', () => {
    const defs = HIERARCHY_TOOL_DEFINITIONS;
    assert.equal(defs.lookup.annotations?.readOnlyHint, true);
    assert.equal(defs.find_fix.annotations?.readOnlyHint, true);
    assert.equal(defs.stats.annotations?.readOnlyHint, true);
    assert.deepEqual(defs.remember_fix.annotations, {
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  it('require query, message and solution in their schemas, with the limits the calls enforce', () => {
    const defs = HIERARCHY_TOOL_DEFINITIONS;
    const props = (name: keyof typeof defs): Record<string, Record<string, unknown>> =>
      defs[name].inputSchema['properties'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(defs.lookup.inputSchema['required'], ['query']);
    assert.deepEqual(defs.find_fix.inputSchema['required'], ['message']);
    assert.deepEqual(defs.remember_fix.inputSchema['required'], ['message', 'solution']);
    assert.equal(props('lookup')['query']?.['maxLength'], 4000);
    assert.equal(props('lookup')['query']?.['minLength'], 1);
    assert.equal(props('find_fix')['message']?.['maxLength'], 4000);
    assert.equal(props('remember_fix')['solution']?.['maxLength'], 64 * 1024);
    assert.deepEqual(Object.keys(props('remember_fix')), ['message', 'source', 'code', 'language', 'solution']);
    const output = defs.lookup.outputSchema as { required: string[]; properties: Record<string, unknown> };
    assert.deepEqual(output.required, ['success', 'content', 'source', 'cached', 'latencyMs', 'contextType', 'trail']);
    assert.equal(defs.find_fix.outputSchema, defs.lookup.outputSchema);
  });

  it('lookup passes the query, context type, language and signal; leaves out the ones not given', async () => {
    const { byName, heard } = tools();
    const signal = new AbortController().signal;
    const result = await call(
      byName.get('lookup'),
      { query: 'numpy arrays', contextType: 'library_api', language: 'python' },
      signal,
    );
    assert.equal(text(result), 'the answer');
    await call(byName.get('lookup'), { query: 'plain', contextType: '', language: null });
    assert.deepEqual(heard.lookups, [
      { query: 'numpy arrays', options: { contextType: 'library_api', language: 'python', signal } },
      { query: 'plain', options: {} },
    ]);
  });

  it('refuse a missing, blank, non-string or over-long required argument, naming it', async () => {
    const { byName } = tools();
    const lookup = byName.get('lookup');
    assert.equal(await refusal(lookup, {}), '"query" must be a non-empty string');
    assert.equal(await refusal(lookup, { query: '   ' }), '"query" must be a non-empty string');
    assert.equal(await refusal(lookup, { query: 42 }), '"query" must be a non-empty string');
    assert.equal(await refusal(lookup, { query: 'x'.repeat(4001) }), '"query" is longer than 4000 characters');
    assert.equal(await refusal(lookup, { query: 'x'.repeat(4000) }), 'accepted');
    const remember = byName.get('remember_fix');
    assert.equal(
      await refusal(remember, { message: 'E', solution: 'y'.repeat(64 * 1024 + 1) }),
      '"solution" is longer than 65536 characters',
    );
    assert.equal(await refusal(remember, { message: 'E', solution: 'y'.repeat(64 * 1024) }), 'accepted');
  });

  it('refuse an optional argument that is not a string or is over-long, naming it', async () => {
    const { byName } = tools();
    const lookup = byName.get('lookup');
    assert.equal(await refusal(lookup, { query: 'q', contextType: 7 }), '"contextType" must be a string');
    assert.equal(
      await refusal(lookup, { query: 'q', language: 'l'.repeat(65) }),
      '"language" is longer than 64 characters',
    );
    assert.equal(await refusal(lookup, { query: 'q', language: 'l'.repeat(64) }), 'accepted');
    const findFix = byName.get('find_fix');
    assert.equal(
      await refusal(findFix, { message: 'E', source: 's'.repeat(201) }),
      '"source" is longer than 200 characters',
    );
    assert.equal(
      await refusal(findFix, { message: 'E', code: 'c'.repeat(201) }),
      '"code" is longer than 200 characters',
    );
    assert.equal(await refusal(findFix, { message: 'E', code: 'c'.repeat(200), source: 's'.repeat(200) }), 'accepted');
  });

  it('find_fix passes the diagnostic and signal, and adds the signature and any edit to the result', async () => {
    const edit: FixResult['edit'] = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1, newText: 'x' };
    let withEdit = false;
    const { byName, heard } = tools({
      findFix: (diagnostic, signal) => {
        heard.fixes.push({ diagnostic, signal });
        return Promise.resolve({ ...answer, signature: 'sig-1', ...(withEdit ? { edit } : {}) });
      },
    });
    const signal = new AbortController().signal;
    const plain = await call(
      byName.get('find_fix'),
      { message: 'E1 bad', source: 'ts', code: '2322', language: 'typescript' },
      signal,
    );
    assert.equal(plain.structuredContent?.['signature'], 'sig-1');
    assert.equal('edit' in (plain.structuredContent ?? {}), false);
    withEdit = true;
    const edited = await call(byName.get('find_fix'), { message: 'E2' });
    assert.deepEqual(edited.structuredContent?.['edit'], edit);
    assert.deepEqual(heard.fixes, [
      { diagnostic: { message: 'E1 bad', source: 'ts', code: '2322', language: 'typescript' }, signal },
      { diagnostic: { message: 'E2' }, signal: undefined },
    ]);
  });

  it('remember_fix stores the solution for the diagnostic and answers with its signature', async () => {
    const { byName, heard } = tools();
    const result = await call(byName.get('remember_fix'), { message: 'E1', solution: 'do X', language: 'go' });
    assert.equal(text(result), 'Remembered the fix for: sig-2');
    assert.deepEqual(result.structuredContent, { signature: 'sig-2' });
    assert.deepEqual(heard.remembered, [{ diagnostic: { message: 'E1', language: 'go' }, solution: 'do X' }]);
  });

  it('stats reports summary, hierarchy, tools, servers (lastError only when set) and alerts, as text and structure', async () => {
    const data = {
      summary: { hitRate: 0.5 },
      hierarchy: { mode: 'sequential', hitRate: 0.5, entries: 3 },
      tools: [{ name: 'context7__query-docs', calls: 2 }],
      serverStatuses: [
        { name: 'a', kind: 'generic', state: 'ready', circuit: 'closed', toolNames: ['t'], restarts: 0 },
        {
          name: 'b',
          kind: 'generic',
          state: 'crashed',
          circuit: 'open',
          toolNames: [],
          restarts: 2,
          lastError: 'boom',
        },
      ],
      alerts: [{ id: 'x' }],
    } as unknown as RuntimeDashboardData;
    const { byName } = tools({ getDashboardData: () => data });
    const result = await call(byName.get('stats'), {});
    const expected = {
      summary: { hitRate: 0.5 },
      hierarchy: { mode: 'sequential', hitRate: 0.5, entries: 3 },
      tools: [{ name: 'context7__query-docs', calls: 2 }],
      servers: [
        { name: 'a', state: 'ready', circuit: 'closed', restarts: 0 },
        { name: 'b', state: 'crashed', circuit: 'open', restarts: 2, lastError: 'boom' },
      ],
      alerts: [{ id: 'x' }],
    };
    assert.deepEqual(result.structuredContent, expected);
    assert.deepEqual(JSON.parse(text(result)), expected);
    assert.equal(result.isError, undefined);
  });
});

describe('fetchToolResult', () => {
  it('an answer is its text with the whole result as structure, and no error', () => {
    const result = fetchToolResult(answer, { signature: 's' });
    assert.equal(text(result), 'the answer');
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent, {
      success: true,
      content: 'the answer',
      source: 'docs',
      cached: true,
      latencyMs: 3,
      contextType: 'library_api',
      trail: answer.trail,
      signature: 's',
    });
  });

  it('no answer is a tool error carrying its reason, or a default reason', () => {
    const failed: FetchResult = { ...answer, success: false, content: null, source: null, error: 'all layers failed' };
    const result = fetchToolResult(failed);
    assert.equal(result.isError, true);
    assert.equal(text(result), 'all layers failed');
    assert.equal(result.structuredContent?.['error'], 'all layers failed');
    const bare = fetchToolResult({ ...failed, error: undefined });
    assert.equal(text(bare), 'no layer had an answer');
    assert.equal('error' in (bare.structuredContent ?? {}), false);
    assert.equal(text(fetchToolResult({ ...answer, content: null })), '');
  });
});
