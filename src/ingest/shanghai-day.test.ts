import { shanghaiDay } from './insert-captures';
import { isoFromWallTime, wallTime, wallTimeMs } from '../../connectors/checkpoint-exchange/exchange-format';

describe('shanghaiDay', () => {
  it('gives the Shanghai date of any instant, in any notation', () => {
    for (let ms = Date.UTC(2024, 1, 27, 14); ms < Date.UTC(2024, 2, 3); ms += 3_599_000) {
      const expected = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(shanghaiDay(new Date(ms).toISOString())).toBe(expected);
      expect(shanghaiDay(isoFromWallTime(wallTime(new Date(ms).toISOString())))).toBe(expected);
    }
    expect(shanghaiDay('2026-11-03T23:59:59.999+08:00')).toBe('2026-11-03');
    expect(shanghaiDay('2026-11-03T16:00:00Z')).toBe('2026-11-04');
  });
});

describe('wallTimeMs', () => {
  it('reads every second of a leap day and a year end as Date.parse does', () => {
    for (let ms = Date.UTC(2024, 1, 28, 15); ms < Date.UTC(2024, 2, 1, 17); ms += 7_919_000) {
      const text = wallTime(new Date(ms).toISOString());
      expect(wallTimeMs(text)).toBe(Date.parse(isoFromWallTime(text)));
    }
    expect(wallTimeMs('2025-12-31 23:59:59')).toBe(Date.parse('2025-12-31T23:59:59+08:00'));
  });

  it.each(['2026-02-29 10:00:00', '2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-00-10 00:00:00', '2026-01-00 00:00:00',
    '2026-01-01 24:00:00', '2026-01-01 10:60:00', '2026-01-01 10:00:60', '2026-01-01T10:00:00', '2026-01-01 10:00', '２026-01-01 10:00:00',
    '2026-01-01 1a:00:00', ''])('refuses %p', (text) => {
    expect(wallTimeMs(text)).toBeNaN();
  });

  it('refuses what is not text', () => {
    expect(wallTimeMs(null)).toBeNaN();
    expect(wallTimeMs(20260101)).toBeNaN();
  });
});
