/** Guesses which adapter speaks to a server from how it is started (package name, binary, URL). */
import type { ServerDefinition } from '../mcp/types';

const KIND_HINTS: Array<[RegExp, ServerDefinition['kind']]> = [
  [/context7/i, 'context7'],
  [/memory-bank/i, 'memory-bank'],
  [/server-memory/i, 'server-memory'],
  [/serena/i, 'serena'],
  [/github/i, 'github'],
];

export function inferServerKind(
  command: string | undefined,
  // Stryker disable next-line ArrayDeclaration: any default without a hint word guesses the same kind
  args: readonly string[] = [],
  url?: string,
): ServerDefinition['kind'] {
  // Stryker disable next-line StringLiteral: the hints are single words: the fallbacks and the separator never make or break a match
  const haystack = [command ?? '', ...args, url ?? ''].join(' ');
  for (const [pattern, kind] of KIND_HINTS) if (pattern.test(haystack)) return kind;
  return 'generic';
}
