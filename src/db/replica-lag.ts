/** A WAL position the primary's head was read at, and when (ms) the poll asked for it. */
interface Sighting {
  lsn: bigint;
  at: number;
}

/**
 * How far a streaming replica's data trails the primary's, from what polls have seen of both
 * (see `ReadRouting`): whatever the replica's own clocks say, since a standby whose replication
 * broke replays nothing and reports no lag.
 *
 * Each poll reads the primary's WAL head `p` after noting the time `t` (so all the primary had
 * written by `t` lies at or before `p`), then the replica's replay position `r`. The lag at `now`
 * is `now - t` for the latest sighting `(p, t)` with `p <= r`: the replica then holds all the
 * primary held at `t`, so nothing it lacks is older than that. It is an upper bound, the safe side
 * for `maxLagSeconds`, and tight to within one poll: what the replica lacks was written after `t`,
 * no later than the next sighting's time. Comparing the replica with only the head just read (as
 * first done) found it caught up only when nothing at all had been written between the two reads,
 * which under steady writes is almost never, so a replica a few milliseconds behind counted as
 * ever further behind.
 *
 * The sightings the replica has not yet replayed past are kept, the oldest dropped past
 * `capacity`: a replica that then passes a dropped one is bounded by an older sighting (more lag,
 * never less). Read-your-writes does not use this: it compares the replica with the position of
 * the caller's own write.
 */
export class ReplicaLag {
  /** Sightings not yet replayed past, oldest first, their positions increasing. */
  private readonly ahead: Sighting[] = [];
  /** The time (ms) of the latest sighting the replica has replayed past; null: none yet. */
  private holdsAllOf: number | null = null;
  private replayed: bigint | null = null;

  /** `capacity`: the sightings kept that the replica has not yet replayed past (at least 1). */
  constructor(private readonly capacity: number) {}

  /** The primary's WAL head was `lsn` when asked at `at` (ms). */
  primarySeen(lsn: bigint, at: number): void {
    const last = this.ahead.at(-1);
    // An idle primary: the later time bounds the replica's lag more tightly once it has replayed `lsn`.
    if (last && last.lsn === lsn) last.at = at;
    else this.ahead.push({ lsn, at });
    if (this.ahead.length > this.capacity) this.ahead.shift();
  }

  /** The replica has replayed the WAL up to `lsn`, read after every `primarySeen` before this call. */
  replicaReplayed(lsn: bigint): void {
    // A replay position going back is another standby (or history) behind the same address: what
    // was known of the replica no longer holds.
    if (this.replayed !== null && lsn < this.replayed) this.holdsAllOf = null;
    this.replayed = lsn;
    while (this.ahead.length > 0 && this.ahead[0].lsn <= lsn) this.holdsAllOf = this.ahead.shift()!.at;
  }

  /** At most how far (seconds) the replica's data trails the primary's at `now` (ms); null until it is known. */
  lagSeconds(now: number): number | null {
    return this.holdsAllOf === null ? null : (now - this.holdsAllOf) / 1000;
  }
}
