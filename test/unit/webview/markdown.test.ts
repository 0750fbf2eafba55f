import { strict as assert } from 'node:assert';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer, MAX_MARKDOWN_CHARS, type MarkdownRenderer } from '../../../media/src/lib/markdown';

describe('webview markdown rendering', () => {
  let dom: JSDOM;
  let render: MarkdownRenderer;

  before(() => {
    dom = new JSDOM('');
    // jsdom's window satisfies DOMPurify's WindowLike at run time; its types differ only nominally.
    render = createMarkdownRenderer(createDOMPurify(dom.window));
  });
  after(() => dom.window.close());

  it('renders ordinary Markdown', () => {
    const html = render('# Title\n\nSome `code` and **bold**.\n\n```py\nimport numpy as np\n```');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /import numpy as np/);
  });

  it('escapes raw HTML instead of rendering it', () => {
    const html = render('<script>alert(1)</script><img src=x onerror=alert(1)>');
    assert.doesNotMatch(html, /<script/);
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /&lt;script&gt;/);
  });

  it('keeps http, https and mailto links', () => {
    const html = render('[a](https://example.com/x) [b](http://example.org) [c](mailto:me@example.com)');
    assert.match(html, /href="https:\/\/example.com\/x"/);
    assert.match(html, /href="http:\/\/example.org"/);
    assert.match(html, /href="mailto:me@example.com"/);
  });

  it('drops command:, javascript:, file: and data: links', () => {
    const html = render(
      '[a](command:workbench.action.terminal.new) [b](javascript:alert(1)) [c](file:///etc/passwd) [d](data:text/html,hi)',
    );
    // Refused links stay as inert text: no anchor, no href.
    assert.doesNotMatch(html, /<a\b/);
    assert.doesNotMatch(html, /href=/);
  });

  it('shows images as their alt text, never as an <img>', () => {
    const html = render('![diagram](https://evil.example/track.png) ![](data:image/png;base64,AAAA)');
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /\[diagram\]/);
  });

  it('truncates very long answers', () => {
    const html = render('x'.repeat(MAX_MARKDOWN_CHARS + 10));
    assert.match(html, /truncated/);
    assert.ok(html.length < MAX_MARKDOWN_CHARS + 100);
  });
});
