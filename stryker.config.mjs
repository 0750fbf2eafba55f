// Mutation testing of the core (StrykerJS): `npm run test:mutation` runs every file below;
// `npm run test:mutation -- --mutate src/core/store/disk-cache.ts` runs a subset (any Stryker
// option may follow the `--`). Not part of `npm test`: a full run takes tens of minutes on 2 cores.
//
// Why mocha 11: StrykerJS 9.6.1 is the newest release that runs on Node 20 (the CLI's Node), and
// its mocha runner supports mocha < 12. Stryker 10's runner declares mocha < 13 but cannot load
// mocha 12.0.3 (it requires lib/cli/run-helpers and options, which mocha 12 ships as .cjs), so
// running Stryker 10 on the Node 24 in .tools/node24 would not help. The command runner would
// work with any mocha but cannot tell which tests cover a mutant, so it runs the whole unit suite
// for each of ~1,500 mutants (hours instead of minutes). The project therefore stays on mocha 11
// (maintained, Node 20 support, the same API and .mocharc files), a pin to lift once a Stryker
// release loads mocha 12.

import { readdirSync } from 'node:fs';

// The size rule (no source file over 400 lines) reads src as written; in the mutation sandbox every
// mutated file is its instrumented copy, several times longer, so that one test would fail the
// initial run. It decides nothing about any mutant and is left out of the mutation suite.
const NOT_FOR_MUTANTS = new Set(['test/unit/architecture/file-size.test.ts']);

/** Every unit test file (Node 20's readdir lists a folder recursively; mocha globs cannot exclude). */
function unitTestFiles() {
  return readdirSync('test/unit', { recursive: true })
    .map((file) => `test/unit/${String(file).split('\\').join('/')}`)
    .filter((file) => file.endsWith('.test.ts') && !NOT_FOR_MUTANTS.has(file))
    .sort();
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  mochaOptions: {
    config: '.mocharc.unit.json',
    // MUTATION_SPEC narrows the tests to a folder's own (comma-separated globs), e.g.
    // MUTATION_SPEC='test/unit/gateway/**/*.test.ts': far faster, and a lower bound of the score.
    spec: process.env['MUTATION_SPEC']?.split(',') ?? unitTestFiles(),
  },
  // The unit suite is TypeScript run through tsx (the mocharc's `node-option` is not applied to
  // Stryker's workers, so the loader is registered here).
  testRunnerNodeArgs: ['--import', 'tsx'],
  // The checker compiles only src/core (tsconfig.mutation.json): every mutated file lives there,
  // and leaving the tests, bench and scripts out makes each of its checks several times faster.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: tool schemas, descriptions, patterns) cannot be traced
  // to the tests that use them, so each would rerun the whole unit suite (about a minute on a busy
  // machine; over 95 % of a run's time). They are reported as ignored, not counted in the score.
  ignoreStatic: true,
  mutate: [
    'src/core/hierarchy/**/*.ts',
    '!src/core/hierarchy/types.ts',
    'src/core/store/**/*.ts',
    '!src/core/store/cache-types.ts',
    // mcp: the parts with their own logic (pool, supervisor, breaker, request guard, backoff);
    // connection.ts and transports.ts are thin SDK wiring covered by the integration suite.
    'src/core/mcp/connection-pool.ts',
    'src/core/mcp/supervised-server.ts',
    'src/core/mcp/circuit-breaker.ts',
    'src/core/mcp/request-guard.ts',
    'src/core/mcp/backoff.ts',
    'src/core/config/**/*.ts',
    '!src/core/config/types.ts',
    // The gateway whole: its type-only files (ports.ts, protocol.ts) give no mutants.
    'src/core/gateway/**/*.ts',
  ],
  // Only what the unit suite needs is copied into the sandbox.
  ignorePatterns: [
    'dist',
    '.tools',
    'bench/results',
    'test/e2e',
    'test/integration',
    'reports',
    'coverage',
    '.stryker-tmp*',
  ],
  concurrency: 1, // a shared 2-core machine; raise with --concurrency on a bigger one
  thresholds: { high: 90, low: 80, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
