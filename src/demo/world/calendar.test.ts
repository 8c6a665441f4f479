import { dayNumber, dayOfInstant, isoDateOf, isoInstantOf, localInstant, weekdayOf, yearOf } from './calendar';

describe('calendar', () => {
  it.each([
    ['1970-01-01', 0],
    ['2000-02-29', 11016],
    ['1960-01-01', -3653],
    ['2026-11-01', 20758],
  ])('%s is day %i', (date, day) => {
    expect(dayNumber(date)).toBe(day);
    expect(isoDateOf(day)).toBe(date);
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => dayNumber('2026-02-30')).toThrow(RangeError);
    expect(() => dayNumber('2026-2-3')).toThrow(RangeError);
  });

  it('knows weekdays and years', () => {
    expect(weekdayOf(20758)).toBe(0); // 2026-11-01 is a Sunday
    expect(weekdayOf(0)).toBe(4); // 1970-01-01 was a Thursday
    expect(weekdayOf(-3653)).toBe(5); // 1960-01-01 was a Friday
    expect(yearOf(20758)).toBe(2026);
  });

  it('writes Suzhou wall-clock instants with the +08:00 offset', () => {
    const instant = localInstant(20757, 23 * 3600 + 59 * 60 + 59);
    expect(isoInstantOf(instant)).toBe('2026-10-31T23:59:59+08:00');
    expect(isoInstantOf(localInstant(11016, 0))).toBe('2000-02-29T00:00:00+08:00');
    expect(dayOfInstant(instant)).toBe(20757);
  });
});
