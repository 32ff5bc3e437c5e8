/** Which requests a fault applies to; unset fields match everything. */
export interface RequestMatcher {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** A substring of the path below `/api/v10`, e.g. `/channels/` or `/callback`. */
  routeIncludes?: string;
  /** How many matching requests the fault affects (default 1). */
  count?: number;
}

/** A 429 to answer with, as `sandbox.rateLimitNext()` takes it. */
export interface RateLimitFault extends RequestMatcher {
  retryAfterMs: number;
  /** Sets `X-RateLimit-Global: true` and scope `global`. */
  global?: boolean;
  /** `X-RateLimit-Scope`; default `user`, or `global` when `global` is set. */
  scope?: 'user' | 'global' | 'shared';
}

/** A server error to answer with, as `sandbox.failNext()` takes it. */
export interface FailureFault extends RequestMatcher {
  /** 5xx status (or any status a test needs). */
  status: number;
  /** Response body; defaults to Discord's `{ message, code: 0 }`. */
  body?: unknown;
}

/** A fault chosen for a request. */
export type InjectedFault = ({ kind: 'rateLimit' } & RateLimitFault) | ({ kind: 'failure' } & FailureFault);

interface Pending {
  fault: InjectedFault;
  remaining: number;
}

/** Queue of on-demand faults; the oldest matching fault wins. */
export class FaultInjector {
  readonly #pending: Pending[] = [];

  /** Queues a 429 for the next matching request(s). */
  public rateLimitNext(fault: RateLimitFault): void {
    this.#pending.push({ fault: { kind: 'rateLimit', ...fault }, remaining: fault.count ?? 1 });
  }

  /** Queues an error status for the next matching request(s). */
  public failNext(fault: FailureFault): void {
    this.#pending.push({ fault: { kind: 'failure', ...fault }, remaining: fault.count ?? 1 });
  }

  /** Takes the fault for this request, if any, consuming one of its uses. */
  public take(method: string, path: string): InjectedFault | undefined {
    const index = this.#pending.findIndex(
      ({ fault }) =>
        (fault.method === undefined || fault.method.toUpperCase() === method) &&
        (fault.routeIncludes === undefined || path.includes(fault.routeIncludes)),
    );
    if (index < 0) return undefined;
    const pending = this.#pending[index]!;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.#pending.splice(index, 1);
    return pending.fault;
  }

  /** Faults still queued. */
  public get pendingCount(): number {
    return this.#pending.length;
  }

  /** Drops every queued fault. */
  public clear(): void {
    this.#pending.length = 0;
  }
}
