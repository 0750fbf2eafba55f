import { strict as assert } from 'node:assert';
import { buildCsp, buildWebviewHtml, createNonce, escapeHtml } from '../../../src/vscode/webview/html';

describe('webview HTML shell', () => {
  it('creates distinct base64 nonces of 16 random bytes', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
  });

  it('builds a CSP that denies by default and allows scripts only with the nonce', () => {
    const csp = buildCsp('vscode-resource:', 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.match(csp, /img-src vscode-resource:(;|$)/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('puts the nonce on the script tag and escapes every attribute', () => {
    const html = buildWebviewHtml({
      title: 'A <b>',
      cspSource: 'src',
      nonce: 'n0',
      styles: ['s.css?a="1"'],
      script: 'x.js',
      body: '<main></main>',
    });
    assert.match(html, /<script nonce="n0" src="x.js"><\/script>/);
    assert.match(html, /<title>A &lt;b&gt;<\/title>/);
    assert.match(html, /href="s.css\?a=&quot;1&quot;"/);
    assert.match(html, /http-equiv="Content-Security-Policy"/);
  });

  it('escapes the five HTML special characters', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
