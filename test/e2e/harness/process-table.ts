/**
 * Looks for processes by a marker in their environment (`/proc/<pid>/environ`), which is how a test
 * proves that a server never started: the marker is set only in that server's configured `env`.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Ids of the live processes whose environment contains `marker` (as a value or `NAME=value`). */
export function processesWithEnvMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (environ.split('\0').some((variable) => variable.includes(marker))) found.push(Number(entry));
  }
  return found;
}
