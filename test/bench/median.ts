/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns the median in milliseconds. */
export async function medianMs(fn: () => Promise<unknown>, runs: number, warmup = 20): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
