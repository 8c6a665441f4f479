import type { Pool } from 'pg';

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

/** What the last poll saw of the replica (for `/metrics`). */
export interface ReplicaState {
  up: boolean;
  /**
   * At most how far (seconds) its data trails the primary's: the time since a poll last found it had
   * replayed all the primary had written; null until it has been seen so.
   */
  lagSeconds: number | null;
}

/** Callers remembered after a write, at most; the oldest is forgotten first (its reads are then the replica's). */
const MAX_WRITERS = 10_000;

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
  /** When (ms) a poll last found the replica had replayed all the primary had written; null: never yet. */
  private caughtUpAt: number | null = null;
  private state: ReplicaState = { up: false, lagSeconds: null };
  private readonly writers = new Map<string, bigint>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool,
    private readonly options: ReadRoutingOptions,
  ) {}

  /** Reads the replica's position now, then every `pollMs`. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  get replicaState(): ReplicaState {
    return this.state;
  }

  /** Whether a statement of `caller` (null: nobody's, e.g. the public pages) may read the replica. */
  readsReplica(caller: string | null): boolean {
    // Unknown staleness reads the primary: a replica never seen caught up may be frozen at any point.
    if (!this.state.up || this.replayed === null || this.state.lagSeconds === null) return false;
    if (this.state.lagSeconds > this.options.maxLagSeconds) return false;
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
      // The primary's position first: a replica that has replayed it had, at that instant, all the
      // primary had. How stale it can be is the time since it was last seen so, whatever its own
      // clocks say (a standby whose replication broke replays nothing and reports no lag).
      const asked = Date.now();
      const { rows: head } = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      const { rows } = await this.replica.query<{ lsn: string | null }>('select pg_last_wal_replay_lsn()::text as lsn');
      const replayed = rows[0].lsn === null ? null : lsnOf(rows[0].lsn);
      this.replayed = replayed;
      if (replayed !== null && replayed >= lsnOf(head[0].lsn)) this.caughtUpAt = asked;
      this.state = {
        up: replayed !== null,
        lagSeconds: replayed === null || this.caughtUpAt === null ? null : (Date.now() - this.caughtUpAt) / 1000,
      };
    } catch (error) {
      this.state = { up: false, lagSeconds: null };
      this.options.onError(error as Error);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
