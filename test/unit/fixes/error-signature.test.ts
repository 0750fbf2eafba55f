import { strict as assert } from 'node:assert';
import { errorSignature, normaliseErrorMessage } from '../../../src/core/fixes/error-signature';
import { decodeFix, encodeFix } from '../../../src/core/fixes/fix-envelope';
import { rememberedNote } from '../../../src/core/fixes/remembered-note';

describe('error signatures', () => {
  it('abstracts quoted names so the same error on another identifier shares a fix', () => {
    const a = errorSignature({ message: "Property 'foo' does not exist on type 'Bar'.", source: 'ts', code: '2339' });
    const b = errorSignature({ message: "Property 'baz' does not exist on type 'Qux'.", source: 'ts', code: '2339' });
    assert.equal(a, b);
    assert.equal(a, 'error:ts:2339:property <name> does not exist on type <name>.');
  });

  it('abstracts paths, line numbers and numbers', () => {
    assert.equal(
      normaliseErrorMessage('Cannot open /home/ana/proj/src/main.py:12:4 after 3 retries'),
      'cannot open <path> after <n> retries',
    );
    assert.equal(normaliseErrorMessage('Segfault at 0xdeadbeef in C:\\work\\app\\x.dll'), 'segfault at <n> in <path>');
  });

  it('keeps source and code apart: the same text from two tools is two signatures', () => {
    const eslint = errorSignature({ message: 'Unexpected any.', source: 'eslint', code: 'no-explicit-any' });
    const ts = errorSignature({ message: 'Unexpected any.', source: 'ts', code: '7006' });
    assert.notEqual(eslint, ts);
  });

  it('uses only the first line of multi-line messages and collapses whitespace', () => {
    assert.equal(
      normaliseErrorMessage('ImportError:   no module\n  at frame 1\n  at frame 2'),
      'importerror: no module',
    );
  });
});

describe('fix envelopes', () => {
  it('round-trips text and an edit', () => {
    const edit = { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 3, newText: 'let' };
    assert.deepEqual(decodeFix(encodeFix('use let', edit)), { text: 'use let', edit });
  });

  it('reads plain text written by other tools as a solution without an edit', () => {
    assert.deepEqual(decodeFix('pip install numpy'), { text: 'pip install numpy' });
  });

  it('drops a malformed edit from untrusted content but keeps the text', () => {
    const hostile = JSON.stringify({ kind: 'mcp-integration.fix', text: 'x', edit: { startLine: -1, newText: 5 } });
    assert.deepEqual(decodeFix(hostile), { text: 'x' });
  });

  it('round-trips who remembered a fix and when', () => {
    const at = Date.UTC(2026, 11, 2, 14, 5);
    assert.deepEqual(decodeFix(encodeFix('use let', undefined, { by: 'alice', at })), {
      text: 'use let',
      origin: { by: 'alice', at },
    });
    assert.deepEqual(decodeFix(encodeFix('use let', undefined, { at })), { text: 'use let', origin: { at } });
  });

  it("keeps a teammate's name to plain characters and drops a nonsensical time", () => {
    const hostile = JSON.stringify({ kind: 'mcp-integration.fix', text: 'x', by: '[me](http://evil)\n<b>', at: 5 });
    assert.deepEqual(decodeFix(hostile), { text: 'x', origin: { by: 'mehttpevilb', at: 5 } });
    const noTime = JSON.stringify({ kind: 'mcp-integration.fix', text: 'x', by: 'alice', at: 'yesterday' });
    assert.deepEqual(decodeFix(noTime), { text: 'x' });
  });
});

describe('remembered notes', () => {
  const at = Date.UTC(2026, 11, 2, 14, 5, 33);

  it('names who and when, in UTC to the minute', () => {
    assert.equal(
      rememberedNote({ rememberedBy: 'alice', rememberedAt: at }),
      'remembered by alice, 2026-12-02 14:05 UTC',
    );
    assert.equal(rememberedNote({ rememberedAt: at }), 'remembered 2026-12-02 14:05 UTC');
    assert.equal(rememberedNote({}), undefined);
  });
});
