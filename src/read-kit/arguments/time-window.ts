import { InvalidInputError } from '../../errors';

/** A half-open window [from, to) must not end before it starts. */
export function requireWindowOrder(argument: string, from?: Date | null, to?: Date | null): void {
  if (from && to && to.getTime() <= from.getTime()) {
    throw new InvalidInputError(argument, 'must be later than the start of the window');
  }
}

/** A required, bounded window: high-volume tables are only ever read a window at a time. */
export function requireBoundedWindow(argument: string, from: Date, to: Date, maxDays: number): void {
  requireWindowOrder(argument, from, to);
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) {
    throw new InvalidInputError(argument, `the window may span at most ${maxDays} days`);
  }
}

/** Beijing time's offset from UTC: the hub's calendar days (Asia/Shanghai has no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * A window of whole Beijing days: both ends at midnight (+08:00). For filters on times a caller
 * may not read in full: a window of any precision would find them out by bisection.
 */
export function requireWholeDays(argument: string, from: Date, to: Date): void {
  for (const [end, at] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if ((at.getTime() + BEIJING_OFFSET_MS) % 86_400_000 !== 0) {
      throw new InvalidInputError(`${argument}.${end}`, 'must be a midnight, Beijing time (e.g. 2026-11-20T00:00:00+08:00)');
    }
  }
}

/** The Beijing calendar date (`YYYY-MM-DD`) an instant falls on: how a window's ends test a date column. */
export const beijingDate = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
