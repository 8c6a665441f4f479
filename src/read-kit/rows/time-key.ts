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

/**
 * Beijing time has been UTC+8 since 1992 (China kept summer time until 1991, and the zone's
 * offset before 1901 was local mean time): an instant from then on is shifted by it, an earlier
 * one placed by the zone itself, as PostgreSQL's `Asia/Shanghai` places it.
 */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** The zone of Beijing time, the aggregates' units' and keys' zone. */
const BEIJING_ZONE = 'Asia/Shanghai';
/** The zone as a SQL literal, for the units' `date_trunc(…, zone)` and `… at time zone zone`. */
export const BEIJING_ZONE_SQL = `'${BEIJING_ZONE}'`;
const FIXED_OFFSET_FROM_MS = Date.UTC(1991, 11, 31, 16);
const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: BEIJING_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** An instant before 1992 as Beijing time, `YYYY-MM-DDTHH`. */
function zoned(ms: number): string {
  const part = Object.fromEntries(SHANGHAI.formatToParts(ms).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}`;
}

/** Characters of an ISO time the unit keeps. */
const LENGTH: Readonly<Record<TimeKey['unit'], number>> = { month: 7, day: 10, hour: 13 };

/**
 * The time a key's statement returns: its epoch seconds (of a `beijing` timestamp, as if it were
 * UTC), as `date_part`'s double (exact for whole seconds): `extract`'s numeric cast to bigint cost
 * 0.4 ms more on 5,000 cells, and pg reads a bigint through a pattern test.
 */
export const timeKeySql = (value: string): string => `date_part('epoch', ${value})`;

/**
 * A writer of one answer's keys from the epochs `timeKeySql` returned, each distinct epoch written
 * once. A value that is no time (null, which no key holds today) is written as its `::text` was.
 */
export function timeKeyWriter(key: TimeKey): (epoch: unknown) => string {
  const length = LENGTH[key.unit];
  const written = new Map<unknown, string>();
  const write = (epoch: unknown): string => {
    if (typeof epoch !== 'number' || !Number.isFinite(epoch)) return String(epoch);
    const ms = epoch * 1000;
    if (key.of === 'beijing') return new Date(ms).toISOString().slice(0, length);
    return ms >= FIXED_OFFSET_FROM_MS ? new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, length) : zoned(ms).slice(0, length);
  };
  return (epoch) => {
    let text = written.get(epoch);
    if (text === undefined) written.set(epoch, (text = write(epoch)));
    return text;
  };
}
