import type { Pool } from 'pg';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import type { World } from './world';
import { RECORD_TABLES, type RecordTable } from '../ingest/record-tables';
import { ensureCapturePartitions, insertCaptures } from '../ingest/insert-captures';
import { upsertRecords } from '../ingest/upsert-records';

/** Records per upsert statement: large enough to amortise round trips, small enough for the JSON param. */
const BATCH = 5_000;

export interface LoadSummary {
  records: number;
  captures: number;
  milliseconds: number;
}

async function loadAll<R extends { updatedAt: string }>(pool: Pool, spec: RecordTable<R>, records: readonly R[], syncedAt: Date): Promise<number> {
  for (let i = 0; i < records.length; i += BATCH) {
    await upsertRecords(pool, spec, records.slice(i, i + BATCH), syncedAt);
  }
  return records.length;
}

/** Captures in one transaction per batch; a failed batch leaves nothing half-written. */
async function loadCaptures(pool: Pool, chunk: readonly CaptureRecord[], syncedAt: Date): Promise<number> {
  await ensureCapturePartitions(pool, chunk);
  const client = await pool.connect();
  try {
    await client.query('begin');
    const n = await insertCaptures(client, chunk, syncedAt);
    await client.query('commit');
    return n;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Writes a synthetic world through the hub's own write path (the same idempotent upserts the
 * sync uses), so demo data looks exactly like synced data, provenance included.
 */
/** How much of a world is loaded so far. */
export interface LoadProgress {
  records: number;
  captures: number;
}

export interface LoadOptions {
  /** Told how much is loaded: at the start, after the records, then every 200,000 captures. */
  onProgress?: (loaded: LoadProgress) => void;
  /** Called once every record is written, before the captures (most of the load): what needs only records may start. */
  onRecordsLoaded?: () => void;
  /** Load only the captures this accepts (tests that need a large world but few captures). */
  captureFilter?: (capture: CaptureRecord) => boolean;
}

export async function loadWorld(pool: Pool, world: World, options: LoadOptions = {}): Promise<LoadSummary> {
  const { onProgress = () => {}, captureFilter, onRecordsLoaded = () => {} } = options;
  const started = Date.now();
  const syncedAt = new Date();
  let records = 0;
  onProgress({ records, captures: 0 });
  records += await loadAll(pool, RECORD_TABLES.enterprise, world.enterprises, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.abnormalOperation, world.abnormalOperations, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.licence, world.licences, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.vehicle, world.vehicles, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.practitioner, world.practitioners, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.checkpoint, world.checkpoints, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.creditRating, world.creditRatings, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.creditListEntry, world.creditListEntries, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.enforcementCase, world.enforcementCases, syncedAt);
  records += await loadAll(pool, RECORD_TABLES.weighing, world.weighings, syncedAt);
  onProgress({ records, captures: 0 });
  onRecordsLoaded();
  let captures = 0;
  let pending: Promise<number> | null = null;
  let reported = 0;
  for (const day of world.captures()) {
    const chunk = captureFilter ? day.filter(captureFilter) : day;
    // Overlap generating the next day with writing this one.
    const write = loadCaptures(pool, chunk, syncedAt);
    if (pending) captures += await pending;
    pending = write;
    if (captures - reported >= 200_000) {
      onProgress({ records, captures });
      reported = captures;
    }
  }
  if (pending) captures += await pending;
  return { records, captures, milliseconds: Date.now() - started };
}

/** True when the database holds no canonical data yet (the demo loads only into an empty hub). */
export async function isEmpty(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ n: string }>('select (select count(*) from enterprise) + (select count(*) from vehicle) as n');
  return Number(rows[0].n) === 0;
}
