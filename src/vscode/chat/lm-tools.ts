/**
 * Language-model tools for agent mode and chat (`#mcpLookup`, `#mcpFindFix`, `#mcpRememberFix`):
 * the hierarchy's lookup, its known fixes, and remembering a fix — the last one asks for
 * confirmation first, because it writes. Names and schemas are declared in package.json's
 * `languageModelTools`; answers come from the hierarchy, so no language model is needed.
 */
import * as vscode from 'vscode';
import type { DiagnosticInfo } from '../../core/api';
import type { RuntimeHost } from '../runtime-host';
import { answerText } from './chat-format';
import { signalFrom } from './signals';

export const LM_TOOL_NAMES = {
  lookup: 'mcpIntegration_lookup',
  findFix: 'mcpIntegration_findFix',
  rememberFix: 'mcpIntegration_rememberFix',
} as const;

interface LookupInput {
  query: string;
  contextType?: string;
  language?: string;
}

interface DiagnosticInput {
  message: string;
  source?: string;
  code?: string;
  language?: string;
}

interface RememberInput extends DiagnosticInput {
  solution: string;
}

const MAX_INPUT = 4000;
const MAX_SOLUTION = 64 * 1024;

function text(value: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);
}

function requireText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`"${name}" must be a non-empty string`);
  if (value.length > max) throw new Error(`"${name}" is longer than ${max} characters`);
  return value;
}

function optional(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, max) : undefined;
}

function diagnosticFrom(input: DiagnosticInput): DiagnosticInfo {
  const source = optional(input.source);
  const code = optional(input.code);
  const language = optional(input.language, 64);
  return {
    message: requireText(input.message, 'message', MAX_INPUT),
    ...(source ? { source } : {}),
    ...(code ? { code } : {}),
    ...(language ? { language } : {}),
  };
}

class LookupTool implements vscode.LanguageModelTool<LookupInput> {
  constructor(private readonly host: RuntimeHost) {}

  async invoke(options: vscode.LanguageModelToolInvocationOptions<LookupInput>, token: vscode.CancellationToken) {
    const query = requireText(options.input.query, 'query', MAX_INPUT);
    const cancel = signalFrom(token);
    try {
      const runtime = await this.host.get();
      const contextType = optional(options.input.contextType, 64);
      const language = optional(options.input.language, 64);
      const result = await runtime.lookup(query, {
        command: 'lookup',
        signal: cancel.signal,
        ...(contextType ? { contextType } : {}),
        ...(language ? { language } : {}),
      });
      return text(answerText(result));
    } finally {
      cancel.dispose();
    }
  }

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<LookupInput>) {
    return {
      invocationMessage: `Looking up “${String(options.input.query).slice(0, 80)}” in the MCP knowledge hierarchy`,
    };
  }
}

class FindFixTool implements vscode.LanguageModelTool<DiagnosticInput> {
  constructor(private readonly host: RuntimeHost) {}

  async invoke(options: vscode.LanguageModelToolInvocationOptions<DiagnosticInput>, token: vscode.CancellationToken) {
    const diagnostic = diagnosticFrom(options.input);
    const cancel = signalFrom(token);
    try {
      const fix = await (await this.host.get()).findFix(diagnostic, cancel.signal);
      return text(`${answerText(fix)}\nError signature: ${fix.signature}`);
    } finally {
      cancel.dispose();
    }
  }

  prepareInvocation() {
    return { invocationMessage: 'Looking for a remembered fix' };
  }
}

class RememberFixTool implements vscode.LanguageModelTool<RememberInput> {
  constructor(private readonly host: RuntimeHost) {}

  async invoke(options: vscode.LanguageModelToolInvocationOptions<RememberInput>) {
    const diagnostic = diagnosticFrom(options.input);
    const solution = requireText(options.input.solution, 'solution', MAX_SOLUTION);
    const signature = await (await this.host.get()).rememberFix(diagnostic, solution);
    return text(`Remembered the fix for: ${signature}`);
  }

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<RememberInput>) {
    const message = new vscode.MarkdownString();
    message.appendText('Store this solution for the error\n\n');
    message.appendCodeblock(String(options.input.message).slice(0, 500), 'text');
    message.appendText('\nso the same error finds it next time (kept for the error-solution TTL):\n\n');
    message.appendCodeblock(String(options.input.solution).slice(0, 2000), 'text');
    return {
      invocationMessage: 'Remembering the fix',
      confirmationMessages: { title: 'Remember this fix?', message },
    };
  }
}

export function registerLanguageModelTools(host: RuntimeHost): vscode.Disposable[] {
  if (typeof vscode.lm.registerTool !== 'function') return [];
  return [
    vscode.lm.registerTool(LM_TOOL_NAMES.lookup, new LookupTool(host)),
    vscode.lm.registerTool(LM_TOOL_NAMES.findFix, new FindFixTool(host)),
    vscode.lm.registerTool(LM_TOOL_NAMES.rememberFix, new RememberFixTool(host)),
  ];
}
