import { ErrorCode, HubError } from '../../errors';

/** One year of the working-day calendar: its days off and its make-up working days (调休上班), YYYY-MM-DD. */
export interface CalendarYear {
  source: string;
  holidays: readonly string[];
  workdays: readonly string[];
}

/** The checked file `schema/rules/public-holidays.json` (read by src/supervision/holiday-calendar-file.ts). */
export interface HolidayCalendar {
  file: string;
  version: string;
  years: ReadonlyMap<number, CalendarYear>;
}

/** A working day was asked of a year the calendar file lacks: counting it would be a guess. Nothing changed. */
export class CalendarYearMissingError extends HubError {
  readonly code = ErrorCode.CALENDAR_YEAR_MISSING;

  constructor(year: number, version: string) {
    super(`The working-day calendar (${version}) has no year ${year}: its State Council holiday notice must be added to the calendar file first`, {
      year,
      calendarVersion: version,
    });
  }
}

/**
 * Whether a day is a working day: a make-up working day (调休上班) is one even on a weekend, a
 * day off of the notice is none even on a weekday, otherwise Monday to Friday.
 */
export function isWorkingDay(calendar: HolidayCalendar, day: string): boolean {
  const year = calendar.years.get(Number(day.slice(0, 4)));
  if (!year) throw new CalendarYearMissingError(Number(day.slice(0, 4)), calendar.version);
  if (year.workdays.includes(day)) return true;
  if (year.holidays.includes(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The last day a result may be published (公示): the `workingDays`-th working day after the
 * inspection, counted in the calendar. Dates are calendar dates, YYYY-MM-DD.
 */
export function publicationDue(calendar: HolidayCalendar, inspectedOn: string, workingDays: number): string {
  const day = new Date(`${inspectedOn}T00:00:00Z`);
  let left = workingDays;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (isWorkingDay(calendar, day.toISOString().slice(0, 10))) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}
