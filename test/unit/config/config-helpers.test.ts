import { strict as assert } from 'node:assert';
import { parseTree } from 'jsonc-parser';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../../src/core/errors';
import { issuesToErrors, sortErrors } from '../../../src/core/config/issues';
import { formatKeyPath, jsonLocator, offsetToPosition, yamlLocator } from '../../../src/core/config/locate';
import { deepMerge, hasPath, isPlainObject } from '../../../src/core/config/merge';
import { inferServerKind } from '../../../src/core/config/server-kind';

describe('config layering (deepMerge, hasPath)', () => {
  it('merges maps key by key, the upper layer winning, without touching either input', () => {
    const lower = { a: 1, nested: { keep: true, change: 'old' }, list: [1, 2] };
    const upper = { nested: { change: 'new' }, list: [3], added: 'x' };
    assert.deepEqual(deepMerge(lower, upper), {
      a: 1,
      nested: { keep: true, change: 'new' },
      list: [3],
      added: 'x',
    });
    assert.deepEqual(lower.nested, { keep: true, change: 'old' });
  });

  it('keeps the lower value where the upper one is undefined; a scalar or array replaces a map', () => {
    assert.deepEqual(deepMerge({ a: 1 }, undefined), { a: 1 });
    assert.equal(deepMerge({ a: 1 }, 5), 5);
    assert.deepEqual(deepMerge({ a: 1 }, [1]), [1]);
    assert.deepEqual(deepMerge(null, { a: 1 }), { a: 1 });
    assert.equal(
      deepMerge({ a: { b: 1 } }, { a: null }) && (deepMerge({ a: { b: 1 } }, { a: null }) as { a: unknown }).a,
      null,
    );
  });

  it('tells plain objects from arrays and null', () => {
    assert.deepEqual(
      [isPlainObject({}), isPlainObject([]), isPlainObject(null), isPlainObject('x')],
      [true, false, false, false],
    );
  });

  it('finds own values along a path, including falsy ones, but not inherited ones', () => {
    const data = { a: { b: [{ c: 0 }] }, n: null };
    assert.equal(hasPath(data, ['a', 'b', 0, 'c']), true);
    assert.equal(hasPath(data, ['n']), true);
    assert.equal(hasPath(data, ['n', 'x']), false);
    assert.equal(hasPath(data, ['a', 'missing']), false);
    assert.equal(hasPath(data, ['toString']), false);
    assert.equal(hasPath(data, []), true);
    assert.equal(hasPath('text', ['length']), false);
  });
});

describe('inferServerKind', () => {
  it('recognises each known server from its package, binary or URL', () => {
    assert.equal(inferServerKind('npx', ['-y', '@upstash/context7-mcp']), 'context7');
    assert.equal(inferServerKind('npx', ['@allpepper/Memory-Bank-mcp']), 'memory-bank');
    assert.equal(inferServerKind('npx', ['@modelcontextprotocol/server-memory']), 'server-memory');
    assert.equal(inferServerKind('uvx', ['--from', 'git+https://x/serena', 'serena']), 'serena');
    assert.equal(inferServerKind(undefined, [], 'https://api.githubcopilot.com/mcp/'), 'github');
    assert.equal(inferServerKind('serena-mcp'), 'serena');
    assert.equal(inferServerKind('my-tool', ['--port', '1']), 'generic');
    assert.equal(inferServerKind(undefined), 'generic');
  });
});

