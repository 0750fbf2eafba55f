/**
 * Quick fixes on any diagnostic: "Find a known fix (MCP)" looks up a stored solution for the error's
 * signature and shows it; when the solution carries an edit, "Apply" previews it as a WorkspaceEdit
 * that needs confirmation. "Remember this fix (MCP)" stores the selection or a typed solution.
 */
import * as vscode from 'vscode';
import type { DiagnosticInfo, FixResult } from '../core/api';
import type { Logger } from '../core/ports';
import type { RuntimeHost } from './runtime-host';
import { withQuietProgress } from './progress';
import type { AnswerPanel } from './webview/answer-panel';
import type { AnswerView } from '../../media/src/lib/protocol';
import { answerViewFrom } from './webview/answer-view';

export const FIND_FIX_COMMAND = 'mcpIntegration.findFix';
export const REMEMBER_FIX_COMMAND = 'mcpIntegration.rememberFix';
export const FIND_FIX_TITLE = 'Find a known fix (MCP)';
export const REMEMBER_FIX_TITLE = 'Remember this fix (MCP)';

/** Diagnostics per request that get actions; a file full of errors should not flood the menu. */
const MAX_DIAGNOSTICS = 5;
const MAX_SOLUTION_CHARS = 20_000;

export interface FixDeps {
  host: RuntimeHost;
  panel: AnswerPanel;
  logger: Logger;
}

export function diagnosticInfo(diagnostic: vscode.Diagnostic, languageId: string): DiagnosticInfo {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
    language: languageId,
  };
}

export class FixCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  /** With a host, offering the actions warms up for them (the guide's Pattern 3). */
  constructor(private readonly host?: RuntimeHost) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !context.only.intersects(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics.slice(0, MAX_DIAGNOSTICS)) {
      const info = diagnosticInfo(diagnostic, document.languageId);
      const find = new vscode.CodeAction(FIND_FIX_TITLE, vscode.CodeActionKind.QuickFix);
      find.diagnostics = [diagnostic];
      find.command = {
        command: FIND_FIX_COMMAND,
        title: FIND_FIX_TITLE,
        arguments: [info, document.uri, diagnostic.range],
      };
      const remember = new vscode.CodeAction(REMEMBER_FIX_TITLE, vscode.CodeActionKind.QuickFix);
      remember.diagnostics = [diagnostic];
      remember.command = { command: REMEMBER_FIX_COMMAND, title: REMEMBER_FIX_TITLE, arguments: [info, document.uri] };
      actions.push(find, remember);
    }
    // The menu is about to show: start the fix profile's servers and preload this file's docs now,
    // before the person picks an action. Cheap when already warm (nothing to start or fetch).
    if (actions.length > 0) void this.host?.current()?.preloadForCommand('find-fix', { uri: document.uri.toString() });
    return actions;
  }
}

export function registerFixProvider(host: RuntimeHost): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    [{ scheme: 'file' }, { scheme: 'untitled' }],
    new FixCodeActionProvider(host),
    FixCodeActionProvider.metadata,
  );
}

function isDiagnosticInfo(value: unknown): value is DiagnosticInfo {
  return typeof value === 'object' && value !== null && typeof (value as DiagnosticInfo).message === 'string';
}

/** The argument, or the first diagnostic on the cursor line of the active editor. */
function diagnosticFromArgs(arg: unknown): { info: DiagnosticInfo; uri?: vscode.Uri } | undefined {
  if (isDiagnosticInfo(arg)) return { info: arg };
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const line = editor.selection.active.line;
  const diagnostic = vscode.languages
    .getDiagnostics(editor.document.uri)
    .find((d) => d.range.start.line <= line && d.range.end.line >= line);
  return diagnostic
    ? { info: diagnosticInfo(diagnostic, editor.document.languageId), uri: editor.document.uri }
    : undefined;
}

export async function findFixCommand(deps: FixDeps, arg?: unknown, uriArg?: unknown): Promise<AnswerView | undefined> {
  const found = diagnosticFromArgs(arg);
  if (!found) {
    void vscode.window.showInformationMessage('Put the cursor on a line with a problem to find a known fix.');
    return undefined;
  }
  const uri = uriArg instanceof vscode.Uri ? uriArg : found.uri;
  deps.panel.showLoading(found.info.message);
  let result: FixResult;
  try {
    result = await withQuietProgress('MCP: finding a known fix', async (signal) =>
      (await deps.host.get()).findFix(found.info, signal),
    );
  } catch (error) {
    deps.logger.error('Finding a fix failed.', error);
    const view: AnswerView = {
      query: found.info.message,
      kind: 'fix',
      success: false,
      content: null,
      source: null,
      latencyMs: 0,
      cached: false,
      contextType: 'error_solution',
      trail: [],
      error: error instanceof Error ? error.message : String(error),
    };
    deps.panel.show(view);
    return view;
  }
  const view = answerViewFrom(result, found.info.message, 'fix', result.signature);
  const edit = result.edit;
  const apply = edit && uri ? (): void => void applyFixEdit(uri, edit) : undefined;
  deps.panel.show(view, apply);
  if (apply) {
    // Not awaited: the command returns with the answer while the offer stays on screen.
    void vscode.window.showInformationMessage('The known fix comes with an edit.', 'Apply…').then((choice) => {
      if (choice) apply();
    });
  }
  return view;
}

/** Applies a fix's edit through the refactor preview: nothing changes until the user confirms. */
export async function applyFixEdit(uri: vscode.Uri, edit: NonNullable<FixResult['edit']>): Promise<boolean> {
  const workspaceEdit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(edit.startLine, edit.startCharacter, edit.endLine, edit.endCharacter);
  workspaceEdit.replace(uri, range, edit.newText, { label: 'Apply known fix (MCP)', needsConfirmation: true });
  return vscode.workspace.applyEdit(workspaceEdit);
}

export async function rememberFixCommand(deps: FixDeps, arg?: unknown, uriArg?: unknown): Promise<string | undefined> {
  const found = diagnosticFromArgs(arg);
  if (!found) {
    void vscode.window.showInformationMessage('Put the cursor on a line with a problem to remember its fix.');
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const uri = uriArg instanceof vscode.Uri ? uriArg : found.uri;
  const selected =
    editor && !editor.selection.isEmpty && (!uri || editor.document.uri.toString() === uri.toString())
      ? editor.document.getText(editor.selection)
      : '';
  const solution =
    selected ||
    (await vscode.window.showInputBox({
      title: 'MCP: Remember this fix',
      prompt: `What fixed “${found.info.message.slice(0, 80)}”?`,
      placeHolder: 'Describe the solution (or select the fixed code before running this)',
      ignoreFocusOut: true,
      validateInput: (value) =>
        value.length > MAX_SOLUTION_CHARS ? `At most ${MAX_SOLUTION_CHARS} characters.` : undefined,
    }));
  if (!solution?.trim()) return undefined;
  try {
    const signature = await (await deps.host.get()).rememberFix(found.info, solution.slice(0, MAX_SOLUTION_CHARS));
    void vscode.window.showInformationMessage(`Remembered the fix for “${signature}”.`);
    return signature;
  } catch (error) {
    deps.logger.error('Remembering a fix failed.', error);
    void vscode.window.showErrorMessage(
      `Could not remember the fix: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
