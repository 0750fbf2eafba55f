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
    assert.equal(toMcpError(new SdkError(SdkErrorCode.RequestTimeout, 'slow'), { server: 's' }).kind, 'timeout');
    assert.equal(toMcpError(new SdkError(SdkErrorCode.ConnectionClosed, 'gone'), { server: 's' }).kind, 'unavailable');
    assert.equal(
      toMcpError(new SdkError(SdkErrorCode.InvalidResult, 'bad shape'), { server: 's' }).kind,
      'protocol-error',
    );
    assert.equal(
      toMcpError(new ProtocolError(ProtocolErrorCode.MethodNotFound, 'no tool'), { server: 's', tool: 't' }).kind,
      'protocol-error',
    );
    assert.equal(
      toMcpError(new ProtocolError(ProtocolErrorCode.InternalError, 'fetch failed'), { server: 's' }).kind,
      'protocol-error',
    );
    assert.equal(toMcpError(new Error('spawn ENOENT'), { server: 's' }).kind, 'unavailable');
  });

  it('keeps an McpError as it is and records server and tool on new ones', () => {
    const original = new McpError('cancelled', 's', 'stop');
    assert.equal(toMcpError(original, { server: 'other' }), original);
    const mapped = toMcpError(new ProtocolError(ProtocolErrorCode.InvalidParams, 'bad'), {
      server: 'srv',
      tool: 'tool',
    });
    assert.equal(mapped.server, 'srv');
    assert.equal(mapped.tool, 'tool');
  });

  it('maps a thrown JSON-RPC internal error (github offline) to protocol-error, naming the tool', () => {
    const error = toMcpError(new ProtocolError(ProtocolErrorCode.InternalError, 'fetch failed'), {
      server: 'github',
      tool: 'search_issues',
    });
    assert.equal(error.kind, 'protocol-error');
    assert.match(error.message, /^search_issues: .*fetch failed/);
  });

  it('names the server first when the server itself is the problem', () => {
    assert.equal(toMcpError(new Error('Not connected'), { server: 's', tool: 't' }).message, 's: t: Not connected');
    assert.match(
      toMcpError(new SdkError(SdkErrorCode.ConnectionClosed, 'gone'), { server: 's', tool: 't' }).message,
      /^s: connection closed \(.*gone\)$/,
    );
  });

  it("says cancelled when the caller's signal was aborted, whatever was thrown", () => {
    const controller = new AbortController();
    controller.abort();
    const error = toMcpError(new SdkError(SdkErrorCode.RequestTimeout, 'AbortError'), {
      server: 's',
      tool: 't',
      signal: controller.signal,
    });
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.message, 't: cancelled');
  });

  it('keeps at most 500 characters of a thrown message', () => {
    const error = toMcpError(new Error('x'.repeat(2000)), { server: 's' });
    assert.equal(error.message, `s: ${'x'.repeat(500)}…`);
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
    assert.ok(isSessionExpired(toMcpError(expired, { server: 's' })));
    assert.equal(isSessionExpired(http(500)), false);
    assert.equal(toMcpError(http(500), { server: 's' }).kind, 'protocol-error');
  });
});
