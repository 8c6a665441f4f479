import type { MikroORM } from '@mikro-orm/postgresql';
import type { World } from '../../connectors/world';
import { RECORD_TABLES, type RecordTable } from '../ingest/record-tables';
import { insertCaptures } from '../ingest/insert-captures';
import { upsertRecords } from '../ingest/upsert-records';

/** Records per statement: large enough to amortise round trips, small enough for the JSON param. */
const BATCH = 5_000;

export interface LoadSummary {
  records: number;
  captures: number;
  milliseconds: number;
}

async function loadAll<R extends { updatedAt: string }>(orm: MikroORM, spec: RecordTable<R>, records: readonly R[], syncedAt: Date): Promise<number> {
  for (let i = 0; i < records.length; i += BATCH) {
    await upsertRecords(orm.em.fork(), spec, records.slice(i, i + BATCH), syncedAt);
  }
  return records.length;
}

/**
 * Writes a synthetic world through the hub's own write path (the same idempotent upserts the
 * sync uses), so demo data looks exactly like synced data, provenance included.
 */
export async function loadWorld(orm: MikroORM, world: World, onProgress: (line: string) => void = () => {}): Promise<LoadSummary> {
  const started = Date.now();
  const syncedAt = new Date();
  let records = 0;
  records += await loadAll(orm, RECORD_TABLES.enterprise, world.enterprises, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.abnormalOperation, world.abnormalOperations, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.licence, world.licences, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.vehicle, world.vehicles, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.practitioner, world.practitioners, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.checkpoint, world.checkpoints, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.creditRating, world.creditRatings, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.creditListEntry, world.creditListEntries, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.enforcementCase, world.enforcementCases, syncedAt);
  records += await loadAll(orm, RECORD_TABLES.weighing, world.weighings, syncedAt);
  onProgress(`loaded ${records} records`);
  let captures = 0;
  let pending: Promise<number> | null = null;
  for (const chunk of world.captures()) {
    for (let i = 0; i < chunk.length; i += BATCH) {
      // Overlap generating the next batch with writing this one.
      const write = insertCaptures(orm.em.fork(), chunk.slice(i, i + BATCH), syncedAt);
      if (pending) captures += await pending;
      pending = write;
    }
    if (captures > 0 && captures % 100_000 < BATCH) onProgress(`loaded ${captures} captures`);
  }
  if (pending) captures += await pending;
  return { records, captures, milliseconds: Date.now() - started };
}

/** True when the database holds no canonical data yet (the demo loads only into an empty hub). */
export async function isEmpty(orm: MikroORM): Promise<boolean> {
  const rows: Array<{ n: string }> = await orm.em.fork().execute('select (select count(*) from enterprise) + (select count(*) from vehicle) as n');
  return Number(rows[0].n) === 0;
}
