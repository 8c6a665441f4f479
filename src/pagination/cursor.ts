import { InvalidInputError } from '../errors';

/** A position in an ordered list: the ordering values of the last row seen, key last. */
export type CursorValues = ReadonlyArray<string | number | boolean | null>;

/**
 * Cursors are opaque to callers but not secret: base64url of the JSON ordering values, tagged
 * with the ordering they belong to so a cursor from another ordering is refused, not misread.
 */
export function encodeCursor(ordering: string, values: CursorValues): string {
  return Buffer.from(JSON.stringify([ordering, ...values]), 'utf8').toString('base64url');
}

export function decodeCursor(argument: string, cursor: string, ordering: string, arity: number): CursorValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError(argument, 'is not a cursor returned by this connection');
  }
  if (!Array.isArray(parsed) || parsed.length !== arity + 1 || parsed[0] !== ordering
    || !parsed.slice(1).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
    throw new InvalidInputError(argument, 'is not a cursor returned by this connection with this ordering');
  }
  return parsed.slice(1) as CursorValues;
}
