import type { Pool, PoolClient } from 'pg';
import type { StreamRef } from './sync-vocabulary';

/** `sync_stream`: each stream's cursor, its version, its last success and why it needs attention. */

/** Current cursor and version of a stream (version 0 and no cursor before its first batch). */
export async function streamState(pool: Pool | PoolClient, ref: StreamRef): Promise<{ cursor: unknown; version: number }> {
  const { rows } = await pool.query<{ cursor: unknown; version: string }>('select cursor, version from sync_stream where system = $1 and stream = $2', [
    ref.system,
    ref.stream,
  ]);
  return rows.length ? { cursor: rows[0].cursor, version: Number(rows[0].version) } : { cursor: null, version: 0 };
}

/** Creates the stream's row if missing and locks it for the transaction; returns its version. */
export async function lockStream(client: PoolClient, ref: StreamRef): Promise<number> {
  await client.query('insert into sync_stream (system, stream) values ($1, $2) on conflict do nothing', [ref.system, ref.stream]);
  const { rows } = await client.query<{ version: string }>('select version from sync_stream where system = $1 and stream = $2 for update', [
    ref.system,
    ref.stream,
  ]);
  return Number(rows[0].version);
}

/** Locks the stream's row, if it exists, for the transaction. */
export async function lockExistingStream(client: PoolClient, ref: StreamRef): Promise<void> {
  await client.query('select 1 from sync_stream where system = $1 and stream = $2 for update', [ref.system, ref.stream]);
}

/** An incremental batch committed: the cursor moves, the version too, and the stream is well again. */
export async function advanceCursor(client: PoolClient, ref: StreamRef, cursor: unknown, now: Date): Promise<void> {
  await client.query(
    `update sync_stream set cursor = $3, version = version + 1, last_success_at = $4, needs_attention = null
    where system = $1 and stream = $2`,
    [ref.system, ref.stream, JSON.stringify(cursor), now],
  );
}

/** A batch of a FULL read committed: the stream is well again; its cursor is left to incremental runs. */
export async function recordSuccess(client: PoolClient, ref: StreamRef, now: Date): Promise<void> {
  await client.query('update sync_stream set last_success_at = $3, needs_attention = null where system = $1 and stream = $2', [ref.system, ref.stream, now]);
}

/** Moves the cursor only if the stream is still at `version` (no incremental run moved it meanwhile). */
export async function advanceCursorIfAt(client: PoolClient, ref: StreamRef, cursor: unknown, version: number): Promise<void> {
  await client.query('update sync_stream set cursor = $3, version = version + 1 where system = $1 and stream = $2 and version = $4', [
    ref.system,
    ref.stream,
    JSON.stringify(cursor),
    version,
  ]);
}

/** The stream stopped for a reason a person must fix; shown until a batch commits. */
export async function markNeedsAttention(pool: Pool, ref: StreamRef, reason: string): Promise<void> {
  await pool.query(
    `insert into sync_stream (system, stream, needs_attention) values ($1, $2, $3)
    on conflict (system, stream) do update set needs_attention = excluded.needs_attention`,
    [ref.system, ref.stream, reason],
  );
}

/**
 * Rewrites the stream's cursor under its lock with `rewrite` (the connector's, which alone knows
 * the cursor's format), moving its version so that a runner holding the old cursor commits nothing.
 * Nothing happens for a stream never synced, nor when `rewrite` returns undefined (nothing to change).
 */
export async function rewriteCursor(client: PoolClient, ref: StreamRef, rewrite: (cursor: unknown) => unknown): Promise<void> {
  const {
    rows: [state],
  } = await client.query<{ cursor: unknown }>('select cursor from sync_stream where system = $1 and stream = $2 for update', [ref.system, ref.stream]);
  const next = state ? rewrite(state.cursor) : undefined;
  if (next === undefined) return;
  await client.query('update sync_stream set cursor = $3, version = version + 1 where system = $1 and stream = $2', [
    ref.system,
    ref.stream,
    JSON.stringify(next),
  ]);
}
