import { usccCheckChar } from '../identifiers';

/** The world's "today" (2026-11-01, Beijing): the clock mapping tests hold change-time checks to. */
export const NOW = Date.parse('2026-11-01T00:00:00+08:00');
export const DAY_MS = 86_400_000;

/** A credit code of 17 given characters and its correct check character (GB 32100). */
export const withCheck = (first17: string): string => `${first17}${usccCheckChar(first17)}`;

/** The quarantine entry a mapping gave; fails the test with the record when it mapped instead. */
export function quarantineOf<R>(mapped: { record: R } | { quarantine: { sourceId: string | null; raw: unknown; reasons: string[] } }) {
  if (!('quarantine' in mapped)) throw new Error(`expected a quarantine, got the record ${JSON.stringify(mapped.record)}`);
  return mapped.quarantine;
}

/** The record a mapping gave; fails the test with the reasons when it was quarantined instead. */
export function recordOf<R>(mapped: { record: R } | { quarantine: { reasons: string[] } }): R {
  if (!('record' in mapped)) throw new Error(`expected a record, got the reasons ${JSON.stringify(mapped.quarantine.reasons)}`);
  return mapped.record;
}
