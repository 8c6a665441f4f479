import type { Pool } from 'pg';
import type { SourceSystem } from '../../../connectors/contract/canonical/codes';
import { QUARANTINE_OPEN } from './sync-vocabulary';

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
 * Every stream the sync tables know, in one statement that reads what it needs per stream by key:
 * the rows its runs wrote and its newest successful run, both kept with the runs
 * (`sync_stream_written`), and its records open in quarantine; never the run history. `caught_up_at`
 * is the newest SUCCEEDED run by id, as the operators' `connectors` query chooses it, so both
 * report the same lag.
 */
export async function readStreamHealth(pool: Pick<Pool, 'query'>): Promise<StreamHealth[]> {
  const { rows } = await pool.query<HealthRow>(`
    with streams as (
      select system, stream from sync_stream
      union select system, stream from sync_stream_written
      union select system, stream from quarantined_record where ${QUARANTINE_OPEN})
    select k.system, k.stream, s.last_success_at,
      (select r.started_at from sync_run r where r.id = w.last_succeeded_run) as caught_up_at,
      w.inserted::text, w.updated::text, w.deleted::text,
      (select count(*) from quarantined_record q
        where q.system = k.system and q.stream = k.stream and ${QUARANTINE_OPEN})::text as quarantined
    from streams k
    left join sync_stream s on s.system = k.system and s.stream = k.stream
    left join sync_stream_written w on w.system = k.system and w.stream = k.stream
    order by k.system, k.stream`);
  return rows.map((r) => ({
    system: r.system,
    stream: r.stream,
    caughtUpAt: r.caught_up_at,
    lastSuccessAt: r.last_success_at,
    rows: { inserted: Number(r.inserted ?? 0), updated: Number(r.updated ?? 0), deleted: Number(r.deleted ?? 0) },
    quarantined: Number(r.quarantined ?? 0),
  }));
}
