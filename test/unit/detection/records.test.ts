import assert from 'node:assert/strict';
import { summarise } from '../../../src/core/detection/records';
import type { ImportRecord } from '../../../src/core/detection/types';

const record = (startRow: number, localName: string, path?: string): ImportRecord => ({
  module: 'zod',
  localNames: [localName],
  ...(path !== undefined ? { paths: [path] } : {}),
  stdlib: false,
  startRow,
  endRow: startRow,
});

describe('detection/records summarise', () => {
  // `import z from 'zod'` on row 3 and `import { z } from 'zod'` on row 11 bind the same name: an
  // edited document lists the records of rows read again last, a fresh parse top to bottom.
  it('keeps the binding of the first line whatever order the records come in', () => {
    const defaultImport = record(3, 'z');
    const namedImport = record(11, 'z', 'z');
    const expected = {
      modules: [{ name: 'zod', stdlib: false, line: 3 }],
      bindings: [{ localName: 'z', module: 'zod' }],
    };
    assert.deepEqual(summarise([defaultImport, namedImport]), expected);
    assert.deepEqual(summarise([namedImport, defaultImport]), expected);
  });
});
