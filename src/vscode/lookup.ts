/**
 * "Look Up…" and "Look Up Docs for Symbol at Cursor": ask the hierarchy and show the answer panel.
 * The input box's prompt shows SmartTrigger's guess of the context type as you type; its button
 * lets you pick another type.
 */
import * as vscode from 'vscode';
import type { McpIntegrationApi, TriggerContext } from '../core/api';
import { CONTEXT_TYPES, type ContextType } from '../core/knowledge';
import type { Logger } from '../core/ports';
import type { RuntimeHost } from './runtime-host';
import { withQuietProgress } from './progress';
import { DOTTED_NAME, resolveSymbol } from './symbol-docs';
import type { AnswerPanel } from './webview/answer-panel';
import type { AnswerView } from '../../media/src/lib/protocol';
import { answerViewFrom } from './webview/answer-view';

/** Longest selection used as a query. */
const MAX_QUERY_CHARS = 2000;
/**
 * How long after the command starts the lookup may wait for its warm-up (the guide's Pattern 3).
 * Usually the person is still typing then; once a file's docs are preloaded the warm-up is done at
 * once, so only a question asked in a file's first seconds waits, and never longer than this.
 */
const WARM_UP_MS = 3000;

export interface LookupDeps {
  host: RuntimeHost;
  panel: AnswerPanel;
  logger: Logger;
}

interface QueryChoice {
  query: string;
  contextType?: ContextType;
}

/** Where the cursor was when a command started (the editor may change while the user types). */
interface CursorAt {
  uri: string;
  offset: number;
  language: string;
}

/** `mcpIntegration.lookup`: an explicit query argument, else the selection, else the input box. */
export async function lookupCommand(deps: LookupDeps, queryArgument?: unknown): Promise<AnswerView | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection =
    editor && !editor.selection.isEmpty
      ? editor.document.getText(editor.selection).trim().slice(0, MAX_QUERY_CHARS)
      : '';
  const language = editor?.document.languageId;
  const cursor: CursorAt | undefined = editor
    ? {
        uri: editor.document.uri.toString(),
        offset: editor.document.offsetAt(editor.selection.active),
        language: editor.document.languageId,
      }
    : undefined;
  // Warm up while the question is typed: the profile's servers and the file's docs.
  const signal = AbortSignal.timeout(WARM_UP_MS);
  const warmUp = deps.host
    .get()
    .then(async (runtime) => {
      // A file opened a moment ago may not be detected yet: detect it now, so its docs count.
      if (editor && !runtime.getDetection(editor.document.uri.toString()))
        await runtime.openDocument({
          uri: editor.document.uri.toString(),
          languageId: editor.document.languageId,
          text: editor.document.getText(),
          visible: true,
        });
      await runtime.preloadForCommand('lookup', { uri: cursor?.uri, signal });
    })
    .catch((error: unknown) => deps.logger.debug('Warming up for the lookup failed', error));
  const choice: QueryChoice | undefined =
    typeof queryArgument === 'string' && queryArgument.trim()
      ? { query: queryArgument.trim() }
      : selection
        ? { query: selection }
        : await askQuery(deps.host, cursor);
  if (!choice) return undefined;
  return runLookup(deps, choice.query, 'lookup', { contextType: choice.contextType, language, cursor, warmUp });
}

/** SmartTrigger's view of the editor: its language and the syntax at the cursor. */
function triggerContext(runtime: McpIntegrationApi, cursor: CursorAt | undefined): TriggerContext {
  if (!cursor) return {};
  return { language: cursor.language, cursorNode: runtime.cursorContext(cursor.uri, cursor.offset) };
}

/** `mcpIntegration.lookupSymbolDocs`: the library docs for the imported name under the cursor. */
export async function lookupSymbolDocsCommand(deps: LookupDeps): Promise<AnswerView | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file and put the cursor on an imported name.');
    return undefined;
  }
  const runtime = await deps.host.get();
  const position = editor.selection.active;
  const range = editor.document.getWordRangeAtPosition(position, DOTTED_NAME);
  const document = editor.document;
  const detection =
    runtime.getDetection(document.uri.toString()) ??
    (await runtime.openDocument({
      uri: document.uri.toString(),
      languageId: document.languageId,
      text: document.getText(),
      visible: true,
    })) ??
    undefined;
  const target = range
    ? resolveSymbol(document.getText(range), detection, position.character - range.start.character)
    : undefined;
  if (!target) {
    void vscode.window.showInformationMessage(
      'The name under the cursor was not imported from a library this file uses.',
    );
    return undefined;
  }
  return runLookup(deps, target.query, 'symbol-docs', {
    contextType: CONTEXT_TYPES.libraryApi,
    language: document.languageId,
  });
}

