/**
 * A group key that is a time, as Beijing time at the precision of its unit (a month as 2026-10, a
 * day as 2026-10-01, an hour as 2026-10-01T08). The statement returns the time as epoch seconds
 * and the hub writes the text, once per distinct time of an answer: `to_char` with a time zone,
 * per cell in PostgreSQL, was a third of a month of flow's statement (5,000 cells: 7.9 against
 * 5.4 ms), where the cells of one hour share its text.
 */
export interface TimeKey {
  unit: 'month' | 'day' | 'hour';
  /** `instant`: the value is a timestamptz; `beijing`: a timestamp already in Beijing time (`date_trunc(… at time zone …)`). */
  of: 'instant' | 'beijing';
}

/** Beijing time is UTC+8, without daylight saving since 1991: the offset every window of the hub carries. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** Characters of an ISO time the unit keeps. */
const LENGTH: Readonly<Record<TimeKey['unit'], number>> = { month: 7, day: 10, hour: 13 };

/**
 * The time a key's statement returns: its epoch seconds (of a `beijing` timestamp, as if it were
 * UTC), as `date_part`'s double (exact for whole seconds): `extract`'s numeric cast to bigint cost
 * 0.4 ms more on 5,000 cells, and pg reads a bigint through a pattern test.
 */
export const timeKeySql = (value: string): string => `date_part('epoch', ${value})`;

/** A writer of one answer's keys from the epochs `timeKeySql` returned, each distinct epoch written once. */
export function timeKeyWriter(key: TimeKey): (epoch: unknown) => string {
  const shift = key.of === 'instant' ? BEIJING_OFFSET_MS : 0;
  const length = LENGTH[key.unit];
  const written = new Map<unknown, string>();
  return (epoch) => {
    let text = written.get(epoch);
    if (text === undefined) {
      text = new Date(Number(epoch) * 1000 + shift).toISOString().slice(0, length);
      written.set(epoch, text);
    }
    return text;
  };
}
