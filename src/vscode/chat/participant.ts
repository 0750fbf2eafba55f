/**
 * `@mcp` in chat: the guide's command patterns, answered by the hierarchy (no language model
 * needed).
 * - `/docs <question>`: warms up for the command — its servers, the active file's docs, and with the
 *   AGGRESSIVE strategy what `docs` usually needs — then answers (Pattern 3). The other commands
 *   warm up too, alongside their answer.
 * - `/fix`: the diagnostic at the cursor or in the selection → a known fix; its profile's servers
 *   start on a miss, the call is tracked, and "it worked" / "it didn't work" as a follow-up is
 *   learned, a working fix remembered again with the error-solution TTL (Patterns 1–2).
 * - `/remember <solution>`: stores the solution for the diagnostic at the cursor (or the last `/fix`).
 * - anything else: a lookup.
 * Every answer shows its source layer, latency and whether it was cached, with a button that opens
 * it in the answer panel. Answers are untrusted Markdown: rendered without HTML or command links.
 */
import * as vscode from 'vscode';
import type { DiagnosticInfo, FixResult, McpIntegrationApi } from '../../core/api';
import { CONTEXT_TYPES, type FetchResult } from '../../core/knowledge';
import { diagnosticInfo } from '../fixes';
import type { RuntimeHost } from '../runtime-host';
import type { AnswerView } from '../../../media/src/lib/protocol';
import { answerViewFrom } from '../webview/answer-view';
import {
  answerFacts,
  followUpOutcome,
  latestFixTurn,
  MAX_CHAT_ANSWER_CHARS,
  type FixTurnMetadata,
} from './chat-format';
import { diagnosticAtCursor, signalFrom } from './signals';

export const PARTICIPANT_ID = 'mcpIntegration.mcp';
export const SHOW_ANSWER_COMMAND = 'mcpIntegration.showAnswer';
/** How long `/docs` waits for preloading before it answers with what is there. */
const PRELOAD_WAIT_MS = 15_000;

type Handler = (
  runtime: McpIntegrationApi,
  request: vscode.ChatRequest,
  context: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  signal: AbortSignal,
) => Promise<vscode.ChatResult>;

function showAnswer(
  stream: vscode.ChatResponseStream,
  result: FetchResult & Partial<Pick<FixResult, 'rememberedBy' | 'rememberedAt'>>,
  view: AnswerView,
): void {
  const body = result.success ? (result.content ?? '') : `No answer: ${result.error ?? 'no layer had one'}`;
  const bounded = body.length > MAX_CHAT_ANSWER_CHARS ? `${body.slice(0, MAX_CHAT_ANSWER_CHARS)}\n\n…` : body;
  // Untrusted text: no HTML, no command links (a MarkdownString is untrusted by default).
  stream.markdown(new vscode.MarkdownString(bounded));
  const facts = new vscode.MarkdownString();
  facts.appendMarkdown('\n\n*');
  facts.appendText(answerFacts(result));
  facts.appendMarkdown('*\n');
  stream.markdown(facts);
  stream.button({ command: SHOW_ANSWER_COMMAND, title: 'Open in answer panel', arguments: [view] });
}

const docs: Handler = async (runtime, request, _context, stream, signal) => {
  const question = request.prompt.trim();
  if (!question) {
    stream.markdown('Ask a question after `/docs`, e.g. `@mcp /docs how do I merge two data frames`.');
    return {};
  }
  const editor = vscode.window.activeTextEditor;
  const language = editor?.document.languageId;
  if (editor) {
    const uri = editor.document.uri.toString();
    const detection =
      runtime.getDetection(uri) ??
      (await runtime.openDocument({
        uri,
        languageId: editor.document.languageId,
        text: editor.document.getText(),
        visible: true,
      }));
    const libraries = detection?.libraries.map((l) => l.module) ?? [];
    if (libraries.length > 0)
      stream.progress(`Preloading docs for ${libraries.slice(0, 5).join(', ')}${libraries.length > 5 ? '…' : ''}`);
    const wait = AbortSignal.any([signal, AbortSignal.timeout(PRELOAD_WAIT_MS)]);
    await runtime.preloadForCommand('docs', { uri, signal: wait });
  }
  stream.progress('Looking it up');
  const result = await runtime.lookup(question, {
    contextType: CONTEXT_TYPES.libraryApi,
    command: 'docs',
    signal,
    ...(language ? { language } : {}),
  });
  showAnswer(stream, result, answerViewFrom(result, question, 'lookup'));
  return { metadata: { command: 'docs' } };
};

function previousTurns(context: vscode.ChatContext): Array<{ participant: string; metadata: unknown }> {
  return context.history
    .filter((turn): turn is vscode.ChatResponseTurn => turn instanceof vscode.ChatResponseTurn)
    .map((turn) => ({ participant: turn.participant, metadata: turn.result.metadata }));
}

