import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/detection');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}
