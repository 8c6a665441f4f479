import { Random } from './random';

describe('Random', () => {
  // Expected words computed by an independent Python implementation of cyrb128 + sfc32.
  it.each([
    [[1], [3212668597, 3708446226, 3767097285, 2606035816]],
    [
      [42, 'enterprises'],
      [2061868785, 984953636, 3962448237, 3652925909],
    ],
    [
      [42, 'captures', 'day', 3],
      [82329186, 2266274516, 4151139397, 2525126913],
    ],
  ] as const)('stream %j starts with the reference words', ([seed, ...path], expected) => {
    const rng = Random.from(seed as number, ...(path as (string | number)[]));
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual(expected);
  });

  it('gives independent streams per path and per seed', () => {
    const a = Random.from(7, 'vehicles').nextUint32();
    expect(Random.from(7, 'vehicles').nextUint32()).toBe(a);
    expect(Random.from(7, 'licences').nextUint32()).not.toBe(a);
    expect(Random.from(8, 'vehicles').nextUint32()).not.toBe(a);
  });

  it('keeps int within inclusive bounds and reaches both ends', () => {
    const rng = Random.from(1, 'int');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('keeps next in [0, 1)', () => {
    const rng = Random.from(1, 'next');
    for (let i = 0; i < 10000; i++) {
      const v = rng.next();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });

  it('follows weights roughly', () => {
    const rng = Random.from(1, 'weighted');
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30000; i++)
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 2],
          ['c', 0],
        ] as const)
      ]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(1.8);
    expect(counts.b / counts.a).toBeLessThan(2.2);
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const shuffled = Random.from(1, 'shuffle').shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(input);
    expect(shuffled).not.toEqual(input);
  });

  it('draws approximately normal values', () => {
    const rng = Random.from(1, 'normal');
    let sum = 0;
    let squares = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const v = rng.normal(50, 10);
      sum += v;
      squares += v * v;
    }
    const mean = sum / n;
    const sd = Math.sqrt(squares / n - mean * mean);
    expect(Math.abs(mean - 50)).toBeLessThan(0.5);
    expect(Math.abs(sd - 10)).toBeLessThan(0.5);
  });

  it('refuses to pick from nothing', () => {
    expect(() => Random.from(1).pick([])).toThrow(RangeError);
  });

  it('builds digit and alphabet strings', () => {
    const rng = Random.from(1, 'strings');
    expect(rng.digits(12)).toMatch(/^\d{12}$/);
    expect(rng.chars('AB', 20)).toMatch(/^[AB]{20}$/);
  });
});
