import type { Pool, PoolClient } from 'pg';
import type { QuarantineEntry } from '../../../connectors/contract';
import { QUARANTINE_OPEN, type StreamRef } from './sync-vocabulary';

/** `quarantined_record`: source records the hub could not accept, until they land or are replaced. */

/**
 * Valid versions of records that were quarantined have landed: their open entries are resolved
 * (kept, for the history), so the quarantine lists only what still needs a person.
 */
export async function resolveLanded(client: PoolClient, ref: StreamRef, recordIds: readonly string[], now: Date): Promise<void> {
  await client.query(
    `update quarantined_record set resolved_at = $4, resolution = 'LANDED'
    where system = $1 and stream = $2 and source_id = any($3::text[]) and ${QUARANTINE_OPEN}`,
    [ref.system, ref.stream, recordIds, now],
  );
}

/**
 * Quarantines a bad record. Read again unchanged (look-back, FULL runs), it is not entered twice;
 * sent again changed, its open entry is resolved as REPLACED and the new version entered, so a
 * record has one open entry at most. A record without a source id is known by its content.
 */
export async function quarantine(client: PoolClient, ref: StreamRef, q: QuarantineEntry, runId: number | null, now: Date): Promise<void> {
  const raw = JSON.stringify(q.raw);
  if (q.sourceId !== null) {
    await client.query(
      `update quarantined_record set resolved_at = $5, resolution = 'REPLACED'
      where system = $1 and stream = $2 and source_id = $3 and raw_hash <> md5($4::jsonb::text) and ${QUARANTINE_OPEN}`,
      [ref.system, ref.stream, q.sourceId, raw, now],
    );
  }
  const openKey = q.sourceId === null ? '(system, stream, raw_hash) where source_id is null' : '(system, stream, source_id) where source_id is not null';
  await client.query(
    `insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, run_id, quarantined_at)
    values ($1, $2, $3, $4, md5($4::jsonb::text), $5, $6, $7)
    on conflict ${openKey} and ${QUARANTINE_OPEN} do nothing`,
    [ref.system, ref.stream, q.sourceId, raw, q.reasons, runId, now],
  );
}

/** Releases the stream's open entries for another try; returns them (entry id and source id). */
export async function releaseQuarantined(client: PoolClient, ref: StreamRef): Promise<Array<{ id: string; sourceId: string | null }>> {
  const { rows } = await client.query<{ id: string; source_id: string | null }>(
    `update quarantined_record set released_at = now()
    where system = $1 and stream = $2 and ${QUARANTINE_OPEN} returning id, source_id`,
    [ref.system, ref.stream],
  );
  return rows.map((r) => ({ id: r.id, sourceId: r.source_id }));
}

/** Puts released entries back into quarantine, unless the record was quarantined anew meanwhile. */
export async function unrelease(pool: Pool, entryIds: readonly string[]): Promise<void> {
  await pool.query(
    `update quarantined_record q set released_at = null where q.id = any($1::bigint[])
    and not exists (select 1 from quarantined_record o where o.system = q.system and o.stream = q.stream
      and o.source_id is not distinct from q.source_id and (o.source_id is not null or o.raw_hash = q.raw_hash)
      and o.released_at is null and o.resolved_at is null)`,
    [entryIds],
  );
}
