import type { Pool, PoolClient } from 'pg';
import { ConfigurationError, TransientError } from '../../../connectors/contract';
import { inTransaction } from '../../db/transaction';
import { StaleCursorError } from './stale-cursor-error';
import { advanceCursorIfAt, lockExistingStream } from './stream-store';
import type { StreamRef } from './sync-vocabulary';

/** `sync_snapshot` and `sync_snapshot_seen`: the FULL read of a stream under way, and what it saw. */

/** An unfinished FULL read older than this is started over rather than continued. */
const SNAPSHOT_MAX_AGE = "interval '24 hours'";

/** Reconciliation never deletes more than this share of a table's live rows in one run. */
const MAX_RECONCILED_SHARE = 0.2;

/** Where a FULL read of a stream stands: when its snapshot began and the source position it reached. */
export interface Snapshot {
  startedAt: Date;
  /** Its version: each batch of the read checks and moves it. */
  version: number;
  /** The connector state to read on from (null: from the beginning). */
  cursor: unknown;
  /** True when this continues a snapshot an earlier run began. */
  resumed: boolean;
}

/**
 * Opens the stream's snapshot for a FULL run: continues an unfinished one of the last 24 hours
 * (a FULL run that failed or was stopped), or begins a new one from the source's beginning.
 */
export async function openSnapshot(pool: Pool, ref: StreamRef): Promise<Snapshot> {
  const current = async () =>
    (
      await pool.query<{ started_at: Date; cursor: unknown; version: string }>(
        `select started_at, cursor, version
    from sync_snapshot where system = $1 and stream = $2 and started_at > now() - ${SNAPSHOT_MAX_AGE}`,
        [ref.system, ref.stream],
      )
    ).rows[0];
  const resumed = (row: { started_at: Date; cursor: unknown; version: string }): Snapshot => ({
    startedAt: row.started_at,
    cursor: row.cursor,
    version: Number(row.version),
    resumed: true,
  });
  const found = await current();
  if (found) return resumed(found);
  const opened = await inTransaction(pool, async (client) => {
    // Only an expired snapshot is thrown away: one another runner just opened is joined below.
    await client.query(
      `delete from sync_snapshot_seen where system = $1 and stream = $2 and exists (select 1 from sync_snapshot
      where system = $1 and stream = $2 and started_at <= now() - ${SNAPSHOT_MAX_AGE})`,
      [ref.system, ref.stream],
    );
    await client.query(`delete from sync_snapshot where system = $1 and stream = $2 and started_at <= now() - ${SNAPSHOT_MAX_AGE}`, [ref.system, ref.stream]);
    // Versions never start again at 0 (they start at the creation time in µs), so a runner still
    // holding an earlier snapshot's version can never match a new snapshot's.
    const { rows } = await client.query<{ started_at: Date; version: string }>(
      `insert into sync_snapshot (system, stream, started_at, version)
      values ($1, $2, now(), (extract(epoch from clock_timestamp()) * 1000000)::bigint)
      on conflict (system, stream) do nothing returning started_at, version`,
      [ref.system, ref.stream],
    );
    return rows[0];
  });
  if (opened) return { startedAt: opened.started_at, cursor: null, version: Number(opened.version), resumed: false };
  // Another runner opened it first: this one goes on with it (its version check decides who commits).
  const joined = await current();
  if (!joined) throw new TransientError(`the snapshot of ${ref.system}/${ref.stream} changed while it was opened`);
  return resumed(joined);
}

/** Locks the stream's snapshot for the transaction; returns its version, or -1 when there is none (completed, or started over). */
export async function lockSnapshot(client: PoolClient, ref: StreamRef): Promise<number> {
  const { rows } = await client.query<{ version: string }>('select version from sync_snapshot where system = $1 and stream = $2 for update', [
    ref.system,
    ref.stream,
  ]);
  return rows.length ? Number(rows[0].version) : -1;
}

/**
 * A batch of the FULL read committed: the records it saw join the snapshot's (all that counted
 * before are forgotten when the read began again from the start), and the snapshot's cursor and
 * version move.
 */
