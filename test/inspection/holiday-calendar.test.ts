import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { isWorkingDay, missingYears, publicationDue } from '../../src/domains/inspection';
import { HolidayCalendarError, loadHolidayCalendar } from '../../src/supervision/holiday-calendar-file';

/*
 * The five working days of 公示 are counted in China's working-day calendar: the State Council's
 * holidays are no working days, its make-up days (调休上班) are, and a year the file lacks is
 * refused rather than guessed.
 */

const calendar = loadHolidayCalendar(loadConfig({}).holidayCalendarFile);

test('ordinary weeks skip weekends only', () => {
  expect(publicationDue(calendar, '2026-12-01', 5)).toBe('2026-12-08'); // Tuesday → next Tuesday
  expect(publicationDue(calendar, '2026-12-04', 5)).toBe('2026-12-11'); // Friday → next Friday
  expect(publicationDue(calendar, '2026-12-05', 5)).toBe('2026-12-11'); // Saturday → Friday
});

test('the National Day week is skipped and its make-up Saturday counts (2026: 10-01..07 off, 10-10 worked)', () => {
  // Tuesday 29 Sep: Wed 30 is one, 1–7 Oct are off, Thu 8, Fri 9, Sat 10 (调休上班), Mon 12.
  expect(publicationDue(calendar, '2026-09-29', 5)).toBe('2026-10-12');
  expect(isWorkingDay(calendar, '2026-10-10')).toBe(true);
  expect(isWorkingDay(calendar, '2026-10-05')).toBe(false);
});

test('the Spring Festival is skipped and its make-up Saturdays count (2026: 02-15..23 off, 02-14 and 02-28 worked)', () => {
  // Thursday 12 Feb: Fri 13, Sat 14 (调休上班), 15–23 off, Tue 24, Wed 25, Thu 26.
  expect(publicationDue(calendar, '2026-02-12', 5)).toBe('2026-02-26');
  expect(isWorkingDay(calendar, '2026-02-23')).toBe(false); // a Monday off
});

test('a year the file lacks counts Monday to Friday (provisional: its notice may move the date) and is named at start', () => {
  // 28 Dec 2026 plus five working days runs into 2027, which the file lacks: Tue 29, Wed 30, Thu 31, Fri 1, Mon 4.
  const lacking = { ...calendar, years: new Map([...calendar.years].filter(([y]) => y !== 2027)) };
  expect(publicationDue(lacking, '2026-12-28', 5)).toBe('2027-01-04');
  expect(isWorkingDay(lacking, '2027-01-01')).toBe(true);
  // With the year's notice, its days off push the date later.
  const withNotice = { ...calendar, years: new Map([...lacking.years, [2027, { source: 'test', holidays: ['2027-01-01'], workdays: [] }]]) };
  expect(publicationDue(withNotice, '2026-12-28', 5)).toBe('2027-01-05');
  expect(missingYears(lacking, new Date('2026-12-04T00:00:00Z'))).toEqual([2027]);
  expect(missingYears(withNotice, new Date('2026-12-04T00:00:00Z'))).toEqual([]);
});

describe('a broken calendar file stops the hub at start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-'));
  const write = (years: unknown) => {
    const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ version: 'x', years }));
    return file;
  };
  const year = (holidays: string[], workdays: string[]) => ({ 2026: { source: 'notice', holidays, workdays } });

  it.each([
    ['a date outside its year', year(['2027-01-01'], []), /lies outside 2026/],
    ['a make-up working day on a weekday', year(['2026-01-01'], ['2026-01-05']), /is a weekday/],
    ['a date twice', year(['2026-01-01', '2026-01-01'], []), /names a date twice/],
    ['no date', year(['2026-02-30'], []), /must be a date/],
    ['no year', {}, /at least one year/],
  ])('refuses %s', (_what, years, problem) => {
    expect(() => loadHolidayCalendar(write(years))).toThrow(HolidayCalendarError);
    expect(() => loadHolidayCalendar(write(years))).toThrow(problem);
  });
});
