/**
 * The answer panel's script. Receives answers by message (checked with the shared guards), renders
 * the Markdown through markdown-it + DOMPurify, shows the metadata as text, and asks the host to
 * open links (the host re-checks them) instead of following them.
 */
import DOMPurify from 'dompurify';
import { isAnswerToWebview, type AnswerView } from './lib/protocol';
import { createMarkdownRenderer } from './lib/markdown';
import { byId, fillRows, getVsCodeApi } from './lib/vscode-api';

interface AnswerState {
  answer?: AnswerView;
}

const vscode = getVsCodeApi<AnswerState>();
const render = createMarkdownRenderer(DOMPurify);
const content = byId<HTMLElement>('answer-content');
const applyButton = byId<HTMLButtonElement>('apply-fix');

const TITLES: Record<AnswerView['kind'], string> = {
  lookup: 'Look Up',
  'symbol-docs': 'Symbol docs',
  fix: 'Known fix',
};

function showLoading(query: string): void {
  byId('answer-title').textContent = 'Looking up…';
  byId('answer-query').textContent = query;
  for (const id of ['answer-source', 'answer-latency', 'answer-cached', 'answer-type']) byId(id).textContent = '…';
  content.replaceChildren();
  content.setAttribute('aria-busy', 'true');
  byId('answer-error').hidden = true;
  byId('answer-remembered').hidden = true;
  applyButton.hidden = true;
}

function showAnswer(answer: AnswerView): void {
  byId('answer-title').textContent = TITLES[answer.kind];
  byId('answer-query').textContent = answer.signature
    ? `${answer.query} — signature ${answer.signature}`
    : answer.query;
  const remembered = byId('answer-remembered');
  remembered.hidden = answer.remembered === undefined;
  remembered.textContent = answer.remembered ?? '';
  byId('answer-source').textContent = answer.source ?? 'none';
  byId('answer-latency').textContent = `${Math.round(answer.latencyMs)} ms`;
  byId('answer-cached').textContent = answer.cached ? 'yes' : 'no';
  byId('answer-type').textContent = answer.contextType;
  const error = byId('answer-error');
  error.hidden = answer.success;
  error.textContent = answer.success ? '' : (answer.error ?? 'No answer found.');
  content.removeAttribute('aria-busy');
  // The sanitised HTML is parsed into an inert template first, then moved in.
  const template = document.createElement('template');
  template.innerHTML = answer.content ? render(answer.content) : '';
  content.replaceChildren(template.content);
  applyButton.hidden = !answer.canApplyEdit;
  fillRows(
    byId('answer-trail').querySelector('tbody') as HTMLElement,
    // A layer can hold several servers (memory: memory-bank and server-memory): name the one asked.
    answer.trail.map((t) => [
      t.server ? `${t.layer} (${t.server})` : t.layer,
      t.outcome,
      `${Math.round(t.latencyMs)} ms`,
      t.detail ?? '',
    ]),
    'No layer was asked.',
    4,
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isAnswerToWebview(message)) {
    console.warn('MCP answer panel: ignored a malformed message');
    return;
  }
  if (message.type === 'loading') {
    showLoading(message.query);
    return;
  }
  vscode.setState({ answer: message.answer });
  showAnswer(message.answer);
});

content.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest('a');
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute('href');
  if (href) vscode.postMessage({ type: 'openLink', url: href });
});

applyButton.addEventListener('click', () => vscode.postMessage({ type: 'applyFix' }));

const saved = vscode.getState()?.answer;
if (saved) showAnswer(saved);
vscode.postMessage({ type: 'ready' });
