import type { Pool, PoolClient } from 'pg';
import { AdvisoryLock } from '../db/advisory-locks';
import { inTransaction } from '../db/transaction';
import { InvalidInputError } from '../errors';
import type { AgencyRegistry } from './agencies';

/** What to revoke: one token by its `jti`, or every token of an agency issued until now. */
export type RevocationTarget = { jti: string; agency?: undefined } | { agency: string; jti?: undefined };

const REVOKE_LOCK = AdvisoryLock.TOKEN_REVOKE;

interface RevocationRow {
  id: string;
  jti: string | null;
  agency: string | null;
  revoked_at: Date;
}

/**
 * Revokes a token (`jti`) or every token an agency holds now, and audits it in the same
 * transaction (`audit` appends the event on the transaction's client): the revocation and its
 * event commit together or not at all. Every hub instance refuses the tokens within its poll
 * interval (`TOKEN_REVOCATION_POLL_MS`).
 */
export async function revokeTokens(
  pool: Pool,
  agencies: AgencyRegistry,
  target: RevocationTarget,
  revokedBy: string,
  audit: (client: PoolClient) => Promise<void>,
): Promise<{ id: number; revokedAt: Date }> {
  if (target.jti !== undefined && !/^[\x21-\x7e]{1,200}$/.test(target.jti)) throw new InvalidInputError('jti', 'must be 1 to 200 printable ASCII characters');
  if (target.agency !== undefined && !agencies.has(target.agency)) throw new InvalidInputError('agency', `must be one of ${agencies.ids.join(', ')}`);
  return inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock($1)', [REVOKE_LOCK]);
    const { rows } = await client.query<{ id: string; revoked_at: Date }>(
      'insert into auth_token_revocation (jti, agency, revoked_by, revoked_at) values ($1, $2, $3, clock_timestamp()) returning id, revoked_at',
      [target.jti ?? null, target.agency ?? null, revokedBy],
    );
    await audit(client);
    return { id: Number(rows[0].id), revokedAt: rows[0].revoked_at };
  });
}

export interface TokenRevocationsOptions {
  /** How often new revocations are read, ms. */
  pollMs: number;
  /**
   * How long a revocation matters, seconds: the longest any token it could refuse stays
   * acceptable. Older revocations are forgotten, and deleted now and then.
   */
  retentionSeconds: number;
  onError(error: unknown): void;
}

/** How often an instance deletes revocations older than the retention, ms. */
const PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * The revocations every request is checked against, held in memory and kept current by reading
 * the rows past the last id seen every `pollMs`: one indexed query that finds nothing almost
 * always, instead of a query per request.
 */
export class TokenRevocations {
  private readonly jtis = new Map<string, number>();
  /** Per agency, the latest instant (ms) up to which its tokens are revoked. */
  private readonly agencies = new Map<string, number>();
  private watermark = '0';
  private timer: NodeJS.Timeout | null = null;
  /** The latest read: reads run one after another, so the watermark only moves forward. */
  private reading: Promise<void> = Promise.resolve();
  /** Whether the timer's read is still under way: a slow database gets no queue of reads. */
  private timerBusy = false;
  private lastPurge = Date.now();
  /** Whether the last poll failed: an outage is reported once, not every poll. */
  private failing = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: TokenRevocationsOptions,
  ) {}

  /** Reads every revocation still in force, then keeps polling. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => {
      if (this.timerBusy) return;
      this.timerBusy = true;
      this.poll()
        .then(
          () => {
            this.failing = false;
          },
          (error: unknown) => {
            if (!this.failing) this.options.onError(error);
            this.failing = true;
          },
        )
        .finally(() => {
          this.timerBusy = false;
        });
    }, this.options.pollMs);
    this.timer.unref();
  }

  /** Whether the token `jti` of `agency`, issued at `issuedAt` (seconds), has been revoked. */
  isRevoked(jti: string, agency: string, issuedAt: number): boolean {
    if (this.jtis.has(jti)) return true;
    const until = this.agencies.get(agency);
    // `iat` has whole seconds: a token issued in the second of its agency's revocation is refused too.
    return until !== undefined && issuedAt * 1000 <= until;
  }

  /**
   * Reads the revocations made since the last read. It starts after any read under way, so when it
   * resolves every revocation committed before the call is in force here.
   */
  poll(): Promise<void> {
    this.reading = this.reading.catch(() => undefined).then(() => this.readNew());
    return this.reading;
  }

  private async readNew(): Promise<void> {
    const { rows } = await this.pool.query<RevocationRow>('select id, jti, agency, revoked_at from auth_token_revocation where id > $1 order by id', [
      this.watermark,
    ]);
    const horizon = Date.now() - this.options.retentionSeconds * 1000;
    for (const row of rows) {
      this.watermark = row.id;
      const at = row.revoked_at.getTime();
      if (at < horizon) continue;
      if (row.jti !== null) this.jtis.set(row.jti, at);
      if (row.agency !== null) this.agencies.set(row.agency, Math.max(at, this.agencies.get(row.agency) ?? 0));
    }
    if (Date.now() - this.lastPurge >= PURGE_INTERVAL_MS) await this.purge(horizon);
  }

  private async purge(horizon: number): Promise<void> {
    this.lastPurge = Date.now();
    for (const map of [this.jtis, this.agencies]) {
      for (const [key, at] of map) if (at < horizon) map.delete(key);
    }
    await this.pool.query('delete from auth_token_revocation where revoked_at < $1', [new Date(horizon)]);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading.catch(() => undefined);
  }
}
