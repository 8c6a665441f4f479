import { Random } from './random';

/** Weighted choice among many items in O(log n) per draw (cumulative weights + binary search). */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((item, i) => {
      total += weightOf(item);
      this.cumulative[i] = total;
    });
    this.total = total;
  }

  get size(): number {
    return this.items.length;
  }

  pick(rng: Random): T {
    if (this.total <= 0) throw new RangeError('cannot pick from a table without weight');
    const value = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > value) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}
