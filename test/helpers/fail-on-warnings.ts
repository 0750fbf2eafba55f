/**
 * Mocha root hook: any process warning (MaxListenersExceededWarning, a deprecation, …) fails the
 * run, naming the warning, instead of scrolling past in the output. Registered with `require` in
 * the unit, integration and adversarial mocha configurations.
 */
import type { RootHookObject } from 'mocha';

/**
 * Warning codes that come from dependencies we cannot change. Empty: none occurs today. Add a code
 * here only with a comment saying which dependency emits it and why it cannot be fixed.
 */
const allowedCodes: ReadonlySet<string> = new Set<string>();

/** Warnings not yet attributed to a test. */
const pending: string[] = [];
/** Warnings with the test they were emitted during, reported together at the end. */
const attributed: string[] = [];

function describeWarning(warning: Error & { code?: string }): string {
  return `${warning.name}${warning.code ? ` [${warning.code}]` : ''}: ${warning.message}`;
}

process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code && allowedCodes.has(warning.code)) return;
  pending.push(describeWarning(warning));
});

// Failing in a root `afterEach` would make mocha stop the whole run there, hiding every later
// result; so each test's warnings are noted with its name, and the run fails once, at the end.
export const mochaHooks: RootHookObject = {
  afterEach(this: Mocha.Context) {
    const test = this.currentTest?.fullTitle() ?? 'a test';
    for (const warning of pending.splice(0)) attributed.push(`during "${test}": ${warning}`);
  },
  afterAll() {
    for (const warning of pending.splice(0)) attributed.push(`in a hook or after the last test: ${warning}`);
    if (attributed.length === 0) return;
    const warnings = attributed.splice(0);
    throw new Error(`${warnings.length} process warning(s) emitted:\n  ${warnings.join('\n  ')}`);
  },
};
