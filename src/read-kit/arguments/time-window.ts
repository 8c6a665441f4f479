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
