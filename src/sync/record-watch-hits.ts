import type { PoolClient } from 'pg';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';

/**
 * Records the hits of a capture batch, inside the batch's transaction on `client`: every capture
 * of a plate under a live watch (set before the capture, not yet expired or removed) is one
 * `watch_hit`, whose insert trigger puts its event in the outbox (migration `watch_lists`). A
 * capture seen before is no new hit (`watch_hit_once`), so a replayed batch announces nothing
 * twice. One statement whatever the batch's size: the captures go in as arrays.
 */
export async function recordWatchHits(client: PoolClient, all: readonly CaptureRecord[], recordedAt: Date): Promise<number> {
  if (all.length === 0) return 0;
  // Few plates are watched: only their captures are sent (the whole batch as arrays cost a tenth
  // of the batch's time). A watch set after this read is set after the batch's captures too, and
  // a capture before its watch is no hit.
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
