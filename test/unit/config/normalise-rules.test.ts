import { strict as assert } from 'node:assert';
import type { ConfigPath } from '../../../src/core/config/locate';
import { mcpConfigSchema } from '../../../src/core/config/mcp-config-schema';
import { normaliseMcpConfig, type NormaliseContext } from '../../../src/core/config/normalise';

/** Records every path located, so a test sees exactly which entry was looked up. */
function recordingContext(): NormaliseContext & { located: ConfigPath[] } {
  const located: ConfigPath[] = [];
  return {
    located,
    locate: (path: ConfigPath) => {
      located.push(path);
      return { file: 'mcp-config.yaml', line: located.length, column: 1 };
    },
    layerOf: () => undefined,
  };
}

describe('config/normalise: gateway rules and trigger locations', () => {
  it('maps gateway tool rules to their typed form, leaving out what a rule does not say', () => {
    const file = mcpConfigSchema.parse({
      gateway: {
        tools: [
          {
            server: 'docs',
            tool: 'query',
            cacheable: true,
            key_args: ['q'],
            case_insensitive_args: ['q'],
            ttl_seconds: 5,
            shared_key: 'library_docs',
            invalidates: false,
          },
          { kind: 'github', tool: 'create_issue' },
        ],
      },
    });
    assert.deepEqual(normaliseMcpConfig(file, recordingContext()).gateway.tools, [
      {
        server: 'docs',
        tool: 'query',
        cacheable: true,
        keyArgs: ['q'],
        caseInsensitiveArgs: ['q'],
        ttlSeconds: 5,
        sharedKey: 'library_docs',
        invalidates: false,
      },
      { kind: 'github', tool: 'create_issue', caseInsensitiveArgs: [] },
    ]);
  });

  it('locates each trigger by its full path', () => {
    const file = mcpConfigSchema.parse({
      smart_triggers: {
        patterns: [
          { pattern: 'a', mcp: 'x', type: 't', confidence: 0.5 },
          { pattern: 'b', mcp: 'x', type: 't', confidence: 0.5 },
        ],
      },
    });
    const context = recordingContext();
    const patterns = normaliseMcpConfig(file, context).smartTriggers.patterns;
    assert.deepEqual(context.located, [
      ['smart_triggers', 'patterns', 0],
      ['smart_triggers', 'patterns', 1],
    ]);
    assert.deepEqual(
      patterns.map((p) => p.location?.line),
      [1, 2],
    );
  });
});
