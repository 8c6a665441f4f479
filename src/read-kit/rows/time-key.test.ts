import { timeKeyWriter } from './time-key';

// Each expected text is what PostgreSQL gave for the same instant:
// to_char(v at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24'), the statement's text before the hub wrote it.
const INSTANTS: ReadonlyArray<[epoch: number, hour: string]> = [
  [1790784000, '2026-10-01T00'], // 2026-09-30 16:00 UTC
  [694195200, '1992-01-01T00'], // the first instant of the fixed offset
  [583686000, '1988-07-01T00'], // summer time: UTC+9
  [584938800, '1988-07-15T12'],
  [-2366755200, '1895-01-01T08'], // local mean time
];

describe('time keys', () => {
  it('write an instant as Beijing time, as PostgreSQL places it in Asia/Shanghai', () => {
    const hour = timeKeyWriter({ unit: 'hour', of: 'instant' });
    const day = timeKeyWriter({ unit: 'day', of: 'instant' });
    for (const [epoch, text] of INSTANTS) {
      expect(hour(epoch)).toBe(text);
      expect(day(epoch)).toBe(text.slice(0, 10));
    }
  });

  it('write a timestamp already in Beijing time as it is', () => {
    const month = timeKeyWriter({ unit: 'month', of: 'beijing' });
    expect(month(Date.UTC(2026, 9, 1) / 1000)).toBe('2026-10');
    expect(month(Date.UTC(1988, 6, 1) / 1000)).toBe('1988-07');
  });

  it('write a value that is no time as its text', () => {
    const hour = timeKeyWriter({ unit: 'hour', of: 'instant' });
    expect(hour(null)).toBe('null');
    expect(hour(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
