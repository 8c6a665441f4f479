import type http from 'node:http';

/** Faults an HTTP simulator can switch on, as agencies' real systems show them. */
export interface HttpFaults {
  /** Every Nth request answers 500. */
  serverErrorEvery?: number;
  /** Every Nth request answers 429 with `Retry-After` (seconds). */
  rateLimitEvery?: number;
  retryAfterSeconds?: number;
  /** Every response is delayed this long (a connector with a shorter timeout sees a timeout). */
  delayMs?: number;
  /** The next N requests answer 500: the system is down for a moment. */
  outage?: number;
}

/** What a simulator served, for tests to see that a fault actually happened. */
export interface ServedCounts {
  ok: number;
  serverErrors: number;
  rateLimited: number;
}

/**
 * The fault switchboard shared by the HTTP simulators: `apply` runs before a request is answered
 * and answers it itself (500 or 429) when a fault is due.
 */
export class FaultSwitch {
  private current: HttpFaults = {};
  private outageLeft = 0;
  readonly served: ServedCounts = { ok: 0, serverErrors: 0, rateLimited: 0 };
  private requests = 0;

  get faults(): HttpFaults {
    return this.current;
  }

  set faults(next: HttpFaults) {
    this.current = next;
    this.outageLeft = next.outage ?? 0;
  }

  /** True when the request was answered with a fault and must not be served. */
  async apply(res: http.ServerResponse): Promise<boolean> {
    this.requests += 1;
    const { faults } = this;
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    const answer = (status: number, headers: Record<string, string>) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ error: status === 429 ? 'slow down' : 'internal error' }));
      return true;
    };
    if (this.outageLeft > 0 || (faults.serverErrorEvery && this.requests % faults.serverErrorEvery === 0)) {
      this.outageLeft = Math.max(0, this.outageLeft - 1);
      this.served.serverErrors += 1;
      return answer(500, {});
    }
    if (faults.rateLimitEvery && this.requests % faults.rateLimitEvery === 0) {
      this.served.rateLimited += 1;
      return answer(429, { 'retry-after': String(faults.retryAfterSeconds ?? 1) });
    }
    this.served.ok += 1;
    return false;
  }
}
