import type { PoolClient } from 'pg';
import type { CaptureRecord } from '../../../connectors/contract/canonical/records';
import { AdvisoryLock } from '../../db/advisory-locks';

/** What of a capture makes a hit. */
export type CaptureSighting = Pick<CaptureRecord, 'serial' | 'capturedAt' | 'checkpointCode' | 'plateNumber' | 'plateColor'>;

/**
 * Records the hits of a capture batch, inside the batch's transaction on `client`: every capture
 * of a plate under a live watch (set before the capture, not yet expired or removed) is one
 * `watch_hit`, whose insert trigger puts its event in the outbox (migration `watch_lists`). A
 * capture seen before is no new hit (`watch_hit_once`), so a replayed batch announces nothing
 * twice. One statement whatever the batch's size: the captures go in as arrays.
 *
 * From its look at the watches until it commits, the batch holds the watch-hits lock shared; a
 * watch is set holding it exclusive, so it waits for batches that looked before it existed and
 * then records their hits itself (`recordHitsOfNewWatch`), and batches after it see it.
 */
export async function recordWatchHits(client: PoolClient, all: readonly CaptureSighting[], recordedAt: Date): Promise<number> {
  if (all.length === 0) return 0;
  await client.query('select pg_advisory_xact_lock_shared($1)', [AdvisoryLock.WATCH_HITS]);
  // Few plates are watched: only their captures are sent (the whole batch as arrays cost a tenth
  // of the batch's time).
  const { rows: watched } = await client.query<{ plate: string }>(
    `select distinct plate_number || '|' || plate_color as plate from watch where removed_at is null and deleted_at is null and expires_at > $1`,
    // A loop, not Math.min(...): a spread of a large batch overflows the call stack.
    [new Date(all.reduce((earliest, c) => Math.min(earliest, Date.parse(c.capturedAt)), Infinity))],
  );
  if (watched.length === 0) return 0;
  const plates = new Set(watched.map((w) => w.plate));
  const captures = all.filter((c) => plates.has(`${c.plateNumber}|${c.plateColor}`));
  if (captures.length === 0) return 0;
  return insertHits(
    client,
    'unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[]) as c (serial, captured_at, checkpoint_code, plate_number, plate_color)',
    [
      captures.map((c) => c.serial),
      captures.map((c) => c.capturedAt),
      captures.map((c) => c.checkpointCode),
      captures.map((c) => c.plateNumber),
      captures.map((c) => c.plateColor),
    ],
    recordedAt,
  );
}

/**
 * The rule of a hit, which a batch's captures and a new watch's past ones alike go through: each
 * capture of `captures` (a relation `c` of serial, captured_at, checkpoint_code, plate_number,
 * plate_color, over `params`) is a hit of every live watch of its plate whose time it falls in;
 * one recorded before is not recorded again.
 */
async function insertHits(client: PoolClient, captures: string, params: readonly unknown[], recordedAt: Date): Promise<number> {
  const result = await client.query(
    `insert into watch_hit (watch_id, capture_serial, captured_at, checkpoint_code, division, plate_number, plate_color, recorded_at)
     select w.id, c.serial, c.captured_at, c.checkpoint_code, coalesce(k.division_code, ''), c.plate_number, c.plate_color, $${params.length + 1}
     from ${captures}
     join watch w on w.plate_number = c.plate_number and w.plate_color = c.plate_color
       and w.removed_at is null and w.deleted_at is null and c.captured_at >= w.created_at and c.captured_at < w.expires_at
     left join checkpoint k on k.code = c.checkpoint_code
     order by c.captured_at, c.serial
     on conflict on constraint watch_hit_once do nothing`,
    [...params, recordedAt],
  );
  return result.rowCount ?? 0;
}

/**
 * In the transaction that sets a watch, before its insert: waits for the capture batches that
 * looked at the watches before this one existed (they hold the lock shared until they commit) and
 * keeps later ones from looking until this transaction commits.
 */
export async function holdWatchHits(client: PoolClient): Promise<void> {
  await client.query('select pg_advisory_xact_lock($1)', [AdvisoryLock.WATCH_HITS]);
}

/**
 * In the same transaction, after the insert: the hits of the new watch among captures already
 * committed (captured after the watch's start, by the rule every batch applies), which no batch
 * will look at again.
 */
export async function recordHitsOfNewWatch(client: PoolClient, watchId: string, recordedAt: Date): Promise<number> {
  await client.query('select pg_advisory_xact_lock_shared($1)', [AdvisoryLock.WATCH_HITS]);
  // The new watch's captures through the rule every batch applies: each is a hit of every live
  // watch of its plate whose time it falls in (the others' hits are already recorded).
  return insertHits(
    client,
    `(select x.source_serial as serial, x.captured_at, x.checkpoint_code, x.plate_number, x.plate_color
      from watch n join checkpoint_capture x on x.plate_number = n.plate_number and x.plate_color = n.plate_color
        and x.captured_at >= n.created_at and x.captured_at < n.expires_at
      where n.id = $1) as c`,
    [watchId],
    recordedAt,
  );
}
