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
  const result = await client.query(
    `insert into watch_hit (watch_id, capture_serial, captured_at, checkpoint_code, division, plate_number, plate_color, recorded_at)
     select w.id, c.serial, c.captured_at, c.checkpoint_code, coalesce(k.division_code, ''), c.plate_number, c.plate_color, $6
     from unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])
            as c (serial, captured_at, checkpoint_code, plate_number, plate_color)
     join watch w on w.plate_number = c.plate_number and w.plate_color = c.plate_color
       and w.removed_at is null and w.deleted_at is null and c.captured_at >= w.created_at and c.captured_at < w.expires_at
     left join checkpoint k on k.code = c.checkpoint_code
     order by c.captured_at, c.serial
     on conflict on constraint watch_hit_once do nothing`,
    [
      captures.map((c) => c.serial),
      captures.map((c) => c.capturedAt),
      captures.map((c) => c.checkpointCode),
      captures.map((c) => c.plateNumber),
      captures.map((c) => c.plateColor),
      recordedAt,
    ],
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
  // The rule of `recordWatchHits`, with the new watch's captures for the batch: each is a hit of
  // every live watch of its plate whose time it falls in (the others' hits are already recorded).
  const result = await client.query(
    `insert into watch_hit (watch_id, capture_serial, captured_at, checkpoint_code, division, plate_number, plate_color, recorded_at)
     select w.id, c.source_serial, c.captured_at, c.checkpoint_code, coalesce(k.division_code, ''), c.plate_number, c.plate_color, $2
     from watch n
     join checkpoint_capture c on c.plate_number = n.plate_number and c.plate_color = n.plate_color
       and c.captured_at >= n.created_at and c.captured_at < n.expires_at
     join watch w on w.plate_number = c.plate_number and w.plate_color = c.plate_color
       and w.removed_at is null and w.deleted_at is null and c.captured_at >= w.created_at and c.captured_at < w.expires_at
     left join checkpoint k on k.code = c.checkpoint_code
     where n.id = $1
     order by c.captured_at, c.source_serial
     on conflict on constraint watch_hit_once do nothing`,
    [watchId, recordedAt],
  );
  return result.rowCount ?? 0;
}
