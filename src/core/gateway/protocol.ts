/**
 * The MCP protocol shapes the gateway handles, written as plain structural types so the gateway
 * depends on the protocol, not on one version of the SDK: the SDK's `Tool`, `CallToolResult`,
 * `Resource` and `Prompt` values are assignable to these, and these are what a server wrapper
 * hands back to its SDK.
 */

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

export interface JsonObjectSchema {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObjectSchema;
  outputSchema?: JsonObjectSchema;
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One content block (text, image, audio, resource link, embedded resource). */
export interface ContentBlock {
  type: string;
  [key: string]: unknown;
}

export interface ToolCallResult {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ResourceDefinition {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  [key: string]: unknown;
}

export interface ResourceReadResult {
  contents: Array<{ uri: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface PromptDefinition {
  name: string;
  title?: string;
  description?: string;
  arguments?: Array<{ name: string; description?: string; required?: boolean }>;
  [key: string]: unknown;
}

export interface PromptResult {
  messages: Array<{ role: string; content: unknown }>;
  description?: string;
  [key: string]: unknown;
}

/** A tool result carrying only text. */
export function textResult(text: string, isError = false): ToolCallResult {
  return { content: [{ type: 'text', text }], ...(isError ? { isError: true } : {}) };
}

/** The text blocks of a result joined by blank lines (the way adapters read answers). */
export function resultText(result: ToolCallResult): string {
  return (Array.isArray(result.content) ? result.content : [])
    .filter((block) => block.type === 'text' && typeof block['text'] === 'string')
    .map((block) => block['text'] as string)
    .join('\n\n');
}
