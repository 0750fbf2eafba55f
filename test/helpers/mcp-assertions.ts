/** Small helpers for tests that drive a ConnectionPool. */
import { strict as assert } from 'node:assert';
import type { ConnectionPool } from '../../src/core/mcp/connection-pool';
import type { CallToolResult, ServerStatus } from '../../src/core/mcp/types';
import { waitFor } from './wait';

/** The concatenated text content of a tool result. */
export function toolText(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

/** The status of one server (fails the test when the pool has no such server). */
export function statusOf(pool: ConnectionPool, name: string): ServerStatus {
  const found = pool.statuses().find((s) => s.name === name);
  assert.ok(found, `status for ${name}`);
  return found;
}

/** Polls until `check()` holds; fails the test after `timeoutMs` (default 5000). */
export async function until(check: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  await waitFor(check, { what, timeoutMs, intervalMs: 20 });
}
