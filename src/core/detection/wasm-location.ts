/**
 * Where the tree-sitter runtime and grammar wasm files live: `dist/wasm` next to the bundle in a
 * build (esbuild.mjs copies them there), the npm packages when running from source.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface WasmLocation {
  /** Absolute path of `web-tree-sitter.wasm`. */
  runtimeWasm: string;
  /** Folder holding `tree-sitter-<grammar>.wasm`. */
  grammarDir: string;
}

const RUNTIME_FILE = 'web-tree-sitter.wasm';

/** Uses `wasmDir` when given (it must hold the runtime and the grammars), else finds the default. */
export function resolveWasmLocation(wasmDir?: string): WasmLocation {
  if (wasmDir) return { runtimeWasm: path.join(wasmDir, RUNTIME_FILE), grammarDir: wasmDir };
  const bundled = path.join(__dirname, 'wasm');
  if (existsSync(path.join(bundled, RUNTIME_FILE)))
    return { runtimeWasm: path.join(bundled, RUNTIME_FILE), grammarDir: bundled };
  return {
    runtimeWasm: require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    grammarDir: path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'),
  };
}
