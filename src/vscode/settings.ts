/** Reads the `mcpIntegration.*` settings through VS Code and normalises them (see settings-model.ts). */
import * as vscode from 'vscode';
import { normaliseSettings, SETTINGS_SECTION, type NormalisedSettings } from './settings-model';

export function readSettings(): NormalisedSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return normaliseSettings((key) => config.get<unknown>(key));
}

/** Writes `mcpIntegration.enabled` in the user's settings (only ever on an explicit Enable/Disable). */
export async function setEnabled(enabled: boolean): Promise<void> {
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update('enabled', enabled, vscode.ConfigurationTarget.Global);
}
