/**
 * Host and Origin checks for the address `serve --http` binds, built from the SDK's guards in
 * `@modelcontextprotocol/node` (DNS rebinding protection), never hand-written. A loopback bind
 * accepts the loopback names; another address accepts itself plus `--allowed-host` names; a
 * wildcard bind (0.0.0.0, ::) has no name of its own, so it needs `--allowed-host`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import {
  hostHeaderValidation,
  localhostHostValidation,
  localhostOriginValidation,
  originValidation,
} from '@modelcontextprotocol/node';

export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface BindGuards {
  /** Answers 403 and returns false for a foreign `Host`. */
  host: RequestGuard;
  /** Answers 403 and returns false for a foreign `Origin` (requests without one pass). */
  origin: RequestGuard;
  /** The hostnames accepted, for the startup message and errors. */
  allowed: string[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const WILDCARD = new Set(['0.0.0.0', '::']);

/** How a hostname appears in a `Host` header (IPv6 in brackets). */
export function hostnameForHeader(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

export function isLoopbackBind(address: string): boolean {
  return LOOPBACK.has(address) || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** The guards for `bindAddress`; throws a clear error for a wildcard bind without allowed hosts. */
export function guardsFor(bindAddress: string, extraHosts: readonly string[] = []): BindGuards {
  const extra = extraHosts.map(hostnameForHeader);
  if (isLoopbackBind(bindAddress) && extra.length === 0) {
    return {
      host: localhostHostValidation(),
      origin: localhostOriginValidation(),
      allowed: ['localhost', '127.0.0.1', '[::1]'],
    };
  }
  if (WILDCARD.has(bindAddress) && extra.length === 0) {
    throw new Error(
      `binding ${bindAddress} accepts connections on every interface, but no Host name is allowed; name the hosts clients use with --allowed-host`,
    );
  }
  const allowed = [
    ...new Set([
      ...(WILDCARD.has(bindAddress) ? [] : [hostnameForHeader(bindAddress)]),
      ...(isLoopbackBind(bindAddress) ? ['localhost', '127.0.0.1', '[::1]'] : []),
      ...extra,
    ]),
  ];
  return { host: hostHeaderValidation(allowed), origin: originValidation(allowed), allowed };
}
