import type { Pool } from 'pg';
import { ReplicaLag } from './replica-lag';

/** A WAL position (`X/Y`, hex) as a number that compares. */
export function lsnOf(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export interface ReadRoutingOptions {
  /** How often the replica's replay position is read (ms). */
  pollMs: number;
  /** Beyond this lag (seconds) every read goes to the primary until the replica catches up. */
  maxLagSeconds: number;
  /** A replica that cannot be read is reported, not thrown: reads go to the primary meanwhile. */
  onError(error: Error): void;
}

/** What polls have seen of the replica, as of now (for `/metrics`). */
export interface ReplicaState {
  up: boolean;
  /** At most how far (seconds) its data trails the primary's (see `ReplicaLag`); null until known. */
  lagSeconds: number | null;
}

/** Callers remembered after a write, at most; the oldest is forgotten first (its reads are then the replica's). */
const MAX_WRITERS = 10_000;

/** The primary's positions kept for the replica's lag cover at least this long (ms) of polls, and `maxLagSeconds`. */
const LAG_WINDOW_MS = 30_000;

/**
 * Where a request reads when the hub has a streaming replica (`DATABASE_READ_URL`): the replica
 * for a query's statements, the primary where the replica could answer with less than the caller
 * knows (mutations and live deliveries, which read what was just written, never ask here).
 * - After a caller's write, its reads go to the primary until the replica has replayed the WAL
 *   position the primary had when the write was done (read your writes), in this instance.
 * - A replica down, or lagging more than `maxLagSeconds`: primary, until it is back.
 */
export class ReadRouting {
  private replayed: bigint | null = null;
  private readonly lag: ReplicaLag;
  private up = false;
  private readonly writers = new Map<string, bigint>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool,
    private readonly options: ReadRoutingOptions,
  ) {
    this.lag = new ReplicaLag(Math.ceil(Math.max(LAG_WINDOW_MS, options.maxLagSeconds * 1000) / options.pollMs) + 1);
  }

  /** Reads the replica's position now, then every `pollMs`. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  /** As of now: the lag bound grows between polls. */
  get replicaState(): ReplicaState {
    return { up: this.up, lagSeconds: this.up ? this.lag.lagSeconds(Date.now()) : null };
  }

  /** Whether a statement of `caller` (null: nobody's, e.g. the public pages) may read the replica. */
  readsReplica(caller: string | null): boolean {
    // Unknown staleness reads the primary: a replica never seen caught up may be frozen at any point.
    if (!this.up || this.replayed === null) return false;
    const lagSeconds = this.lag.lagSeconds(Date.now());
    if (lagSeconds === null || lagSeconds > this.options.maxLagSeconds) return false;
    if (caller === null) return true;
    const wrote = this.writers.get(caller);
    if (wrote === undefined) return true;
    if (this.replayed < wrote) return false;
    this.writers.delete(caller);
    return true;
  }

  /** `caller` has written: its next reads wait for the replica to replay the primary's position now. */
  async wrote(caller: string): Promise<void> {
    const { rows } = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    this.writers.delete(caller);
    if (this.writers.size >= MAX_WRITERS) this.writers.delete(this.writers.keys().next().value!);
    this.writers.set(caller, lsnOf(rows[0].lsn));
  }

  private async poll(): Promise<void> {
    try {
      // The primary's position first: a replica that has replayed it had all the primary had when asked.
      const asked = Date.now();
      const { rows: head } = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      const { rows } = await this.replica.query<{ lsn: string | null }>('select pg_last_wal_replay_lsn()::text as lsn');
      const replayed = rows[0].lsn === null ? null : lsnOf(rows[0].lsn);
      this.replayed = replayed;
      this.lag.primarySeen(lsnOf(head[0].lsn), asked);
      if (replayed !== null) this.lag.replicaReplayed(replayed);
      this.up = replayed !== null;
    } catch (error) {
      this.up = false;
      this.options.onError(error as Error);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
