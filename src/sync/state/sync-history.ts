import type { SourceSystem } from '../../../connectors/contract/canonical/codes';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { pageByKey, type Page } from '../../read-kit/pagination';
import type { ErrorClass } from '../sync-failure';
import { RUN_UNDER_WAY, type QuarantineResolution, type SyncMode, type SyncRunStatus } from './sync-vocabulary';

/** A run as operators see it. */
export interface RunRecord {
  id: string;
  system: SourceSystem;
  stream: string;
  mode: SyncMode;
  status: SyncRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  batches: number;
  estimatedBatches: number | null;
  progress: number | null;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  requestedBy: string | null;
}

/** A quarantine entry as operators see it. */
export interface QuarantineRecord {
  id: string;
  system: SourceSystem;
  stream: string;
  sourceId: string | null;
  raw: string;
  reasons: string[];
  runId: string | null;
  quarantinedAt: Date;
  releasedAt: Date | null;
  resolvedAt: Date | null;
  resolution: QuarantineResolution | null;
}

interface RunRow {
  id: string;
  system: SourceSystem;
  stream: string;
  mode: SyncMode;
  status: SyncRunStatus;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  batches: number;
  estimated_batches: number | null;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
  error_class: ErrorClass | null;
  error_message: string | null;
  requested_by: string | null;
}

const RUN_COLUMNS = `id::text, system, stream, mode, status, started_at, finished_at, heartbeat_at, batches, estimated_batches,
  read, inserted, updated, unchanged, deleted, quarantined, error_class, error_message, requested_by`;

/**
 * Per stream, its newest finished run (`last`), its newest successful run (`complete`, as the
 * runs' trigger keeps it in sync_stream_written) and its run under way (`current`), each read by
 * index: `sync_run` is never pruned, and a distinct-on over every run read the whole history on
 * each operator's look at the connectors. Each stream's runs are read in a subquery with a limit,
 * run per stream: flattened into a join, the planner (no statistics yet on a young hub's
 * sync_stream_written) hashed the newest successes against every run. Exported for its plan test.
 */
export const LATEST_RUNS = `
  -- sync_run.id: the bigint, not the text column of the same name the select list renders.
  select 'last' as kind, finished.* from sync_stream_written w cross join lateral (
      select ${RUN_COLUMNS} from sync_run where system = w.system and stream = w.stream and status not in ('QUEUED', 'RUNNING')
      order by sync_run.id desc limit 1) finished
  union all
  select 'complete' as kind, succeeded.* from sync_stream_written w cross join lateral (
      select ${RUN_COLUMNS} from sync_run where sync_run.id = w.last_succeeded_run limit 1) succeeded
  union all
  select * from (select distinct on (system, stream) 'current' as kind, ${RUN_COLUMNS} from sync_run where ${RUN_UNDER_WAY}
      order by system, stream, sync_run.id desc) under_way`;

function runOf(row: RunRow): RunRecord {
  const progress = row.status === 'SUCCEEDED' ? 1 : row.estimated_batches ? Math.min(1, row.batches / row.estimated_batches) : null;
  return {
    id: row.id,
    system: row.system,
    stream: row.stream,
    mode: row.mode,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
    batches: row.batches,
    estimatedBatches: row.estimated_batches,
    progress,
    read: row.read,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    deleted: row.deleted,
    quarantined: row.quarantined,
    errorClass: row.error_class,
    errorMessage: row.error_message,
    requestedBy: row.requested_by,
  };
}

export interface StreamStateRow {
  system: SourceSystem;
  stream: string;
  lastSuccessAt: Date | null;
  needsAttention: string | null;
  cursor: string | null;
}

/** Sync bookkeeping, read for operators: runs, stream states, quarantine. */
export class SyncHistory {
  constructor(private readonly scope: ReadScope) {}

  async findRun(id: string): Promise<RunRecord | null> {
    const rows = await this.scope.sql.query<RunRow>(`select ${RUN_COLUMNS} from sync_run where id = $1`, [id]);
    return rows.length ? runOf(rows[0]) : null;
  }

  async findStreamStates(): Promise<StreamStateRow[]> {
    const rows = await this.scope.sql.query<{
      system: SourceSystem;
      stream: string;
      last_success_at: Date | null;
      needs_attention: string | null;
      cursor: string | null;
    }>('select system, stream, last_success_at, needs_attention, cursor::text as cursor from sync_stream');
    return rows.map((r) => ({ system: r.system, stream: r.stream, lastSuccessAt: r.last_success_at, needsAttention: r.needs_attention, cursor: r.cursor }));
  }

  /**
   * Each stream's newest finished run, its queued or running one (running: with a heartbeat, not
   * one whose worker died), and its newest run that read the source to
   * the end (SUCCEEDED), in one statement.
   */
  async findLatestRuns(): Promise<{ last: Map<string, RunRecord>; current: Map<string, RunRecord>; complete: Map<string, RunRecord> }> {
    const rows = await this.scope.sql.query<RunRow & { kind: 'last' | 'current' | 'complete' }>(LATEST_RUNS);
    const found = { last: new Map<string, RunRecord>(), current: new Map<string, RunRecord>(), complete: new Map<string, RunRecord>() };
    for (const row of rows) found[row.kind].set(`${row.system}:${row.stream}`, runOf(row));
    return found;
  }

  findRunsPage(
    filter: { system?: SourceSystem | null; stream?: string | null; status?: SyncRunStatus | null },
    first?: number | null,
    after?: string | null,
  ): Promise<Page<RunRecord>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.system) conditions.push(`system = $${params.push(filter.system)}`);
    if (filter.stream) conditions.push(`stream = $${params.push(filter.stream)}`);
    if (filter.status) conditions.push(`status = $${params.push(filter.status)}`);
    return pageByKey(this.scope, { table: 'sync_run', key: 'id', columns: RUN_COLUMNS, conditions, params, first, after, map: runOf });
  }

  findQuarantinePage(
    filter: { system?: SourceSystem | null; stream?: string | null; includeReleased: boolean; includeResolved?: boolean },
    first?: number | null,
    after?: string | null,
  ): Promise<Page<QuarantineRecord>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.system) conditions.push(`system = $${params.push(filter.system)}`);
    if (filter.stream) conditions.push(`stream = $${params.push(filter.stream)}`);
    if (!filter.includeReleased) conditions.push('released_at is null');
    if (!filter.includeResolved) conditions.push('resolved_at is null');
    return pageByKey(this.scope, {
      table: 'quarantined_record',
      key: 'id',
      conditions,
      params,
      first,
      after,
      columns: 'id::text, system, stream, source_id, raw::text as raw, reasons, run_id::text, quarantined_at, released_at, resolved_at, resolution',
      map: (r: Record<string, unknown>) => ({
        id: r.id as string,
        system: r.system as SourceSystem,
        stream: r.stream as string,
        sourceId: r.source_id as string | null,
        raw: r.raw as string,
        reasons: r.reasons as string[],
        runId: r.run_id as string | null,
        quarantinedAt: r.quarantined_at as Date,
        releasedAt: r.released_at as Date | null,
        resolvedAt: r.resolved_at as Date | null,
        resolution: r.resolution as QuarantineResolution | null,
      }),
    });
  }
}
