/** The MCP connection layer: what the runtime and hosts use. */
export { ConnectionPool } from './connection-pool';
export type { CallCompleteEvent, ConnectionPoolOptions } from './connection-pool';
export type { BackoffOptions } from './backoff';
export type { CircuitBreakerOptions } from './circuit-breaker';
export { definitionHash } from './tool-list-cache';
export * from './types';
