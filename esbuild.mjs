// Builds the three bundles (extension host, CLI, webview scripts) and copies the tree-sitter wasm
// files next to them. `--watch` rebuilds on change; `--production` minifies without source maps.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// esbuild turns `import.meta.url` into `{}` in cjs output without a warning; web-tree-sitter needs a
// real file URL to find its wasm, so every node bundle defines one from __filename.
const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
  // DDSketch requires protobufjs lazily, only for its protobuf serialisation, which we never use.
  external: ['protobufjs/minimal'],
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
  // The wasm lookup falls back to require.resolve only when run from source, never from a bundle.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

const builds = [
  {
    ...nodeCommon,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', ...nodeCommon.external],
  },
  {
    ...nodeCommon,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node\n' + nodeCommon.banner.js },
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
    entryPoints: existsSync('media/src')
      ? readdirSync('media/src')
          .filter((f) => f.endsWith('.ts'))
          .map((f) => `media/src/${f}`)
      : [],
    outdir: 'media/dist',
  },
].filter((b) => b.entryPoints.length > 0 && b.entryPoints.every((e) => existsSync(e)));

/** The grammars import detection has queries for (src/core/detection/languages); the package ships more. */
const GRAMMARS = ['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'cpp', 'c-sharp', 'ruby', 'php'];

/** Copies the tree-sitter runtime and grammar wasm files to dist/wasm, where the bundles look. */
function copyWasm() {
  const out = 'dist/wasm';
  mkdirSync(out, { recursive: true });
  const runtimeWasm = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
  cpSync(runtimeWasm, path.join(out, 'web-tree-sitter.wasm'));
  const grammarDir = path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  for (const grammar of GRAMMARS)
    cpSync(path.join(grammarDir, `tree-sitter-${grammar}.wasm`), path.join(out, `tree-sitter-${grammar}.wasm`));
}

copyWasm();
if (watch) {
  for (const options of builds) (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
