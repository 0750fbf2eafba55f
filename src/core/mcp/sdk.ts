/**
 * The MCP client SDK, loaded on first use rather than with the bundle. A host evaluates its whole
 * bundle when it starts (the extension on activation), and evaluating the SDK builds hundreds of
 * protocol schemas (≈ 0.2 s on a busy machine) that nothing needs before the first server starts.
 * esbuild turns this dynamic `import()` into a lazily evaluated module of the same bundle; modules
 * that only need the SDK's types use `import type`, which costs nothing at run time.
 */
import type * as ClientModule from '@modelcontextprotocol/client';
import type * as StdioModule from '@modelcontextprotocol/client/stdio';

export type ClientSdk = typeof ClientModule & typeof StdioModule;

let loaded: ClientSdk | undefined;
let loading: Promise<ClientSdk> | undefined;

/** Loads the SDK once; every caller gets the same modules. */
export function loadClientSdk(): Promise<ClientSdk> {
  return (loading ??= Promise.all([
    import('@modelcontextprotocol/client'),
    import('@modelcontextprotocol/client/stdio'),
  ]).then(([client, stdio]) => {
    // The package ships the same declarations for its ESM build (which `import()` loads) and its
    // CommonJS one (which the rest of this CommonJS project types against); TypeScript sees two.
    loaded = { ...client, ...stdio } as unknown as ClientSdk;
    return loaded;
  }));
}

/**
 * The SDK if something has loaded it. An error can only be one of the SDK's once the SDK is loaded,
 * so code that classifies errors uses this and needs no `await`.
 */
export function loadedClientSdk(): ClientSdk | undefined {
  return loaded;
}
