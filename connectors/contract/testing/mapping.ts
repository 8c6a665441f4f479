import fs from 'node:fs';
import path from 'node:path';
import { usccCheckChar } from '../identifiers';
import type { Mapped } from '../mapped';
import type { QuarantineEntry } from '../quarantine-entry';

/** The recorded world's "today" (2026-11-01, Beijing): the clock mapping tests hold change-time checks to. */
export const NOW = Date.parse('2026-11-01T00:00:00+08:00');
export const DAY_MS = 86_400_000;

/** A credit code of 17 given characters and its correct check character (GB 32100). */
export const withCheck = (first17: string): string => `${first17}${usccCheckChar(first17)}`;

/** The quarantine entry a mapping gave; fails the test with the record when it mapped instead. */
export function quarantineOf<R>(mapped: Mapped<R>): QuarantineEntry {
  if (!('quarantine' in mapped)) throw new Error(`expected a quarantine, got the record ${JSON.stringify(mapped.record)}`);
  return mapped.quarantine;
}

/** The record a mapping gave; fails the test with the reasons when it was quarantined instead. */
export function recordOf<R>(mapped: Mapped<R>): R {
  if (!('record' in mapped)) throw new Error(`expected a record, got the reasons ${JSON.stringify(mapped.quarantine.reasons)}`);
  return mapped.record;
}

/**
 * One recorded source record and what its mapping must give: the canonical record the simulator
 * served it from, or (for a record served malformed) the quarantine entry, `raw` being the record itself.
 */
export interface MappingCase<S> {
  served: S;
  mapped: { record: object } | { quarantine: Omit<QuarantineEntry, 'raw'> };
}

/** A connector's recorded fixture of one stream: `connectors/<system>/fixtures/<stream>.json`. */
export interface MappingFixture<S> {
  /** Where the records were recorded from, and how to record them again. */
  recorded: string;
  cases: Array<MappingCase<S>>;
}

/** The fixture `name` of the connector in `dir` (the test's `__dirname`). */
export function readFixture<S>(dir: string, name: string): MappingFixture<S> {
  return JSON.parse(fs.readFileSync(path.join(dir, 'fixtures', `${name}.json`), 'utf8')) as MappingFixture<S>;
}

/** What a case's mapping must give, exactly. */
export function expectedOf<S>(fixtureCase: MappingCase<S>): Mapped<object> {
  const { served, mapped } = fixtureCase;
  return 'record' in mapped ? mapped : { quarantine: { ...mapped.quarantine, raw: served } };
}

/** The canonical records the intact cases of a fixture map to. */
export function recordsOf<R>(fixture: MappingFixture<unknown>): R[] {
  return fixture.cases.flatMap(({ mapped }) => ('record' in mapped ? [mapped.record as R] : []));
}
