import fs from 'node:fs';
import type { CalendarYear, HolidayCalendar } from '../domains/inspection';
import { RuleFileReader } from '../domains/common/rule-file-reader';

/** A holiday calendar file that cannot be used; the hub does not start with it. */
export class HolidayCalendarError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`Invalid holiday calendar: ${file}: ${where} ${problem}`);
    this.name = 'HolidayCalendarError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The working-day calendar (`schema/rules/public-holidays.json`), checked when the hub starts: each
 * date exists and lies in its year, appears once, and a make-up working day is a weekend day (the
 * notice only ever moves work onto a Saturday or Sunday). A year the file lacks counts Monday to
 * Friday (see `isWorkingDay`); the hub warns at start when this year or the next is missing.
 */
export function loadHolidayCalendar(file: string): HolidayCalendar {
  const r = new RuleFileReader((where, problem) => {
    throw new HolidayCalendarError(file, where, problem);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HolidayCalendarError(file, '(file)', `cannot be read as JSON: ${(error as Error).message}`);
  }
  const top = r.object(raw, '(top)', ['version', 'years']);
  const version = r.text(top.version, 'version');
  const years = new Map<number, CalendarYear>();
  for (const [key, value] of Object.entries(r.object(top.years, 'years'))) {
    const where = `years.${key}`;
    if (!/^\d{4}$/.test(key)) r.fail(where, 'must be a year (four digits)');
    const y = r.object(value, where, ['source', 'holidays', 'workdays']);
    const date = (v: unknown, w: string) => {
      const text = r.text(v, w);
      if (!DATE.test(text) || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) r.fail(w, `must be a date YYYY-MM-DD, got ${text}`);
      if (!text.startsWith(`${key}-`)) r.fail(w, `lies outside ${key}: ${text}`);
      return text;
    };
    const holidays = r.list(y.holidays, `${where}.holidays`, date);
    const workdays = r.list(y.workdays, `${where}.workdays`, date, 0);
    workdays.forEach((d, n) => {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) r.fail(`${where}.workdays[${n}]`, `is a weekday, no make-up working day: ${d}`);
    });
    const all = [...holidays, ...workdays];
    if (new Set(all).size !== all.length) r.fail(where, 'names a date twice');
    years.set(Number(key), { source: r.text(y.source, `${where}.source`), holidays, workdays });
  }
  if (!years.size) r.fail('years', 'must hold at least one year');
  return { file, version, years };
}
