import type { PoolClient } from 'pg';
import type { RecordTable } from './record-tables';

/**
 * Soft-deletes the records a source reported deleted; returns how many rows it deleted. A
 * deletion is a change like any other: it takes the source's time, so an update older than the
 * deletion arriving late cannot revive the row, and one newer (re-creation) can.
 */
export async function softDeleteRecords(
  client: Pick<PoolClient, 'query'>,
  spec: Pick<RecordTable<never>, 'table' | 'system'>,
  deleted: ReadonlyArray<{ recordId: string; deletedAt: string }>,
  now: Date,
): Promise<number> {
  const result = await client.query(
    `update ${spec.table} as t
    set deleted_at = $3, provenance_source_updated_at = d.deleted_at::timestamptz
    from unnest($1::text[], $2::text[]) as d(record_id, deleted_at)
    where t.provenance_system = $4 and t.provenance_record_id = d.record_id and t.deleted_at is null
      and t.provenance_source_updated_at <= d.deleted_at::timestamptz`,
    [deleted.map((d) => d.recordId), deleted.map((d) => d.deletedAt), now, spec.system],
  );
  return result.rowCount ?? 0;
}
