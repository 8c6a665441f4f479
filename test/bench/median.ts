/**
 * Times `a` and `b` alternately (so drift in this noisy machine's speed hits both alike) after a
 * warm-up, and returns each one's median in milliseconds.
 */
export async function pairedMedians(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number, warmup = 100): Promise<[number, number]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    const start = process.hrtime.bigint();
    await fn();
    into.push(Number(process.hrtime.bigint() - start) / 1e6);
  };
  for (let i = 0; i < runs; i++) {
    await time(a, times[0]);
    await time(b, times[1]);
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return [median(times[0]), median(times[1])];
}
