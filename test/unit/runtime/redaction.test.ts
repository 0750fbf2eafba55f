import { strict as assert } from 'node:assert';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { MASK, SecretRedactor } from '../../../src/core/redaction';
import { redactingPorts } from '../../../src/core/runtime/redacting-ports';

const stdio = (env: Record<string, string>): ServerDefinition =>
  ({ name: 's', transport: { transport: 'stdio', command: 'x', args: [], env } }) as unknown as ServerDefinition;

describe('SecretRedactor', () => {
  it('masks declared secrets everywhere in a value, longest first', () => {
    const redactor = new SecretRedactor();
    redactor.add('abcd1234');
    redactor.add('abcd1234-long');
    const out = redactor.redactDeep({ lastError: 'failed with abcd1234-long and abcd1234', list: ['abcd1234'], n: 3 });
    assert.deepEqual(out, { lastError: `failed with ${MASK} and ${MASK}`, list: [MASK], n: 3 });
  });

  it('masks credential-looking env values and known token formats, but not flags or short values', () => {
    const redactor = new SecretRedactor();
    redactor.addFromServers([
      stdio({ GITHUB_TOKEN: 'tok-12345678', AUTH_ENABLED: 'true', API_KEY: 'short', PATH: '/usr/bin/xyz' }),
    ]);
    assert.equal(redactor.redact('tok-12345678 true short /usr/bin/xyz'), `${MASK} true short /usr/bin/xyz`);
    assert.equal(redactor.redact(`header Bearer abc.def-ghi and ghp_${'a'.repeat(36)}`), `header ${MASK} and ${MASK}`);
    assert.equal(
      redactor.redactKnown(`ghp_${'a'.repeat(36)}`),
      `ghp_${'a'.repeat(36)}`,
      'answers keep token-like examples',
    );
  });

  it('remembers every secret the host hands out and masks the logs', async () => {
    const redactor = new SecretRedactor();
    const lines: string[] = [];
    const log = (m: string, ...args: unknown[]) =>
      void lines.push([m, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' '));
    const ports = redactingPorts(
      {
        storageDir: '/tmp/x',
        logger: { trace: log, debug: log, info: log, warn: log, error: log },
        serverLogger: () => ({ trace: log, debug: log, info: log, warn: log, error: log }),
        secrets: { get: async () => 'the-secret-value' },
        config: { defaultsDir: '/tmp' },
      },
      redactor,
    );
    assert.equal(await ports.secrets.get('X'), 'the-secret-value');
    ports.logger.warn('start failed: the-secret-value', new Error('stderr: the-secret-value'));
    ports.serverLogger('s').info('echo the-secret-value');
    assert.deepEqual(lines, [`start failed: ${MASK} stderr: ${MASK}`, `echo ${MASK}`]);
  });
});
