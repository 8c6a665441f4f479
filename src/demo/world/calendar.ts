/**
 * Dates as day numbers (days since 1970-01-01) and instants as seconds of Suzhou wall-clock
 * time. Every instant is written with the +08:00 offset, and nothing reads the clock.
 */
const SECONDS_PER_DAY = 86400;

export function dayNumber(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date: ${isoDate}`);
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const day = ms / 86400000;
  if (isoDateOf(day) !== isoDate) throw new RangeError(`not a real date: ${isoDate}`);
  return day;
}

/** `YYYY-MM-DD` of a day number. */
export function isoDateOf(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

export function yearOf(day: number): number {
  return new Date(day * 86400000).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Local instant (seconds since 1970-01-01T00:00 Suzhou time) from a day and a second of that day. */
export function localInstant(day: number, secondOfDay: number): number {
  return day * SECONDS_PER_DAY + secondOfDay;
}

export function dayOfInstant(instant: number): number {
  return Math.floor(instant / SECONDS_PER_DAY);
}

/** `YYYY-MM-DDTHH:mm:ss+08:00`. */
export function isoInstantOf(instant: number): string {
  return `${new Date(instant * 1000).toISOString().slice(0, 19)}+08:00`;
}

export { SECONDS_PER_DAY };
