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

/** The kind of value each ordering column holds: cursors are checked against it before any SQL. */
export type CursorValueType = 'text' | 'instant' | 'date' | 'int' | 'float' | 'bigint';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function fits(value: unknown, type: CursorValueType): boolean {
  switch (type) {
    case 'text': return typeof value === 'string' && !value.includes('\u0000');
    case 'instant': return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case 'date': return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'int': return typeof value === 'number' && Number.isSafeInteger(value);
    case 'float': return typeof value === 'number' && Number.isFinite(value);
    case 'bigint': return typeof value === 'string' && /^\d{1,19}$/.test(value);
  }
}

export function decodeCursor(argument: string, cursor: string, ordering: string, types: readonly CursorValueType[]): CursorValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError(argument, 'is not a cursor returned by this connection');
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length + 1 || parsed[0] !== ordering
    || !parsed.slice(1).every((v, i) => fits(v, types[i]))) {
    throw new InvalidInputError(argument, 'is not a cursor returned by this connection with this ordering');
  }
  return parsed.slice(1) as CursorValues;
}
