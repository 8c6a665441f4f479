import { shanghaiDay } from './insert-captures';

describe('shanghaiDay', () => {
  it('gives the Shanghai date of any instant, in any notation', () => {
    for (let ms = Date.UTC(2024, 1, 27, 14); ms < Date.UTC(2024, 2, 3); ms += 3_599_000) {
      const expected = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(shanghaiDay(new Date(ms).toISOString())).toBe(expected);
      // The same instant as Beijing wall time with its offset, as the exchange's captures carry it.
      expect(shanghaiDay(`${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`)).toBe(expected);
    }
    expect(shanghaiDay('2026-11-03T23:59:59.999+08:00')).toBe('2026-11-03');
    expect(shanghaiDay('2026-11-03T16:00:00Z')).toBe('2026-11-04');
  });
});