/**
 * Runs a lookup and shows it. Without an explicit context type and with a `cursor`, SmartTrigger
 * classifies the query with the syntax at the cursor (its `cursor` rules); otherwise the runtime
 * guesses from the query and language alone.
 */
export async function runLookup(
  deps: LookupDeps,
  query: string,
  kind: AnswerView['kind'],
  options: { contextType?: ContextType; language?: string; cursor?: CursorAt; warmUp?: Promise<unknown> },
): Promise<AnswerView | undefined> {
  deps.panel.showLoading(query);
  try {
    const result = await withQuietProgress(`MCP: looking up “${query.slice(0, 60)}”`, async (signal) => {
      // The command's warm-up (bounded, never rejects) comes first, so a just-preloaded answer is used.
      await options.warmUp;
      const runtime = await deps.host.get();
      const contextType =
        options.contextType ??
        (options.cursor ? runtime.classify(query, triggerContext(runtime, options.cursor))[0]?.contextType : undefined);
      return runtime.lookup(query, { contextType, language: options.language, signal });
    });
    const view = answerViewFrom(result, query, kind);
    deps.panel.show(view);
    return view;
  } catch (error) {
    deps.logger.error(`Lookup failed: ${query}`, error);
    const view: AnswerView = {
      query,
      kind,
      success: false,
      content: null,
      source: null,
      latencyMs: 0,
      cached: false,
      contextType: options.contextType ?? 'general',
      trail: [],
      error: error instanceof Error ? error.message : String(error),
    };
    deps.panel.show(view);
    return view;
  }
}

/** The input box: live context-type guess in the prompt, a button to choose the type. */
function askQuery(host: RuntimeHost, cursor: CursorAt | undefined): Promise<QueryChoice | undefined> {
  // The box opens at once, even while the runtime is still starting (right after activation):
  // only the context-type guess needs the runtime, and it appears as soon as the runtime is ready.
  let guess: { runtime: McpIntegrationApi; context: TriggerContext } | undefined;
  let closed = false;
  const input = vscode.window.createInputBox();
  const changeType: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('symbol-enum'),
    tooltip: 'Choose the context type',
  };
  let chosenType: ContextType | undefined;
  input.title = 'MCP: Look Up';
  input.placeholder = 'Ask about a library, an error, a symbol, a decision…';
  input.buttons = [changeType];
  input.ignoreFocusOut = true;
  const describe = (value: string): void => {
    if (chosenType) {
      input.prompt = `Context type: ${chosenType} (chosen)`;
      return;
    }
    const best = guess && value.trim() ? guess.runtime.classify(value, guess.context)[0] : undefined;
    input.prompt = best
      ? `Context type: ${best.contextType} → ${best.server} (${Math.round(best.confidence * 100)}% sure). Use the button to change it.`
      : 'Context type: guessed from your question.';
  };
  describe('');
  host.get().then(
    (runtime) => {
      guess = { runtime, context: triggerContext(runtime, cursor) };
      if (!closed) describe(input.value);
    },
    // A runtime that fails to start is reported where the lookup runs; the box still takes the question.
    () => undefined,
  );
  return new Promise<QueryChoice | undefined>((resolve) => {
    let done = false;
    const finish = (value: QueryChoice | undefined): void => {
      if (done) return;
      done = true;
      closed = true;
      resolve(value);
      input.dispose();
    };
    input.onDidChangeValue(describe);
    input.onDidAccept(() => {
      const query = input.value.trim();
      if (query) finish({ query, contextType: chosenType });
    });
    input.onDidHide(() => finish(undefined));
    input.onDidTriggerButton(async () => {
      const types = Object.values(CONTEXT_TYPES).map((type) => ({ label: type, picked: type === chosenType }));
      // Hiding the input box while the quick pick is open must not end the flow.
      const value = input.value;
      done = true;
      const picked = await vscode.window.showQuickPick([{ label: 'Guess from the question' }, ...types], {
        placeHolder: 'Context type for this lookup',
      });
      done = false;
      if (picked) chosenType = picked.label === 'Guess from the question' ? undefined : picked.label;
      input.value = value;
      describe(value);
      input.show();
    });
    input.show();
  });
}
