import { strict as assert } from 'node:assert';
import { SerenaAdapter } from '../../../src/core/adapters/serena';
import { symbolNamePath } from '../../../src/core/adapters/symbol-query';
import { McpError } from '../../../src/core/errors';
import { FakeToolCaller, json, text } from './fake-caller';

describe('symbolNamePath', () => {
  it('turns dotted, :: and # paths into serena name paths', () => {
    assert.equal(symbolNamePath('Trainer.fit'), 'Trainer/fit');
    assert.equal(symbolNamePath('std::vector::push_back'), 'std/vector/push_back');
    assert.equal(symbolNamePath('where is the load_dataset function defined?'), 'load_dataset');
    assert.equal(symbolNamePath('what does parseConfig do'), 'parseConfig');
    assert.equal(symbolNamePath('?? !!'), undefined);
  });
});

describe('SerenaAdapter', () => {
  const symbols = [
    {
      name_path: 'Trainer/fit',
      kind: 'Method',
      relative_path: 'src/train.py',
      body_location: { start_line: 20, end_line: 40 },
      body: 'def fit(self):\n    pass',
    },
  ];

  it('asks find_symbol with the name path, bodies and a match limit, and formats the answer', async () => {
    const caller = new FakeToolCaller('serena', { find_symbol: () => json(symbols) });
    const answer = await new SerenaAdapter({ caller, maxMatches: 3 }).fetch({
      text: 'Trainer.fit',
      contextType: 'code_symbol',
    });
    assert.deepEqual(caller.calls[0]?.args, { name_path_pattern: 'Trainer/fit', include_body: true, max_matches: 3 });
    assert.equal(answer?.content, '**Trainer/fit** (Method) — src/train.py:20-40\n```\ndef fit(self):\n    pass\n```');
  });

  it('falls back to search_for_pattern on the last segment', async () => {
    const caller = new FakeToolCaller('serena', {
      find_symbol: () => json([]),
      search_for_pattern: () => json({ 'src/a.py': ['3:def helper(x):'] }),
    });
    const answer = await new SerenaAdapter({ caller }).fetch({ text: 'utils.helper', contextType: 'code_symbol' });
    assert.equal(caller.calls[1]?.args['substring_pattern'], '\\bhelper\\b');
    assert.match(answer?.content ?? '', /\*\*src\/a\.py\*\*\n```\n3:def helper\(x\):/);
  });

  it('answers nothing for library docs questions', async () => {
    const caller = new FakeToolCaller('serena', {});
    assert.equal(await new SerenaAdapter({ caller }).fetch({ text: 'numpy', contextType: 'library_api' }), null);
    assert.equal(caller.calls.length, 0);
  });

  it('keeps memories as envelopes and reads serena\'s "not found" text as a miss', async () => {
    const memories = new Map<string, string>();
    const caller = new FakeToolCaller('serena', {
      read_memory: ({ memory_name }) =>
        text(
          memories.get(String(memory_name)) ??
            `Memory file ${String(memory_name)} not found, consider creating it with the \`write_memory\` tool if you need it.`,
        ),
      write_memory: ({ memory_name, content }) => {
        memories.set(String(memory_name), String(content));
        return text('ok');
      },
    });
    let clock = 0;
    const adapter = new SerenaAdapter({ caller, now: () => clock });
    assert.equal(await adapter.fetch({ text: 'E1', contextType: 'error_solution' }), null);
    await adapter.store('E1', 'fix', { contextType: 'error_solution', ttlSeconds: 1 });
    assert.match([...memories.keys()][0] ?? '', /^[a-z0-9_.-]+$/);
    assert.equal((await adapter.fetch({ text: 'E1', contextType: 'error_solution' }))?.content, 'fix');
    clock = 1_000;
    assert.equal(await adapter.fetch({ text: 'E1', contextType: 'error_solution' }), null);
  });

  it("treats serena's error texts as upstream errors", async () => {
    const caller = new FakeToolCaller('serena', {
      find_symbol: () => text('Error executing tool: language server crashed'),
    });
    await assert.rejects(
      new SerenaAdapter({ caller }).fetch({ text: 'Foo', contextType: 'code_symbol' }),
      (e: unknown) => e instanceof McpError && e.kind === 'upstream-error',
    );
  });
});

describe('serena answer formatting', () => {
  it('uses a longer fence when the body itself contains a code fence', async () => {
    const body = 'doc = """\n```py\nx\n```\n"""';
    const caller = new FakeToolCaller('serena', {
      find_symbol: () => json([{ name_path: 'doc', kind: 'Variable', relative_path: 'a.py', body }]),
    });
    const answer = await new SerenaAdapter({ caller }).fetch({ text: 'doc', contextType: 'code_symbol' });
    assert.equal(answer?.content, `**doc** (Variable) — a.py\n\`\`\`\`\n${body}\n\`\`\`\``);
  });
});
