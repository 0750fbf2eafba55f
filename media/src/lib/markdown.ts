/**
 * Turns an MCP answer (untrusted Markdown) into HTML that is safe to put in the webview:
 * markdown-it with raw HTML off and links limited to http(s)/mailto, images shown as their alt
 * text (remote images would be blocked by the CSP anyway, and data URLs are never wanted), then
 * DOMPurify with a small allow-list as a second, independent line of defence.
 */
import MarkdownIt from 'markdown-it';
import type { Config, DOMPurify } from 'dompurify';

const SAFE_LINK = /^(https?:|mailto:)/i;

/** Longest answer rendered; the rest is cut (and said so) to keep the webview responsive. */
export const MAX_MARKDOWN_CHARS = 200_000;

export const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS: [
    'a',
    'p',
    'br',
    'hr',
    'strong',
    'em',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'span',
  ],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start', 'align'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  ALLOW_DATA_ATTR: false,
  RETURN_TRUSTED_TYPE: false,
};

export type MarkdownRenderer = (markdown: string) => string;

export function createMarkdownRenderer(purify: DOMPurify): MarkdownRenderer {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
  md.renderer.rules.image = (tokens, index): string => {
    const alt = tokens[index]?.content ?? '';
    return alt ? `[${md.utils.escapeHtml(alt)}]` : '';
  };
  return (markdown: string): string => {
    const text =
      markdown.length > MAX_MARKDOWN_CHARS ? `${markdown.slice(0, MAX_MARKDOWN_CHARS)}\n\n… (truncated)` : markdown;
    return purify.sanitize(md.render(text), PURIFY_CONFIG);
  };
}
