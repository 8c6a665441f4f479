/** One stream's sync state, as its tables hold it. */
export interface StreamSample {
  system: string;
  stream: string;
  /** Seconds the hub trails the source (the operators' `lagSeconds`); null before the first complete run. */
  lagSeconds: number | null;
  lastSuccessAt: Date | null;
  /** Rows its runs wrote, by change. */
  rows: { inserted: number; updated: number; deleted: number };
  /** Its records in quarantine now. */
  quarantined: number;
}

/** One sync queue's jobs, by state. */
export interface QueueSample {
  queue: string;
  counts: { waiting: number; active: number; delayed: number; failed: number };
}

/** One database pool's connections now. */
export interface PoolSample {
  pool: string;
  inUse: number;
  idle: number;
  waiting: number;
}

/** Where a scrape reads what the hub does not count itself: the sync tables, the queues, the pools. */
export interface ScrapeSources {
  streams(): Promise<readonly StreamSample[]>;
  queues(): Promise<readonly QueueSample[]>;
  /** Read in memory: never waits. */
  pools(): readonly PoolSample[];
  /** The read replica as last polled (in memory); absent or null without one. */
  replica?(): ReplicaSample | null;
}

/** The streaming replica the requests' queries read (`DATABASE_READ_URL`). */
export interface ReplicaSample {
  up: boolean;
  lagSeconds: number | null;
}

/** A scrape's samples; a source that failed or did not answer in time is null. */
export interface ScrapeSample {
  streams: readonly StreamSample[] | null;
  queues: readonly QueueSample[] | null;
  pools: readonly PoolSample[];
  replica: ReplicaSample | null;
}

/** `promise`'s value, or null if it fails or takes longer than `ms` (it is not waited for after). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise.catch(() => null), late]).finally(() => clearTimeout(timer));
}

/**
 * Reads the sources for a scrape, each within the timeout, so that a slow database or a Redis
 * that is down cannot hold `/metrics` open. A source still busy with an earlier scrape's question
 * is not asked again: the later scrape waits for that answer (within its own timeout), so slow
 * sources never pile up questions.
 */
export class ScrapeSampler {
  private readonly pending = new Map<'streams' | 'queues', Promise<unknown>>();

  constructor(
    private readonly sources: ScrapeSources,
    private readonly timeoutMs: number,
  ) {}

  async sample(): Promise<ScrapeSample> {
    const [streams, queues] = await Promise.all([this.ask('streams', () => this.sources.streams()), this.ask('queues', () => this.sources.queues())]);
    return { streams, queues, pools: this.sources.pools(), replica: this.sources.replica?.() ?? null };
  }

  private ask<T>(source: 'streams' | 'queues', read: () => Promise<T>): Promise<T | null> {
    let answer = this.pending.get(source) as Promise<T> | undefined;
    if (!answer) {
      answer = Promise.resolve()
        .then(read)
        .finally(() => this.pending.delete(source));
      this.pending.set(source, answer);
    }
    return within(answer, this.timeoutMs);
  }
}