const fix: Handler = async (runtime, request, context, stream, signal) => {
  const outcome = followUpOutcome(request.prompt);
  const pending = latestFixTurn(previousTurns(context), PARTICIPANT_ID);
  if (outcome && pending?.fix?.success && !pending.outcome) {
    await runtime.recordFixOutcome(pending.diagnostic, pending.fix, outcome === 'worked');
    stream.markdown(
      outcome === 'worked'
        ? 'Good. The fix is remembered again for this error, for another error-solution TTL.'
        : 'Noted: that fix did not help here. Once you have one that works, store it with `@mcp /remember <solution>`.',
    );
    return { metadata: { ...pending, outcome } satisfies FixTurnMetadata };
  }
  const at = diagnosticAtCursor();
  const diagnostic: DiagnosticInfo | undefined = at
    ? diagnosticInfo(at.diagnostic, at.document.languageId)
    : request.prompt.trim()
      ? { message: request.prompt.trim().slice(0, 4000) }
      : undefined;
  if (!diagnostic) {
    stream.markdown('Put the cursor on a diagnostic (or select it), or write the error message after `/fix`.');
    return {};
  }
  stream.progress('Looking for a known fix');
  const found = await runtime.findFix(diagnostic, signal);
  showAnswer(stream, found, { ...answerViewFrom(found, diagnostic.message, 'fix', found.signature) });
  if (!found.success)
    stream.markdown('\n\nOnce you have fixed it, `@mcp /remember <solution>` stores the solution for next time.');
  return { metadata: { command: 'fix', diagnostic, fix: found } satisfies FixTurnMetadata };
};

const remember: Handler = async (runtime, request, context, stream) => {
  const solution = request.prompt.trim();
  if (!solution) {
    stream.markdown('Write the solution after `/remember`, e.g. `@mcp /remember pin numpy<2 in requirements.txt`.');
    return {};
  }
  const at = diagnosticAtCursor();
  const diagnostic = at
    ? diagnosticInfo(at.diagnostic, at.document.languageId)
    : latestFixTurn(previousTurns(context), PARTICIPANT_ID)?.diagnostic;
  if (!diagnostic) {
    stream.markdown('Put the cursor on the diagnostic this solution fixes (or ask `/fix` about it first).');
    return {};
  }
  const signature = await runtime.rememberFix(diagnostic, solution.slice(0, 64 * 1024));
  const done = new vscode.MarkdownString('Remembered the solution for `');
  done.appendText(signature.slice(0, 300));
  done.appendMarkdown('`.');
  stream.markdown(done);
  return { metadata: { command: 'remember' } };
};

const lookup: Handler = async (runtime, request, _context, stream, signal) => {
  const question = request.prompt.trim();
  if (!question) {
    stream.markdown('Ask me anything the MCP servers know, or use `/docs`, `/fix` or `/remember`.');
    return {};
  }
  const language = vscode.window.activeTextEditor?.document.languageId;
  const result = await runtime.lookup(question, { signal, command: 'lookup', ...(language ? { language } : {}) });
  showAnswer(stream, result, answerViewFrom(result, question, 'lookup'));
  return { metadata: { command: 'lookup' } };
};

const HANDLERS: Record<string, Handler> = { docs, fix, remember };
/** The profile command each chat command warms up for (`mcp-profiles.yaml`'s `commands`). */
const WARM_UP_COMMAND: Record<string, string> = { fix: 'find-fix', remember: 'remember-fix' };

function activeUri(): { uri?: string } {
  const editor = vscode.window.activeTextEditor;
  return editor ? { uri: editor.document.uri.toString() } : {};
}

/** What the participant did, for tests and the log: whether it registered, the requests it answered. */
export interface ChatActivity {
  registered: boolean;
  handled: Array<{ command?: string; prompt: string; ok: boolean }>;
}

const MAX_ACTIVITY = 50;

export function registerChatParticipant(
  host: RuntimeHost,
  extensionUri: vscode.Uri,
  activity: ChatActivity,
): vscode.Disposable[] {
  if (typeof vscode.chat.createChatParticipant !== 'function') return [];
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, context, stream, token) => {
    const cancel = signalFrom(token);
    const note = (ok: boolean): void => {
      activity.handled.push({ ...(request.command ? { command: request.command } : {}), prompt: request.prompt, ok });
      if (activity.handled.length > MAX_ACTIVITY) activity.handled.shift();
    };
    try {
      const runtime = await host.get();
      const handler = (request.command ? HANDLERS[request.command] : undefined) ?? lookup;
      // `/docs` waits for its warm-up itself; the others warm up alongside their answer.
      if (handler !== docs)
        void runtime.preloadForCommand(WARM_UP_COMMAND[request.command ?? ''] ?? 'lookup', activeUri());
      const result = await handler(runtime, request, context, stream, cancel.signal);
      note(true);
      return result;
    } catch (error) {
      note(false);
      const message = error instanceof Error ? error.message : String(error);
      return { errorDetails: { message: `MCP Integration: ${message}` } };
    } finally {
      cancel.dispose();
    }
  });
  activity.registered = true;
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  participant.followupProvider = {
    provideFollowups(result) {
      const meta = result.metadata as Partial<FixTurnMetadata> | undefined;
      if (meta?.command !== 'fix' || !meta.fix?.success || meta.outcome) return [];
      return [
        { prompt: 'it worked', label: 'It worked', command: 'fix' },
        { prompt: 'it did not work', label: 'It did not work', command: 'fix' },
      ];
    },
  };
  return [participant];
}
