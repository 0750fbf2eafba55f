import { strict as assert } from 'node:assert';
import {
  classifyChange,
  DEFAULT_SETTINGS,
  isLogLevelEnabled,
  normaliseSettings,
} from '../../../src/vscode/settings-model';

describe('settings normalisation', () => {
  it('uses the defaults when nothing is set', () => {
    const { settings, warnings } = normaliseSettings(() => undefined);
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(warnings, []);
  });

  it('takes valid values', () => {
    const raw: Record<string, unknown> = {
      enabled: false,
      rolloutPercent: 20,
      'hierarchy.mode': 'hedged',
      'preload.strategy': 'aggressive',
      'preload.concurrency': 4,
      logLevel: 'debug',
      configDirectory: ' /cfg ',
    };
    const { settings, warnings } = normaliseSettings((key) => raw[key]);
    assert.equal(settings.runtime.enabled, false);
    assert.equal(settings.runtime.rolloutPercent, 20);
    assert.equal(settings.runtime.hierarchyMode, 'hedged');
    assert.equal(settings.runtime.preloadStrategy, 'aggressive');
    assert.equal(settings.runtime.preloadConcurrency, 4);
    assert.equal(settings.logLevel, 'debug');
    assert.equal(settings.configDirectory, '/cfg');
    assert.deepEqual(warnings, []);
  });

  it('falls back to defaults on bad values and says which', () => {
    const raw: Record<string, unknown> = {
      rolloutPercent: 150,
      'hierarchy.mode': 'random',
      'preload.concurrency': 2.5,
      enabled: 'yes',
    };
    const { settings, warnings } = normaliseSettings((key) => raw[key]);
    assert.equal(settings.runtime.rolloutPercent, 100);
    assert.equal(settings.runtime.hierarchyMode, 'sequential');
    assert.equal(settings.runtime.preloadConcurrency, 2);
    assert.equal(settings.runtime.enabled, true);
    assert.equal(warnings.length, 4);
    assert.ok(warnings.some((w) => w.startsWith('mcpIntegration.rolloutPercent')));
  });

  it('sorts changes into live and restart', () => {
    assert.equal(
      classifyChange((key) => key === 'mcpIntegration' || key === 'mcpIntegration.configDirectory'),
      'restart',
    );
    assert.equal(
      classifyChange((key) => key === 'mcpIntegration' || key === 'mcpIntegration.preload.strategy'),
      'live',
    );
    assert.equal(
      classifyChange(() => false),
      'none',
    );
  });

  it('filters log levels by threshold', () => {
    assert.ok(isLogLevelEnabled('info', 'warn'));
    assert.ok(isLogLevelEnabled('info', 'info'));
    assert.equal(isLogLevelEnabled('info', 'debug'), false);
  });
});