describe('config error positions', () => {
  it('formats key paths the way users read them', () => {
    assert.equal(formatKeyPath(['servers', 'context7', 'args', 1]), 'servers.context7.args[1]');
    assert.equal(formatKeyPath([0, 'name']), '[0].name');
    assert.equal(formatKeyPath([]), '');
  });

  it('turns offsets into 1-based lines and columns, clamped to the text', () => {
    const text = 'ab\ncd\n';
    assert.deepEqual(offsetToPosition(text, 0), { line: 1, column: 1 });
    assert.deepEqual(offsetToPosition(text, 2), { line: 1, column: 3 });
    assert.deepEqual(offsetToPosition(text, 3), { line: 2, column: 1 });
    assert.deepEqual(offsetToPosition(text, 4), { line: 2, column: 2 });
    assert.deepEqual(offsetToPosition(text, -5), { line: 1, column: 1 });
    assert.deepEqual(offsetToPosition(text, 99), { line: 3, column: 1 });
  });

  const yamlText = [
    'servers:',
    '  docs:',
    '    command: npx',
    '    args:',
    '      - one',
    '      - two',
    '    empty:',
    '',
  ].join('\n');
  const locateYaml = (): ReturnType<typeof yamlLocator> => {
    const lineCounter = new LineCounter();
    return yamlLocator(parseDocument(yamlText, { lineCounter }), lineCounter);
  };

  it('finds values, keys and sequence items in YAML', () => {
    const locate = locateYaml();
    assert.deepEqual(locate(['servers', 'docs', 'command']), { line: 3, column: 14 });
    assert.deepEqual(locate(['servers', 'docs', 'command'], true), { line: 3, column: 5 });
    assert.deepEqual(locate(['servers', 'docs', 'args', 1]), { line: 6, column: 9 });
    assert.deepEqual(
      locate(['servers', 'docs', 'empty']),
      { line: 7, column: 11 },
      'an empty value: just after its key',
    );
  });

  it('points at the deepest existing YAML ancestor of a missing path', () => {
    const locate = locateYaml();
    assert.deepEqual(locate(['servers', 'docs', 'missing']), { line: 3, column: 5 });
    assert.deepEqual(locate(['servers', 'docs', 'args', 7]), { line: 5, column: 7 });
    assert.deepEqual(locate(['servers', 'docs', 'command', 'deeper']), { line: 3, column: 14 });
    assert.deepEqual(locate([]), { line: 1, column: 1 });
  });

  const jsonText = '{\n  "servers": {\n    "docs": { "command": "npx", "args": ["a", "b"] }\n  }\n}';

  it('finds values and keys in JSON, and the deepest ancestor of a missing path', () => {
    const locate = jsonLocator(parseTree(jsonText), jsonText);
    assert.deepEqual(locate(['servers', 'docs', 'command']), { line: 3, column: 26 });
    assert.deepEqual(locate(['servers', 'docs', 'command'], true), { line: 3, column: 15 });
    assert.deepEqual(locate(['servers', 'docs', 'args', 1]), { line: 3, column: 47 });
    assert.deepEqual(locate(['servers', 'docs', 'missing'], true), { line: 3, column: 13 });
    assert.deepEqual(jsonLocator(undefined, '')(['x']), { line: 1, column: 1 });
  });

  it('turns schema issues into one located error each, and one per unknown key', () => {
    const schema = z.strictObject({ mode: z.enum(['a', 'b']), count: z.number(), name: z.string().min(3) });
    const parsed = schema.safeParse({ mode: 'c', name: 'x', extra: 1, other: 2 });
    assert.equal(parsed.success, false);
    const located: Array<[readonly PropertyKey[], boolean]> = [];
    const errors = issuesToErrors('f.yaml', parsed.error.issues, (path, atKey = false) => {
      located.push([path, atKey]);
      return { line: located.length, column: 2 };
    });
    const byPath = new Map(errors.map((error) => [error.keyPath, error.detail]));
    assert.equal(byPath.get('mode'), 'must be one of "a", "b"');
    assert.equal(byPath.get('count'), 'required number is missing');
    assert.match(byPath.get('name') ?? '', /3/);
    assert.equal(byPath.get('extra'), 'unknown key "extra"');
    assert.equal(byPath.get('other'), 'unknown key "other"');
    assert.ok(located.some(([path, atKey]) => path.join('.') === 'extra' && atKey));
    assert.ok(errors.every((error) => error.file === 'f.yaml' && error.column === 2));
  });

  it('maps issue paths before locating them', () => {
    const parsed = z.object({ a: z.string() }).safeParse({ a: 1 });
    const errors = issuesToErrors(
      'f.yaml',
      parsed.error!.issues,
      () => ({ line: 1, column: 1 }),
      (path) => ['root', ...path],
    );
    assert.equal(errors[0]?.keyPath, 'root.a');
  });

  it('orders errors by file, then line, then column', () => {
    const error = (file: string, line: number, column: number): ConfigError =>
      new ConfigError(file, line, column, '', 'x');
    const sorted = sortErrors([error('b', 1, 1), error('a', 2, 1), error('a', 1, 5), error('a', 1, 2)]);
    assert.deepEqual(
      sorted.map((e) => `${e.file}:${e.line}:${e.column}`),
      ['a:1:2', 'a:1:5', 'a:2:1', 'b:1:1'],
    );
  });
});
