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

/**
 * Whether a day is a working day: a make-up working day (调休上班) is one even on a weekend, a
 * day off of the notice is none even on a weekday, otherwise Monday to Friday. In a year the
 * calendar lacks (its notice not yet added) Monday to Friday are: such a due date is provisional
 * (the notice may move it, later for its days off, earlier for its make-up working days), and the
 * hub warns at start while the year is missing, rather than refuse the results it is recorded for.
 */
export function isWorkingDay(calendar: HolidayCalendar, day: string): boolean {
  const year = calendar.years.get(Number(day.slice(0, 4)));
  if (year?.workdays.includes(day)) return true;
  if (year?.holidays.includes(day)) return false;
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

/** The years from `from`'s to `years` later that the calendar lacks (the hub warns of them at start). */
export function missingYears(calendar: HolidayCalendar, from: Date, years = 1): number[] {
  const first = from.getUTCFullYear();
  return Array.from({ length: years + 1 }, (_, i) => first + i).filter((y) => !calendar.years.has(y));
}
