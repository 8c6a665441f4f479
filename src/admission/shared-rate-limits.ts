import type { Pool } from 'pg';
import type { RateLimit } from './token-bucket';

/**
 * The agreements' token buckets (see `TokenBucket`) kept in PostgreSQL, so that every hub
 * instance draws on the same bucket: the agreed rate holds however many instances serve. One
 * statement refills and takes a token under the row's lock; only a refusal reads the bucket
 * again, to say how long to wait. The database's clock is the one clock.
 */
export class SharedRateLimits {
  constructor(private readonly pool: Pool) {}

  /** Takes a token of agreement `id`'s bucket: 0 if granted, else the seconds until one is available. */
  async take(id: string, rate: RateLimit): Promise<number> {
    const refilled = `least($3::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * $2::float8)`;
    const params = [id, rate.requestsPerSecond, rate.burst];
    // A plain UPDATE: under concurrency PostgreSQL re-checks its condition on the row as the
    // previous taker left it.
    const taken = await this.pool.query(
      `update rate_limit_bucket b set tokens = ${refilled} - 1, updated_at = clock_timestamp() where agreement = $1 and ${refilled} >= 1`,
      params,
    );
    if (taken.rowCount) return 0;
    const { rows } = await this.pool.query<{ tokens: number }>(`select ${refilled} as tokens from rate_limit_bucket b where agreement = $1`, params);
    if (rows.length === 0) {
      // The agreement's first request anywhere: a full bucket, then the same take.
      await this.pool.query(`insert into rate_limit_bucket (agreement, tokens, updated_at) values ($1, $2::float8, clock_timestamp()) on conflict do nothing`, [
        id,
        rate.burst,
      ]);
      return this.take(id, rate);
    }
    // Refused: never 0, which grants. The bucket may have refilled past one token since the update
    // refused, but this request was refused on what the bucket held then.
    return Math.max(0.001, (1 - rows[0].tokens) / rate.requestsPerSecond);
  }

  /** Gives back a token `take` granted to a request another limit refused (never beyond the burst). */
  async refund(id: string, rate: RateLimit): Promise<void> {
    await this.pool.query(`update rate_limit_bucket set tokens = least($2::float8, tokens + 1) where agreement = $1`, [id, rate.burst]);
  }
}
