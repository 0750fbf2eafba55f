/**
 * C and C++: `#include <lib/header.h>` (system includes). Quoted includes are project-relative and
 * skipped. The module is the first path element without extension (`boost`, `stdio`, `vector`).
 */
import { isCStdHeader } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { first } from './captures';

const query = `
(preproc_include path: (system_lib_string) @module) @stmt
`;

export const cpp: LanguageSpec = {
  grammar: 'cpp',
  query,
  read(captures: CaptureMap): RawImport[] {
    const node = first(captures, 'module');
    if (!node) return [];
    const header = node.text.replace(/^<|>$/g, '').trim();
    const module = (header.split('/')[0] ?? '').replace(/\.(h|hh|hpp|hxx|h\+\+)$/i, '');
    return module ? [{ module, localNames: [] }] : [];
  },
  isStdlib: isCStdHeader,
};
