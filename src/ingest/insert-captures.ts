import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';

const UNIQUE_VIOLATION = '23505';

const COLUMNS = 'source_serial, captured_at, checkpoint_code, plate_number, plate_color, direction, lane, speed_kmh, image_ref, synced_at';

/** Shanghai calendar day of an instant, `YYYY-MM-DD` (captures are partitioned by it). */
export function shanghaiDay(iso: string): string {
  // Already Shanghai time (how the exchange's captures arrive): the date is written at the start.
  if (iso.length >= 25 && iso.endsWith('+08:00') && iso[10] === 'T') return iso.slice(0, 10);
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** COPY text format: tab-separated, with backslash, tab and newline escaped. */
function copyField(value: string | number): string {
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

function* copyLines(captures: readonly CaptureRecord[], syncedAt: string): Generator<string> {
  let buffer = '';
  for (const c of captures) {
    buffer +=
      `${c.serial}\t${copyField(c.capturedAt)}\t${copyField(c.checkpointCode)}\t${copyField(c.plateNumber)}\t${c.plateColor}\t` +
      `${c.direction}\t${c.lane}\t${c.speedKmh}\t${copyField(c.imageRef)}\t${syncedAt}\n`;
    if (buffer.length > 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** Streams captures into `table` (staging, or the partitioned table itself) with COPY. */
export async function copyCaptures(client: PoolClient, table: string, captures: readonly CaptureRecord[], syncedAt: Date): Promise<void> {
  await pipeline(Readable.from(copyLines(captures, syncedAt.toISOString())), client.query(copyFrom(`copy ${table} (${COLUMNS}) from stdin`)));
}

/**
 * Creates the day partitions a batch needs. Call it on the pool, outside the batch's transaction:
 * creating a partition locks the parent table, and holding that lock for a whole batch would
 * deadlock against concurrent writers.
 */
export async function ensureCapturePartitions(pool: Pool, captures: readonly CaptureRecord[]): Promise<void> {
  // The days the batch has, not the span between its extremes: one stray date must not create
  // a partition for every day in between.
  const days = [...new Set(captures.map((c) => shanghaiDay(c.capturedAt)))].sort();
  if (days.length === 0) return;
  // Usually every day is there: one look without the lock, then the lock only for the missing ones.
  const { rows } = await pool.query<{ day: string }>(
    `select to_char(d, 'YYYY-MM-DD') as day from unnest($1::date[]) d where to_regclass('checkpoint_capture_p' || to_char(d, 'YYYYMMDD')) is null`,
    [days],
  );
  for (const { day } of rows) await pool.query('select ensure_capture_partitions($1::date, $1::date)', [day]);
}

/** Days of capture partitions kept ready ahead of today (Shanghai). */
export const PARTITION_DAYS_AHEAD = 7;

/**
 * Creates the capture partitions of today and the next days ahead of time, so live traffic at
 * midnight finds its partition there and no batch waits on creating one; returns how many were new.
 */
export async function createPartitionsAhead(pool: Pool, now = new Date(), days = PARTITION_DAYS_AHEAD): Promise<number> {
  const today = shanghaiDay(now.toISOString());
  const { rows } = await pool.query<{ created: number }>('select ensure_capture_partitions($1::date, $1::date + $2::int) as created', [today, days]);
  return rows[0].created;
}

/** A capture's key as the table holds it: serial and instant (milliseconds). */
const keyOf = (serial: number | string, at: number) => `${serial}|${at}`;

/**
 * Which of `captures` the table already holds, in one statement: the rows in the batch's range of
 * serials and of instants (the key's index, only the partitions of the batch's days).
 */
async function heldKeys(client: PoolClient, captures: readonly CaptureRecord[]): Promise<Set<string>> {
  let [lowSerial, highSerial, lowAt, highAt] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const c of captures) {
    const at = Date.parse(c.capturedAt);
    lowSerial = Math.min(lowSerial, c.serial);
    highSerial = Math.max(highSerial, c.serial);
    lowAt = Math.min(lowAt, at);
    highAt = Math.max(highAt, at);
  }
  const { rows } = await client.query<{ source_serial: string; at: string }>(
    `select source_serial, (extract(epoch from captured_at) * 1000)::bigint as at from checkpoint_capture
      where source_serial between $1 and $2 and captured_at between $3 and $4`,
    [lowSerial, highSerial, new Date(lowAt).toISOString(), new Date(highAt).toISOString()],
  );
  return new Set(rows.map((r) => keyOf(r.source_serial, Number(r.at))));
}

/** COPY inside a savepoint: false (and rolled back to it) when a capture is already there. */
async function copiedWhole(client: PoolClient, captures: readonly CaptureRecord[], syncedAt: Date): Promise<boolean> {
  await client.query('savepoint capture_copy');
  try {
    await copyCaptures(client, 'checkpoint_capture', captures, syncedAt);
    await client.query('release savepoint capture_copy');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('rollback to savepoint capture_copy');
    return false;
  }
}

/**
 * The bulk path for captures, inside the caller's transaction on `client` (so they commit, or
 * not, with whatever else the caller writes; the partitions must exist). Usually every capture is
 * new and is COPYed straight into the day partitions. When some were seen before (a replayed or
 * look-back batch), the COPY fails on the key and is rolled back to its savepoint; the ones the
 * table holds are looked up and only the others COPYed, still straight into the partitions (an
 * insert through a staging table, row by row with `on conflict`, ran at half COPY's pace). Should
 * that COPY fail on the key too (a concurrent writer of the same captures, a capture twice in the
 * batch), the batch goes through a staging table so only the new ones are inserted. Returns how
 * many were new.
 */
export async function insertCaptures(client: PoolClient, captures: readonly CaptureRecord[], syncedAt: Date): Promise<number> {
  if (captures.length === 0) return 0;
  if (await copiedWhole(client, captures, syncedAt)) return captures.length;
  const held = await heldKeys(client, captures);
  const fresh = captures.filter((c) => !held.has(keyOf(c.serial, Date.parse(c.capturedAt))));
  if (fresh.length === 0) return 0;
  if (await copiedWhole(client, fresh, syncedAt)) return fresh.length;
  await client.query('create temp table if not exists capture_staging (like checkpoint_capture including defaults)');
  await copyCaptures(client, 'capture_staging', captures, syncedAt);
  const result = await client.query(`insert into checkpoint_capture (${COLUMNS})
    select ${COLUMNS} from capture_staging on conflict do nothing`);
  await client.query('truncate capture_staging');
  return result.rowCount ?? 0;
}
