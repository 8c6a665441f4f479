import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaptureRecord } from '../canonical/records';

/** Shanghai calendar day of an instant, `YYYY-MM-DD` (captures are partitioned by it). */
function shanghaiDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Appends captures, creating their day partitions first. A capture already present (same
 * serial and time) is skipped, so replaying a batch is harmless.
 */
export async function insertCaptures(em: EntityManager, captures: readonly CaptureRecord[], syncedAt: Date): Promise<number> {
  if (captures.length === 0) return 0;
  let first = shanghaiDay(captures[0].capturedAt);
  let last = first;
  const rows = captures.map((c) => {
    const day = shanghaiDay(c.capturedAt);
    if (day < first) first = day;
    if (day > last) last = day;
    return {
      source_serial: c.serial, captured_at: c.capturedAt, checkpoint_code: c.checkpointCode, plate_number: c.plateNumber,
      plate_color: c.plateColor, direction: c.direction, lane: c.lane, speed_kmh: c.speedKmh, image_ref: c.imageRef,
      synced_at: syncedAt.toISOString(),
    };
  });
  await em.execute('select ensure_capture_partitions(?::date, ?::date)', [first, last]);
  const result: Array<{ source_serial: string }> = await em.execute(`
    insert into checkpoint_capture (source_serial, captured_at, checkpoint_code, plate_number, plate_color, direction, lane, speed_kmh, image_ref, synced_at)
    select source_serial, captured_at, checkpoint_code, plate_number, plate_color, direction, lane, speed_kmh, image_ref, synced_at
    from json_populate_recordset(null::checkpoint_capture, ?::json)
    on conflict do nothing
    returning source_serial`, [JSON.stringify(rows)]);
  return result.length;
}
