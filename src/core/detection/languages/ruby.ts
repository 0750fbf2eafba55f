/** Ruby: `require 'x'` / `require('x/y')`; `require_relative` and relative paths are local. */
import { isRubyStdlib } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { first } from './captures';

const query = `
(call
  method: (identifier) @fn
  arguments: (argument_list . (string . (string_content) @module .) .)
  (#eq? @fn "require")) @stmt
`;

export const ruby: LanguageSpec = {
  grammar: 'ruby',
  query,
  read(captures: CaptureMap): RawImport[] {
    const node = first(captures, 'module');
    if (!node || node.text.startsWith('.') || node.text.startsWith('/')) return [];
    const module = node.text.split('/')[0] ?? '';
    return module ? [{ module, localNames: [] }] : [];
  },
  isStdlib: isRubyStdlib,
};
