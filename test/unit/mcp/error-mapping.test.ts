import { strict as assert } from 'node:assert';
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { McpError } from '../../../src/core/errors';
import { isHealthFailure, toMcpError } from '../../../src/core/mcp/error-mapping';
import { isSessionExpired } from '../../../src/core/mcp/transports';
import { loadClientSdk } from '../../../src/core/mcp/sdk';

describe('toMcpError', () => {
  // The product meets SDK errors only once the SDK has loaded (a connection loads it first).
  before(() => loadClientSdk());

  it('maps SDK errors to our kinds', () => {
    assert.equal(toMcpError(new SdkError(SdkErrorCode.RequestTimeout, 'slow'), 's').kind, 'timeout');
    assert.equal(toMcpError(new SdkError(SdkErrorCode.ConnectionClosed, 'gone'), 's').kind, 'unavailable');
    assert.equal(toMcpError(new SdkError(SdkErrorCode.InvalidResult, 'bad shape'), 's').kind, 'protocol-error');
    assert.equal(
      toMcpError(new ProtocolError(ProtocolErrorCode.MethodNotFound, 'no tool'), 's', 't').kind,
      'protocol-error',
    );
    assert.equal(
      toMcpError(new ProtocolError(ProtocolErrorCode.InternalError, 'fetch failed'), 's').kind,
      'protocol-error',
    );
    assert.equal(toMcpError(new Error('spawn ENOENT'), 's').kind, 'unavailable');
  });

  it('keeps an McpError as it is and records server and tool on new ones', () => {
    const original = new McpError('cancelled', 's', 'stop');
    assert.equal(toMcpError(original, 'other'), original);
    const mapped = toMcpError(new ProtocolError(ProtocolErrorCode.InvalidParams, 'bad'), 'srv', 'tool');
    assert.equal(mapped.server, 'srv');
    assert.equal(mapped.tool, 'tool');
  });

  it('counts only timeouts and unavailability against a server', () => {
    assert.ok(isHealthFailure(new McpError('timeout', 's', '')));
    assert.ok(isHealthFailure(new McpError('unavailable', 's', '')));
    for (const kind of ['tool-error', 'protocol-error', 'upstream-error', 'cancelled'] as const) {
      assert.equal(isHealthFailure(new McpError(kind, 's', '')), false, kind);
    }
  });

  it('recognises an HTTP 404 session error, also when wrapped', () => {
    const http = (status: number) =>
      new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `HTTP ${status}`, { status, statusText: '' });
    const expired = http(404);
    assert.ok(isSessionExpired(expired));
    assert.ok(isSessionExpired(toMcpError(expired, 's')));
    assert.equal(isSessionExpired(http(500)), false);
    assert.equal(toMcpError(http(500), 's').kind, 'protocol-error');
  });
});
