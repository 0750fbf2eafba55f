/**
 * Single-flight: concurrent identical requests share one execution. Each caller may leave early
 * with its own AbortSignal; the shared work is aborted only when the last caller has left. A flight
 * is forgotten the moment it settles (fulfilled or rejected), so no result, and above all no
 * failure, is remembered beyond the flight itself.
 */
import { Cancellation } from './cancellation';

export type FlightOutcome<T> =
  { status: 'done'; value: T } | { status: 'failed'; error: unknown } | { status: 'cancelled' };

export interface FlightTicket<T, S> {
  outcome: Promise<FlightOutcome<T>>;
  /** The flight's shared state (e.g. its live trail), for a caller that leaves early. */
  state: S;
  /** True when this caller joined a flight someone else started. */
  joined: boolean;
}

interface Flight<T, S> {
  cancellation: Cancellation;
  waiters: number;
  promise: Promise<T>;
  state: S;
}

export class SingleFlight<T, S> {
  private readonly flights = new Map<string, Flight<T, S>>();

  /** Number of flights under way. */
  get size(): number {
    return this.flights.size;
  }

  /**
   * Joins the flight for `key`, starting it with `start` when there is none. `start` receives the
   * flight's own cancellation (aborted when every caller has left) and returns its promise and state.
   */
  join(
    key: string,
    start: (cancellation: Cancellation) => { promise: Promise<T>; state: S },
    signal?: AbortSignal,
  ): FlightTicket<T, S> {
    let flight = this.flights.get(key);
    const joined = flight !== undefined;
    if (!flight) {
      const cancellation = new Cancellation();
      const started = start(cancellation);
      const created: Flight<T, S> = { cancellation, waiters: 0, promise: started.promise, state: started.state };
      const forget = (): void => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      };
      created.promise.then(forget, forget);
      this.flights.set(key, created);
      flight = created;
    }
    const current = flight;
    current.waiters++;
    const outcome = new Promise<FlightOutcome<T>>((resolve) => {
      let left = false;
      const leave = (): void => {
        if (left) return;
        left = true;
        current.waiters--;
        if (current.waiters === 0) {
          if (this.flights.get(key) === current) this.flights.delete(key);
          current.cancellation.abort(typeof signal?.reason === 'string' ? signal.reason : 'cancelled by the caller');
        }
        resolve({ status: 'cancelled' });
      };
      if (signal?.aborted) {
        leave();
        return;
      }
      signal?.addEventListener('abort', leave, { once: true });
      current.promise.then(
        (value) => {
          signal?.removeEventListener('abort', leave);
          if (!left) resolve({ status: 'done', value });
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', leave);
          if (!left) resolve({ status: 'failed', error });
        },
      );
    });
    return { outcome, state: current.state, joined };
  }

  /** Aborts every flight (shutdown). */
  abortAll(reason: string): void {
    for (const flight of this.flights.values()) flight.cancellation.abort(reason);
    this.flights.clear();
  }
}
