import { encodeCursor, type CursorValues, type CursorValueType } from './cursor';

/**
 * One ordering a connection offers. `keys` end with the row's unique key so the order is total;
 * all keys share one direction so a row-value comparison can seek in the index.
 */
export interface Ordering<T> {
  name: string;
  direction: 'asc' | 'desc';
  keys: ReadonlyArray<{
    property: string;
    column: string;
    type: CursorValueType;
    value: (row: T) => string | number | null;
    /**
     * A key that is no field's value (a content hash), ordered by its column: sorting by it
     * reveals nothing, so it may order records whose fields the caller sees masked.
     */
    opaque?: boolean;
  }>;
}

/** A page asked for: its ordering, size and the cursor it continues after (read by `RowReads.page`). */
export interface PageRequest<T> {
  ordering: Ordering<T>;
  first?: number | null;
  after?: string | null;
}

export function cursorOf<T>(ordering: Ordering<T>, row: T): string {
  const values: CursorValues = ordering.keys.map((k) => k.value(row));
  return encodeCursor(ordering.name, values);
}

/** Cursor value of an instant: ISO text compares correctly against timestamptz in PostgreSQL. */
export const instant = (d: Date): string => d.toISOString();
