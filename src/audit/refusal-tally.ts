/** Refusals of one source address for one reason, counted over one window. */
export interface RefusalCount {
  source: string;
  reason: string;
  count: number;
  from: Date;
  to: Date;
}

/** Source addresses tallied apart per window; past it, further ones are counted together as `(other)`. */
const MAX_SOURCES = 10_000;
const OTHER_SOURCES = '(other)';

/**
 * Counts requests refused before authentication (no or an invalid token) per source address and
 * reason, instead of chaining one audit event each: a flood would otherwise grow the undeletable
 * chain by an event per request. `flush` (each minute, and at shutdown) hands each count to
 * `write` as one event. A count whose write fails is kept and merged into the next flush, so an
 * audit outage loses no refusal; only a crash loses the refusals of the minute under way.
 * Memory is bounded: at most `MAX_SOURCES` addresses per window, the rest counted together.
 */
export class RefusalTally {
  private counts = new Map<string, RefusalCount>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (count: RefusalCount) => Promise<void>,
    private readonly maxSources = MAX_SOURCES,
  ) {}

  count(source: string, reason: string, at = new Date()): void {
    let key = `${reason} ${source}`;
    if (!this.counts.has(key) && this.counts.size >= this.maxSources) {
      source = OTHER_SOURCES;
      key = `${reason} ${source}`;
    }
    const entry = this.counts.get(key);
    if (entry) {
      entry.count += 1;
      entry.to = at;
    } else {
      this.counts.set(key, { source, reason, count: 1, from: at, to: at });
    }
  }

  /** Writes every count as one event; rejects (after trying them all) if any could not be written. */
  flush(): Promise<void> {
    // One flush at a time: two at once would write the same counts twice.
    const run = this.flushing.then(() => this.writeAll());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async writeAll(): Promise<void> {
    const pending = [...this.counts.values()];
    this.counts = new Map();
    let failure: unknown = null;
    for (const entry of pending) {
      try {
        await this.write(entry);
      } catch (error) {
        failure ??= error;
        this.keep(entry);
      }
    }
    if (failure) throw failure;
  }

  /** Puts back a count that could not be written, merged with what arrived meanwhile. */
  private keep(entry: RefusalCount): void {
    const key = `${entry.reason} ${entry.source}`;
    const current = this.counts.get(key);
    if (!current) {
      this.counts.set(key, entry);
      return;
    }
    current.count += entry.count;
    current.from = entry.from < current.from ? entry.from : current.from;
  }
}
