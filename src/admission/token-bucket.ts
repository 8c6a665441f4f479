/** A rate limit: `requestsPerSecond` sustained, up to `burst` at once. */
export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

/**
 * The classic token bucket: it holds at most `burst` tokens and refills at `requestsPerSecond`;
 * each request takes one. Time is passed in so tests need no clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: RateLimit,
    now = Date.now(),
  ) {
    this.tokens = rate.burst;
    this.updatedAt = now;
  }

  /** Takes a token: 0 if granted, else the seconds until one is available. */
  take(now = Date.now()): number {
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate.requestsPerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.rate.requestsPerSecond;
  }

  /** Gives back a token taken for a request refused by another limit (never beyond the burst). */
  refund(): void {
    this.tokens = Math.min(this.rate.burst, this.tokens + 1);
  }
}
