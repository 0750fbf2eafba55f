import { strict as assert } from 'node:assert';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import { McpError } from '../../../src/core/errors';
import { isHealthFailure, toMcpError } from '../../../src/core/mcp/error-mapping';
import { isSessionExpired } from '../../../src/core/mcp/transports';

describe('toMcpError', () => {
  it('maps SDK errors to our kinds', () => {
    assert.equal(toMcpError(new SdkMcpError(ErrorCode.RequestTimeout, 'slow'), 's').kind, 'timeout');
    assert.equal(toMcpError(new SdkMcpError(ErrorCode.ConnectionClosed, 'gone'), 's').kind, 'unavailable');
    assert.equal(toMcpError(new SdkMcpError(ErrorCode.MethodNotFound, 'no tool'), 's', 't').kind, 'protocol-error');
    assert.equal(toMcpError(new SdkMcpError(ErrorCode.InternalError, 'fetch failed'), 's').kind, 'protocol-error');
    assert.equal(toMcpError(new Error('spawn ENOENT'), 's').kind, 'unavailable');
  });

  it('keeps an McpError as it is and records server and tool on new ones', () => {
    const original = new McpError('cancelled', 's', 'stop');
    assert.equal(toMcpError(original, 'other'), original);
    const mapped = toMcpError(new SdkMcpError(ErrorCode.InvalidParams, 'bad'), 'srv', 'tool');
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
    const expired = new StreamableHTTPError(404, 'Session not found');
    assert.ok(isSessionExpired(expired));
    assert.ok(isSessionExpired(toMcpError(expired, 's')));
    assert.equal(isSessionExpired(new StreamableHTTPError(500, 'oops')), false);
  });
});
