import { ArgsType, Field, Int } from 'type-graphql';
import { InvalidInputError } from '../../errors';

/** The most rows one page may hold: larger pages are refused, not silently cut. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** Rows a `count` reads at most unless it asks for another cap (`upTo`). */
export const DEFAULT_COUNT_CAP = 10_000;
/** The highest cap a `count` may ask for; an exact count of more is `totalCount`, priced by what it reads. */
export const MAX_COUNT_CAP = 100_000;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows to return, 0 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return rows after this cursor (from `pageInfo.endCursor`).' })
  after?: string | null;
}

/** A bounded number of results the caller asks for (`first` of a list that is not a connection, of an aggregate's cells): a whole number from 1 to `most`. */
export function requireResultCount(argument: string, value: number, most: number): void {
  if (!Number.isInteger(value) || value < 1 || value > most) throw new InvalidInputError(argument, `must be from 1 to ${most}`);
}

/** Validated page size. */
export function pageSize(first: number | null | undefined, argument = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new InvalidInputError(argument, `must be from 0 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/** Validated cap of a bounded count. */
export function countCap(upTo: number | null | undefined, argument = 'upTo'): number {
  if (upTo === null || upTo === undefined) return DEFAULT_COUNT_CAP;
  if (!Number.isInteger(upTo) || upTo < 0 || upTo > MAX_COUNT_CAP) {
    throw new InvalidInputError(argument, `must be from 0 to ${MAX_COUNT_CAP}, got ${upTo}`);
  }
  return upTo;
}
