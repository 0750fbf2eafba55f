/**
 * Bounds the TCP connections a stranger can hold open on `serve --http` without ever evicting an
 * authenticated client. A connection is "unproven" until one of its requests passes the Host,
 * Origin, token and content checks; only unproven connections count against the cap, and the
 * oldest unproven one is closed when a new one would exceed it. Proven connections are never
 * closed by the guard, so a flood of refused or idle connections cannot push a client out.
 */
import type { Socket } from 'node:net';

export class ConnectionGuard {
  /** Insertion-ordered, so the first entry is the oldest. */
  private readonly unproven = new Set<Socket>();
  private closedByGuard = 0;

  constructor(private readonly maxUnproven: number) {}

  /** A new connection: counted until it proves itself; the oldest unproven goes when over the cap. */
  accept(socket: Socket): void {
    this.unproven.add(socket);
    socket.once('close', () => this.unproven.delete(socket));
    while (this.unproven.size > this.maxUnproven) {
      const oldest = this.unproven.values().next().value;
      if (!oldest) break;
      this.unproven.delete(oldest);
      this.closedByGuard += 1;
      oldest.destroy();
    }
  }

  /** The connection carried a request that passed every check: it is no longer the guard's to close. */
  prove(socket: Socket): void {
    this.unproven.delete(socket);
  }

  get unprovenCount(): number {
    return this.unproven.size;
  }

  /** How many unproven connections the cap has closed so far. */
  get closedCount(): number {
    return this.closedByGuard;
  }
}
