import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TriggerPatternConfig } from '../../../src/core/config/types';
import { MAX_CLASSIFIED_QUERY_CHARS, SmartTrigger } from '../../../src/core/triggers/smart-trigger';

const rule = (
  r: Partial<TriggerPatternConfig> & Pick<TriggerPatternConfig, 'server' | 'contextType' | 'confidence'>,
): TriggerPatternConfig => r;

describe('triggers/SmartTrigger', () => {
  const rules: TriggerPatternConfig[] = [
    rule({ pattern: 'how (to|do i).*numpy', server: 'context7', contextType: 'library_api', confidence: 0.9 }),
    rule({ pattern: 'fix.*error|debug', server: 'memory-bank', contextType: 'error_solution', confidence: 0.85 }),
    rule({ pattern: '\\bdocs?\\b', server: 'context7', contextType: 'library_api', confidence: 0.7 }),
    rule({ pattern: 'where is', server: 'serena', contextType: 'code_symbol', confidence: 0.75 }),
    rule({ cursor: 'import', server: 'context7', contextType: 'library_api', confidence: 0.75 }),
    rule({
      diagnosticSources: ['Pylance', 'ts'],
      server: 'memory-bank',
      contextType: 'error_solution',
      confidence: 0.9,
    }),
    rule({
      diagnosticSources: ['ts'],
      diagnosticCodes: ['2339'],
      server: 'context7',
      contextType: 'library_api',
      confidence: 0.92,
    }),
    rule({
      pattern: 'error',
      languages: ['python'],
      server: 'py-memory',
      contextType: 'error_solution',
      confidence: 0.85,
    }),
  ];
  const trigger = new SmartTrigger({ enabled: true, patterns: rules });

  it('matches case-insensitively and ranks by confidence', () => {
    const matches = trigger.classify('How do I FIX this Numpy ERROR? see docs');
    assert.deepEqual(
      matches.map((m) => [m.server, m.contextType, m.confidence]),
      [
        ['context7', 'library_api', 0.9],
        ['memory-bank', 'error_solution', 0.85],
      ],
    );
    assert.equal(matches[0]?.rule, '/how (to|do i).*numpy/i');
  });

  it('keeps one match per server and type, the strongest', () => {
    const matches = trigger.classify('how to reshape in numpy? see the docs');
    assert.equal(matches.filter((m) => m.server === 'context7').length, 1);
    assert.equal(matches[0]?.confidence, 0.9);
  });

  it('applies language conditions only when the document language matches', () => {
    assert.ok(!trigger.classify('strange error').some((m) => m.server === 'py-memory'));
    assert.ok(!trigger.classify('strange error', { language: 'go' }).some((m) => m.server === 'py-memory'));
    const py = trigger.classify('strange error', { language: 'Python' });
    assert.deepEqual(
      py.map((m) => m.server),
      ['py-memory'],
    );
    assert.equal(py[0]?.rule, '/error/i and language in [python]');
  });

  it('uses diagnostic source and code, preferring the more specific rule', () => {
    const ts = trigger.classify('Property foo does not exist', { diagnosticSource: 'ts', diagnosticCode: '2339' });
    assert.deepEqual(
      ts.map((m) => [m.server, m.contextType]),
      [
        ['context7', 'library_api'],
        ['memory-bank', 'error_solution'],
      ],
    );
    const pylance = trigger.classify('anything', { diagnosticSource: 'pylance' });
    assert.deepEqual(
      pylance.map((m) => m.server),
      ['memory-bank'],
    );
  });

  it('uses the syntax at the cursor', () => {
    assert.deepEqual(
      trigger.classify('requests', { cursorNode: 'import' }).map((m) => m.contextType),
      ['library_api'],
    );
    assert.deepEqual(trigger.classify('requests', { cursorNode: 'other' }), []);
  });

  it('breaks confidence ties by specificity, then by file order', () => {
    const t = new SmartTrigger({
      enabled: true,
      patterns: [
        rule({ pattern: 'x', server: 'a', contextType: 'general', confidence: 0.5 }),
        rule({ pattern: 'x', languages: ['go'], server: 'b', contextType: 'general', confidence: 0.5 }),
        rule({ pattern: 'x', server: 'c', contextType: 'general', confidence: 0.5 }),
      ],
    });
    assert.deepEqual(
      t.classify('x', { language: 'go' }).map((m) => m.server),
      ['b', 'a', 'c'],
    );
  });

  it('falls back to "general" when nothing matches', () => {
    assert.equal(trigger.bestContextType('hello there'), 'general');
    assert.equal(trigger.bestContextType('where is parseConfig'), 'code_symbol');
    assert.equal(trigger.bestMatch('hello'), undefined);
  });

  it('reports an invalid pattern with its location and keeps the other rules working', () => {
    const t = new SmartTrigger({
      enabled: true,
      patterns: [
        rule({
          pattern: '(unclosed',
          server: 'a',
          contextType: 'general',
          confidence: 0.9,
          location: { file: 'w.yaml', line: 7, column: 5 },
        }),
        rule({ pattern: 'closed', server: 'b', contextType: 'general', confidence: 0.5 }),
      ],
    });
    assert.deepEqual(
      t.errors.map((e) => [e.file, e.line, e.column, e.keyPath]),
      [['w.yaml', 7, 5, 'smart_triggers.patterns[0].pattern']],
    );
    assert.deepEqual(
      t.classify('closed (unclosed').map((m) => m.server),
      ['b'],
    );
  });

  it('returns nothing when disabled', () => {
    assert.deepEqual(new SmartTrigger({ enabled: false, patterns: rules }).classify('numpy docs'), []);
  });

  it('only matches within the first MAX_CLASSIFIED_QUERY_CHARS characters', () => {
    assert.deepEqual(trigger.classify(`${' '.repeat(MAX_CLASSIFIED_QUERY_CHARS)} where is x`), []);
  });

  describe('create() from YAML', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-trigger-'));
      await writeFile(
        path.join(dir, 'mcp-config.yaml'),
        'smart_triggers:\n  patterns:\n    - pattern: "[bad"\n      mcp: x\n      type: general\n      confidence: 0.5\n    - pattern: "good"\n      mcp: y\n      type: library_api\n      confidence: 0.6\n',
      );
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports the invalid YAML rule at its line and column and uses the rest', async () => {
      const t = await SmartTrigger.create({ defaultsDir: dir });
      assert.deepEqual(
        t.errors.map((e) => [e.line, e.column, e.keyPath]),
        [[3, 16, 'smart_triggers.patterns[0].pattern']],
      );
      assert.deepEqual(
        t.classify('good stuff').map((m) => m.server),
        ['y'],
      );
    });

    it('classifies the shipped default rules sensibly', async () => {
      const t = await SmartTrigger.create({ defaultsDir: path.resolve('config') });
      assert.deepEqual(t.errors, []);
      assert.equal(t.bestContextType('how do I use numpy.reshape?'), 'library_api');
      assert.equal(t.bestContextType('TypeError: cannot read properties of undefined'), 'error_solution');
      assert.equal(t.bestContextType('where is the definition of parseConfig'), 'code_symbol');
      assert.equal(t.bestContextType('our tests are flaky tests lately'), 'test_stability');
      assert.equal(t.bestContextType('x', { diagnosticSource: 'Pylance' }), 'error_solution');
      assert.equal(t.bestMatch('x', { diagnosticSource: 'ts', diagnosticCode: '2339' })?.server, 'context7');
      assert.equal(t.bestContextType('good morning'), 'general');
    });
  });
});
