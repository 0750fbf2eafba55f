/**
 * The API the extension returns from `activate`: the runtime's `McpIntegrationApi`, delegating to
 * whichever instance is current, so other extensions and tests keep one object across restarts.
 */
import type { McpIntegrationApi } from '../core/api';
import type { RuntimeHost } from './runtime-host';
import type { AnswerView } from '../../media/src/lib/protocol';
import type { ChatActivity } from './chat/participant';

/** What tests (and curious extensions) can read besides the runtime API. */
export interface ExtensionTestingHooks {
  /** The answer the panel shows last, if any. */
  lastAnswer(): AnswerView | undefined;
  /** The status bar item's current text. */
  statusText(): string | undefined;
  /** Whether the @mcp participant registered, and the chat requests it answered. */
  chatActivity(): ChatActivity;
  /** The tool-set version the "MCP Integration" server definition carries now. */
  agentToolsVersion(): string | undefined;
  /** Resolves once the first runtime instance has started (or rejects if it could not). */
  ready(): Promise<void>;
}

export interface McpIntegrationExtensionApi extends McpIntegrationApi {
  readonly testing: ExtensionTestingHooks;
}

/** What the facade needs of the runtime host (a narrow view, so it can be checked without VS Code). */
export type FacadeHost = Pick<RuntimeHost, 'get' | 'current' | 'onEvent' | 'stop'>;

export function createApiFacade(host: FacadeHost, testing: ExtensionTestingHooks): McpIntegrationExtensionApi {
  const runtime = (): Promise<McpIntegrationApi> => host.get();
  const running = (): McpIntegrationApi => {
    const current = host.current();
    if (!current) throw new Error('MCP Integration is not running yet.');
    return current;
  };
  return {
    testing,
    lookup: async (query, options) => (await runtime()).lookup(query, options),
    classify: (query, context) => host.current()?.classify(query, context) ?? [],
    store: async (key, value, options) => (await runtime()).store(key, value, options),
    errorSignature: (diagnostic) => running().errorSignature(diagnostic),
    findFix: async (diagnostic, signal) => (await runtime()).findFix(diagnostic, signal),
    rememberFix: async (diagnostic, solution, edit) => (await runtime()).rememberFix(diagnostic, solution, edit),
    recordFixOutcome: async (diagnostic, fix, worked) => (await runtime()).recordFixOutcome(diagnostic, fix, worked),
    get gateway() {
      return host.current()?.gateway;
    },
    openDocument: async (document) => (await runtime()).openDocument(document),
    editDocument: async (uri, changes, newText) => (await runtime()).editDocument(uri, changes, newText),
    closeDocument: (uri) => host.current()?.closeDocument(uri),
    getDetection: (uri) => host.current()?.getDetection(uri),
    cursorContext: (uri, offset) => host.current()?.cursorContext(uri, offset),
    cachedDocsFor: (libraryId) => host.current()?.cachedDocsFor(libraryId) ?? null,
    cachedMemberDocs: (libraryId, member) => host.current()?.cachedMemberDocs(libraryId, member) ?? null,
    preloadForCommand: async (command, options) => (await runtime()).preloadForCommand(command, options),
    preloadDocument: async (uri, options) => (await runtime()).preloadDocument(uri, options),
    preloadWorkspace: async (dir, options) => (await runtime()).preloadWorkspace(dir, options),
    getDashboardData: () => running().getDashboardData(),
    getServerStatuses: () => host.current()?.getServerStatuses() ?? [],
    exportMetrics: async (path, format) => (await runtime()).exportMetrics(path, format),
    metricsText: async (format) => (await runtime()).metricsText(format),
    clearCache: async () => (await runtime()).clearCache(),
    restartServers: async () => (await runtime()).restartServers(),
    listProfiles: () => host.current()?.listProfiles() ?? [],
    get activeProfile(): string {
      return host.current()?.activeProfile ?? '';
    },
    selectProfile: async (name) => (await runtime()).selectProfile(name),
    get configErrors() {
      return host.current()?.configErrors ?? [];
    },
    reloadConfig: async () => (await runtime()).reloadConfig(),
    updateSettings: (settings) => host.current()?.updateSettings(settings),
    onEvent: (listener) => host.onEvent(listener),
    shutdown: () => host.stop(),
  };
}
