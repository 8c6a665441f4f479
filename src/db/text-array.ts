/**
 * A PostgreSQL text[] literal, passed as one parameter (`= any($1::text[])` lets the planner use
 * an index with the real values; a JSON record set would hide them).
 */
export function textArrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}
