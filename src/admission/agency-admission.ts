import { RateLimitError } from '../errors';
import { ConcurrencyGate } from './concurrency-gate';
import type { SharedRateLimits } from './shared-rate-limits';
import { TokenBucket, type RateLimit } from './token-bucket';

/** Requests that may wait for each of an agency's request slots. */
const WAITING_PER_SLOT = 32;

export interface AdmissionLimits {
  /** Requests of one agency in flight at once. */
  agencyMaxRequests: number;
  /** Read statements of one agency running at once on the read pool. */
  agencyMaxStatements: number;
  /** How long a request over its agency's limit waits for a slot before it is refused. */
  agencyQueueWaitMs: number;
}

/** What an admitted request holds: its agency's statement gate, and how to give its slot back. */
export interface Admission {
  statements: ConcurrencyGate;
  release(): void;
}

/**
 * Shares the hub between agencies: each agency has its own request slots and read-statement
 * slots (so one agency's queue never holds another's requests), and each agreement with a
 * `rateLimit` its own token bucket. A request over a limit is refused with `RateLimitError`
 * (429 and `Retry-After` at the HTTP edge) before it reaches GraphQL or the database.
 */
export class AgencyAdmission {
  private readonly requests = new Map<string, ConcurrencyGate>();
  private readonly statements = new Map<string, ConcurrencyGate>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: AdmissionLimits,
    /** The buckets every instance shares (`SharedRateLimits`); absent, this instance's own, in memory. */
    private readonly shared: Pick<SharedRateLimits, 'take' | 'refund'> | null = null,
  ) {}

  /**
   * Admits one request of `agency`, charged to each of `rateLimited` (the agreements covering the
   * caller that declare a rate limit). Resolves once a request slot is free; refuses when a
   * bucket is empty or no slot frees within the wait.
   */
  async admit(agency: string, rateLimited: ReadonlyArray<{ id: string; rateLimit: RateLimit }>, now = Date.now()): Promise<Admission> {
    const taken: Array<{ id: string; rateLimit: RateLimit }> = [];
    for (const { id, rateLimit } of rateLimited) {
      const wait = this.shared ? await this.shared.take(id, rateLimit) : this.bucketOf(id, rateLimit, now).take(now);
      if (wait === 0) taken.push({ id, rateLimit });
      else {
        // A refused request costs none of its agreements anything: the tokens taken before the refusal go back.
        for (const t of taken) await (this.shared ? this.shared.refund(t.id, t.rateLimit) : this.bucketOf(t.id, t.rateLimit, now).refund());
        throw new RateLimitError(
          'rateLimit',
          Math.max(1, Math.ceil(wait)),
          `Agreement ${id} allows ${rateLimit.requestsPerSecond} requests per second (bursts of ${rateLimit.burst}); try again shortly`,
        );
      }
    }
    // A flood need not wait to be refused: a few times the slots may queue, the rest are refused at once.
    const gate = this.gateOf(this.requests, agency, this.limits.agencyMaxRequests, WAITING_PER_SLOT * this.limits.agencyMaxRequests);
    const release = await gate.acquire(this.limits.agencyQueueWaitMs);
    if (!release) {
      throw new RateLimitError(
        'agencyConcurrency',
        Math.max(1, Math.ceil(this.limits.agencyQueueWaitMs / 1000)),
        `${agency} already has ${this.limits.agencyMaxRequests} requests in progress; try again shortly`,
      );
    }
    return { statements: this.gateOf(this.statements, agency, this.limits.agencyMaxStatements), release };
  }

  private bucketOf(id: string, rateLimit: RateLimit, now: number): TokenBucket {
    let bucket = this.buckets.get(id);
    if (!bucket) this.buckets.set(id, (bucket = new TokenBucket(rateLimit, now)));
    return bucket;
  }

  private gateOf(gates: Map<string, ConcurrencyGate>, agency: string, limit: number, maxWaiting?: number): ConcurrencyGate {
    let gate = gates.get(agency);
    if (!gate) gates.set(agency, (gate = new ConcurrencyGate(limit, maxWaiting)));
    return gate;
  }
}
