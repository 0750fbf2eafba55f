// The lint rules for the whole tree: typescript-eslint's type-aware rules plus the boundaries the
// architecture relies on. A gate: `npm run lint` (zero findings, zero warnings) runs in `npm test`
// and `npm run test:fast`, so a new finding fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const coreFolders = [
  'adapters',
  'config',
  'detection',
  'fixes',
  'gateway',
  'hierarchy',
  'learning',
  'libraries',
  'mcp',
  'monitor',
  'preload',
  'profiles',
  'runtime',
  'store',
  'triggers',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'coverage/**',
      'node_modules/**',
      '.tools/**',
      '.vscode-test/**',
      'media/dist/**',
      'bench/results/**',
      'test/e2e/runner-extension/out/**',
      'test/fixtures/detection/**',
      'examples/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A separate `import type` line from the same module is erased at build and reads clearer.
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      // An async function without await still keeps its contract: it returns a promise and a throw
      // becomes a rejection, which interfaces returning Promise rely on.
      '@typescript-eslint/require-await': 'off',
      // Passing on a caught error or an AbortSignal's reason keeps it as it was (typed unknown/any).
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unnecessary-condition': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Exported functions and methods say what they return: the public surface is read, not inferred.
    files: ['src/**/*.ts', 'media/src/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is host-agnostic: hosts implement ports instead.' }],
          patterns: [{ group: ['**/vscode/**', '**/cli/**'], message: 'src/core never imports a host.' }],
        },
      ],
    },
  },
  {
    // The facade re-exports module vocabulary; modules never reach back up to it.
    files: coreFolders.map((folder) => `src/core/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is host-agnostic: hosts implement ports instead.' }],
          patterns: [
            { group: ['**/vscode/**', '**/cli/**'], message: 'src/core never imports a host.' },
            {
              group: ['../api', '../../api', '../../../api'],
              message: 'Modules own their types; only hosts import the facade (src/core/api.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Webview code is bundled for the browser: it never imports src at runtime. `import type` from
    // src/core is allowed, since it is erased at build and keeps the message shapes in one place.
    files: ['media/src/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '../../src/**'],
              allowTypeImports: true,
              message: 'Webview code is bundled for the browser: import only types from src.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript config and build files are in no tsconfig: lint them without type information
    // (the spread's languageOptions turns the project service off; node globals are added to it).
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { console: 'readonly', process: 'readonly' },
    },
  },
);
