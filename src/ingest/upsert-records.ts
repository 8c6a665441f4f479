import type { Pool, PoolClient } from 'pg';
import { contentHash } from './content-hash';
import type { RecordTable } from './record-tables';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const tableColumns = new Map<string, Promise<Set<string>>>();

/**
 * The table's real columns, read once: only record fields that name one become SQL, so a field a
 * connector passes through from upstream can never turn into SQL text.
 */
function columnsOf(db: Pool | PoolClient, table: string): Promise<Set<string>> {
  let columns = tableColumns.get(table);
  if (!columns) {
    columns = db
      .query<{ column_name: string }>('select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1', [table])
      .then((r) => new Set(r.rows.map((row) => row.column_name)));
    columns.catch(() => tableColumns.delete(table));
    tableColumns.set(table, columns);
  }
  return columns;
}

/**
 * Idempotent upsert of canonical records by natural key, in one statement per batch:
 * - a record older than the row the hub holds never overwrites it (out-of-order delivery);
 * - a record whose content hash is unchanged is not rewritten;
 * - a record seen again after a soft delete is revived.
 * `json_populate_recordset` casts every field to its column's type from the table's row type.
 * Runs on `db` as given: pass a transaction's client to commit the rows with other writes.
 */
export async function upsertRecords<R extends { updatedAt: string }>(
  db: Pool | PoolClient,
  spec: RecordTable<R>,
  records: readonly R[],
  syncedAt: Date,
): Promise<UpsertCounts> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const known = await columnsOf(db, spec.table);
  // One statement cannot touch a row twice: when a batch repeats a key, its newest version wins.
  const newest = new Map<string, R>();
  for (const record of records) {
    const key = spec.recordId(record);
    const held = newest.get(key);
    if (!held || Date.parse(record.updatedAt) >= Date.parse(held.updatedAt)) newest.set(key, record);
  }
  const rows = [...newest.values()].map((record) => {
    const row: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(record)) {
      const column = snake(field);
      if (field !== 'updatedAt' && known.has(column)) row[column] = value;
    }
    row.provenance_system = spec.system;
    row.provenance_record_id = spec.recordId(record);
    row.provenance_source_updated_at = record.updatedAt;
    row.provenance_synced_at = syncedAt.toISOString();
    row.provenance_content_hash = contentHash(record);
    row.deleted_at = null;
    return row;
  });
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const updates = columns
    .filter((c) => !spec.keyColumns.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  const result = await db.query<{ inserted: boolean }>(
    `
    insert into ${spec.table} as t (${columns.join(', ')})
    select ${columns.join(', ')} from json_populate_recordset(null::${spec.table}, $1::json)
    on conflict (${spec.keyColumns.join(', ')}) do update set ${updates}
    where t.provenance_source_updated_at <= excluded.provenance_source_updated_at
      and (t.provenance_content_hash <> excluded.provenance_content_hash or t.deleted_at is not null)
    returning (xmax = 0) as inserted`,
    [JSON.stringify(rows)],
  );
  const inserted = result.rows.filter((r) => r.inserted).length;
  return { inserted, updated: result.rows.length - inserted, unchanged: records.length - result.rows.length };
}
