/** Latency of one target at c=1: p50 and p99 in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * Times each target once per round, in turn (so drift in this noisy machine's speed hits them
 * alike), after a warm-up; returns each one's p50 and p99.
 */
export async function interleavedLatencies(targets: ReadonlyArray<() => Promise<unknown>>, runs: number, warmup = 50): Promise<Latency[]> {
  for (let i = 0; i < warmup; i++) for (const target of targets) await target();
  const times = targets.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [k, target] of targets.entries()) {
      const start = process.hrtime.bigint();
      await target();
      times[k].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times.map((xs) => {
    const sorted = xs.sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  });
}

/** Requests per second `target` answers with `clients` callers sending back to back for `ms`. */
export async function throughput(target: () => Promise<unknown>, clients: number, ms: number): Promise<number> {
  const end = Date.now() + ms;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        await target();
        done += 1;
      }
    }),
  );
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}
