import { ArgsType, Field, Int } from 'type-graphql';
import { InvalidInputError } from '../errors';

/** The most rows one page may hold: larger pages are refused, not silently cut. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows to return, 0 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return rows after this cursor (from `pageInfo.endCursor`).' })
  after?: string | null;
}

/** Validated page size. */
export function pageSize(first: number | null | undefined, argument = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new InvalidInputError(argument, `must be from 0 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}
