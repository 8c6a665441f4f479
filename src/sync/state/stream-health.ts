import type { Pool } from 'pg';
import type { SourceSystem } from '../../../connectors/contract/canonical/codes';

/** A stream's health as a monitor reads it: how current, how much it wrote, what waits in quarantine. */
export interface StreamHealth {
  system: SourceSystem;
  stream: string;
  /** When its newest SUCCEEDED run began: what the hub is caught up to (see `lagSecondsSince`). */
  caughtUpAt: Date | null;
  lastSuccessAt: Date | null;
  /** Rows all its runs wrote (a running one's so far), by change. */
  rows: { inserted: number; updated: number; deleted: number };
  /** Its records in quarantine now: neither released for another try nor resolved. */
  quarantined: number;
}

interface HealthRow {
  system: SourceSystem;
  stream: string;
  caught_up_at: Date | null;
  last_success_at: Date | null;
  inserted: string | null;
  updated: string | null;
  deleted: string | null;
  quarantined: string | null;
}

/**
 * Every stream the sync tables know, in one statement. `caught_up_at` is chosen as the operators'
 * `connectors` query chooses it (the newest SUCCEEDED run by id), so both report the same lag.
 */
export async function readStreamHealth(pool: Pool): Promise<StreamHealth[]> {
  const { rows } = await pool.query<HealthRow>(`
    select system, stream, caught_up.started_at as caught_up_at, s.last_success_at,
      written.inserted, written.updated, written.deleted, held.quarantined
    from sync_stream s
    full join (select system, stream, sum(inserted)::text as inserted, sum(updated)::text as updated, sum(deleted)::text as deleted
      from sync_run group by system, stream) written using (system, stream)
    full join (select system, stream, count(*)::text as quarantined from quarantined_record
      where released_at is null and resolved_at is null group by system, stream) held using (system, stream)
    left join (select distinct on (system, stream) system, stream, started_at from sync_run
      where status = 'SUCCEEDED' order by system, stream, id desc) caught_up using (system, stream)
    order by system, stream`);
  return rows.map((r) => ({
    system: r.system,
    stream: r.stream,
    caughtUpAt: r.caught_up_at,
    lastSuccessAt: r.last_success_at,
    rows: { inserted: Number(r.inserted ?? 0), updated: Number(r.updated ?? 0), deleted: Number(r.deleted ?? 0) },
    quarantined: Number(r.quarantined ?? 0),
  }));
}
