import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DETECTED_LANGUAGES } from '../../../src/vscode/languages';
import { DEFAULT_SETTINGS, SETTINGS_SECTION } from '../../../src/vscode/settings-model';

const root = path.resolve(__dirname, '../../..');
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: {
      properties: Record<string, { default: unknown; description?: string; markdownDescription?: string }>;
    };
    yamlValidation: { fileMatch: string; url: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('extension manifest', () => {
  it('activates on exactly the languages that have grammars, plus the dashboard and MCP files', () => {
    const languages = manifest.activationEvents
      .filter((e) => e.startsWith('onLanguage:'))
      .map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual([...languages].sort(), [...DETECTED_LANGUAGES].sort());
    for (const event of [
      'onWebviewPanel:mcpIntegration.dashboard',
      'workspaceContains:.vscode/mcp.json',
      'workspaceContains:.mcp.json',
    ])
      assert.ok(manifest.activationEvents.includes(event), event);
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('contributes the agent server definition provider, active once startup has finished', () => {
    const contributes = manifest.contributes as unknown as {
      mcpServerDefinitionProviders?: Array<{ id: string; label: string }>;
    };
    assert.deepEqual(contributes.mcpServerDefinitionProviders, [
      { id: 'mcpIntegration.gateway', label: 'MCP Integration' },
    ]);
    // VS Code lists a provider's servers only once its extension is active (a fresh profile has
    // no cached collection), so agent mode must not wait for a supported file to be opened.
    assert.ok(manifest.activationEvents.includes('onStartupFinished'));
  });

  it('puts every command in the MCP category and every menu entry on a contributed command', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'MCP', command.command);
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(ids.has(entry.command), `${menu}: ${entry.command}`);
    }
  });

  it('shows only one of Enable and Disable', () => {
    const palette = manifest.contributes.menus.commandPalette ?? [];
    assert.equal(palette.find((e) => e.command === 'mcpIntegration.enable')?.when, '!config.mcpIntegration.enabled');
    assert.equal(palette.find((e) => e.command === 'mcpIntegration.disable')?.when, 'config.mcpIntegration.enabled');
  });

  it('declares defaults matching the settings model, with descriptions', () => {
    const props = manifest.contributes.configuration.properties;
    const expected: Record<string, unknown> = {
      enabled: DEFAULT_SETTINGS.runtime.enabled,
      rolloutPercent: DEFAULT_SETTINGS.runtime.rolloutPercent,
      'hierarchy.mode': DEFAULT_SETTINGS.runtime.hierarchyMode,
      'preload.strategy': DEFAULT_SETTINGS.runtime.preloadStrategy,
      'preload.callsPerMinute': DEFAULT_SETTINGS.runtime.preloadCallsPerMinute,
      'preload.costBudgetUsd': DEFAULT_SETTINGS.runtime.preloadCostBudgetUsd,
      'preload.concurrency': DEFAULT_SETTINGS.runtime.preloadConcurrency,
      configDirectory: DEFAULT_SETTINGS.configDirectory,
      workspaceConfigPath: DEFAULT_SETTINGS.workspaceConfigPath,
      'statusBar.enabled': DEFAULT_SETTINGS.statusBarEnabled,
      logLevel: DEFAULT_SETTINGS.logLevel,
    };
    for (const [key, value] of Object.entries(expected)) {
      const prop = props[`${SETTINGS_SECTION}.${key}`];
      assert.ok(prop, key);
      assert.deepEqual(prop.default, value, key);
      assert.ok(prop.description ?? prop.markdownDescription, `${key} has a description`);
    }
  });

  it('restricts the settings that choose where server commands come from', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'mcpIntegration.configDirectory',
      'mcpIntegration.workspaceConfigPath',
    ]);
  });

  it('validates the three YAML files with the generated schemas', () => {
    const files = manifest.contributes.yamlValidation.map((v) => v.fileMatch).sort();
    assert.deepEqual(files, ['library-cache.yaml', 'mcp-config.yaml', 'mcp-profiles.yaml']);
    for (const v of manifest.contributes.yamlValidation) assert.match(v.url, /^\.\/schemas\/[a-z-]+\.schema\.json$/);
  });

  it('has the webview skeleton styles and icon it refers to', () => {
    for (const file of ['media/icon.png', 'media/webview.css', 'media/dashboard.css', 'LICENSE'])
      assert.ok(existsSync(path.join(root, file)), file);
  });
});
