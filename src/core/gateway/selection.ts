/**
 * Which tools a profile exposes: servers, then `server/tool` allow and deny patterns with `*`
 * wildcards. Deny wins; empty lists restrict nothing.
 */
import type { ToolSelection } from '../config/types';

export const ALL_TOOLS: ToolSelection = { servers: [], allow: [], deny: [] };

const compiled = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/gu, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${source}$`, 'u');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a memory bound only; when the memo is cleared changes no answer.
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

export function matchesToolPattern(pattern: string, server: string, tool: string): boolean {
  return patternRegex(pattern).test(`${server}/${tool}`);
}

export function serverSelected(selection: ToolSelection, server: string): boolean {
  return selection.servers.length === 0 || selection.servers.includes(server);
}

export function toolSelected(selection: ToolSelection, server: string, tool: string): boolean {
  if (!serverSelected(selection, server)) return false;
  if (selection.deny.some((pattern) => matchesToolPattern(pattern, server, tool))) return false;
  return selection.allow.length === 0 || selection.allow.some((pattern) => matchesToolPattern(pattern, server, tool));
}
