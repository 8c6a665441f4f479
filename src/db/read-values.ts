import { types as pgTypes } from 'pg';

export const DATE_OID = 1082;

/**
 * How the hub's pools (`createPool`) make a JS value of a column's output text, by the column
 * type's OID: pg's own parsers, except that `date` stays `YYYY-MM-DD` text (pg would make it a
 * local-midnight Date).
 */
export function readValueParser(oid: number): (text: string) => unknown {
  return oid === DATE_OID ? (value: string) => value : pgTypes.getTypeParser(oid, 'text');
}