export async function advanceSnapshot(
  client: PoolClient,
  ref: StreamRef,
  cursor: unknown,
  seen: { records: readonly string[]; restart?: boolean },
): Promise<void> {
  if (seen.restart) await client.query('delete from sync_snapshot_seen where system = $1 and stream = $2', [ref.system, ref.stream]);
  if (seen.records.length) {
    await client.query(
      `insert into sync_snapshot_seen (system, stream, record_id) select $1, $2, unnest($3::text[])
      on conflict do nothing`,
      [ref.system, ref.stream, seen.records],
    );
  }
  await client.query('update sync_snapshot set cursor = $3, version = version + 1 where system = $1 and stream = $2', [
    ref.system,
    ref.stream,
    JSON.stringify(cursor),
  ]);
}

/** Forgets the stream's unfinished snapshot: the next FULL run reads from the beginning. */
export async function discardSnapshot(client: Pool | PoolClient, ref: StreamRef): Promise<void> {
  await client.query('delete from sync_snapshot_seen where system = $1 and stream = $2', [ref.system, ref.stream]);
  await client.query('delete from sync_snapshot where system = $1 and stream = $2', [ref.system, ref.stream]);
}

/** What to reconcile when a snapshot of a source without deletions completes. */
export interface Reconciliation {
  table: string;
  system: string;
}

/**
 * Completes the snapshot under its lock, checking no other runner moved it: reconciles
 * (soft-deletes the live rows of the source the snapshot did not contain) and forgets the
 * snapshot. The stream's cursor moves to where the snapshot ended only if no incremental run
 * moved it meanwhile (theirs is then newer). Only rows last synced before the snapshot began are
 * judged, so a row another runner brought in meanwhile is never taken for vanished. An empty or
 * implausibly small snapshot (a source answering with a fraction of its data) deletes nothing and
 * is reported instead. Returns the rows deleted.
 */
export async function completeSnapshot(
  pool: Pool,
  ref: StreamRef,
  snapshot: Snapshot,
  expectedVersion: number,
  stream: { version: number; cursor: unknown | undefined },
  reconciliation: Reconciliation | null,
): Promise<number> {
  try {
    return await inTransaction(pool, async (client) => {
      // Locks in the order batches take them: the stream, then the snapshot.
      await lockExistingStream(client, ref);
      const version = await lockSnapshot(client, ref);
      if (version !== expectedVersion) throw new StaleCursorError(ref, expectedVersion, version);
      let deleted = 0;
      if (reconciliation) deleted = await reconcile(client, ref, snapshot, reconciliation);
      if (stream.cursor !== undefined) await advanceCursorIfAt(client, ref, stream.cursor, stream.version);
      await discardSnapshot(client, ref);
      return deleted;
    });
  } catch (error) {
    // A refused reconciliation needs a person, not the same snapshot judged again: start over next time.
    if (error instanceof ConfigurationError) await discardSnapshot(pool, ref).catch(() => undefined);
    throw error;
  }
}

async function reconcile(client: PoolClient, ref: StreamRef, snapshot: Snapshot, { table, system }: Reconciliation): Promise<number> {
  const vanished = `t.deleted_at is null and t.provenance_system = $1 and t.provenance_synced_at < $2 and not exists (
    select 1 from sync_snapshot_seen s where s.system = $3 and s.stream = $4 and s.record_id = t.provenance_record_id)`;
  const params = [system, snapshot.startedAt, ref.system, ref.stream];
  const {
    rows: [counts],
  } = await client.query<{ live: number; gone: number; seen: number }>(
    `select count(*)::int as live,
      count(*) filter (where ${vanished})::int as gone,
      (select count(*)::int from sync_snapshot_seen where system = $3 and stream = $4) as seen
    from ${table} t where t.deleted_at is null and t.provenance_system = $1`,
    params,
  );
  const { live, gone, seen } = counts;
  if (gone > 0 && (seen === 0 || gone > live * MAX_RECONCILED_SHARE)) {
    throw new ConfigurationError(`reconciliation of ${table} would delete ${gone} of ${live} rows; refusing (check the source's snapshot)`);
  }
  if (gone === 0) return 0;
  const result = await client.query(`update ${table} t set deleted_at = now() where ${vanished}`, params);
  return result.rowCount ?? 0;
}
