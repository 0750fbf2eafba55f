import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../src/core/errors';
import { configErrorEntries } from '../../../src/vscode/config-entries';

describe('config errors as diagnostics', () => {
  it('converts 1-based positions to 0-based and groups by file', () => {
    const entries = configErrorEntries([
      new ConfigError('/u/mcp-config.yaml', 3, 5, 'servers.context7.command', 'Required'),
      new ConfigError('/u/mcp-config.yaml', 1, 1, '', 'bad indentation'),
      new ConfigError('/u/mcp-profiles.yaml', 10, 2, 'profiles.x', 'unknown server'),
    ]);
    assert.deepEqual(entries.get('/u/mcp-config.yaml'), [
      { file: '/u/mcp-config.yaml', line: 2, character: 4, message: 'servers.context7.command: Required' },
      { file: '/u/mcp-config.yaml', line: 0, character: 0, message: 'bad indentation' },
    ]);
    assert.equal(entries.get('/u/mcp-profiles.yaml')?.[0]?.line, 9);
  });

  it('never produces negative positions', () => {
    const entry = configErrorEntries([new ConfigError('/f.yaml', 0, 0, '', 'x')]).get('/f.yaml')?.[0];
    assert.equal(entry?.line, 0);
    assert.equal(entry.character, 0);
  });
});
