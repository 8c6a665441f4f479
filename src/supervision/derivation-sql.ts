import type { PoolClient } from 'pg';
import { ClueSeverity } from '../domains/clue';
import type { SeverityBand } from './clue-rules';

/** SQL fragments every rule's derivation shares (`clue-derivation.ts` and `rules/`). */

const SEVERITY_RANK = new Map(Object.values(ClueSeverity).map((s, i) => [s, i]));

/** A rule's bands as a JSON record set for SQL: `from_`, `severity`, `rank`. */
export function bandsJson(bands: readonly SeverityBand[]): string {
  return JSON.stringify(bands.map((b) => ({ from_: b.from, severity: b.severity, rank: SEVERITY_RANK.get(b.severity) })));
}

/** The window a time falls in, as SQL over `instant` (Beijing calendar). */
export const windowOf = (instant: string, unit: string) => `date_trunc('${unit}', ${instant} at time zone 'Asia/Shanghai')::date`;

/** `date_trunc` units of the rule file's windows; from a closed list, so they may be written into SQL. */
export const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

/** The vehicle subject key, `plateNumber/plateColor`, as SQL over a row aliased `a`. */
export const vehicleKey = (a: string) => `${a}.plate_number || '/' || ${a}.plate_color`;

/**
 * Whether operator licence `a` is in force on `day` (a date expression), the one meaning the clue
 * rules and the risk grades share: through its term dates, VALID or EXPIRED (the status flag lags
 * the term's end, and a renewal starts the next term under a new number); a revoked or suspended
 * licence never, from a day the hub does not know.
 */
export const licenceInForce = (a: string, day: string) => `(${a}.status in ('VALID', 'EXPIRED') and ${a}.valid_from <= ${day} and ${a}.valid_to >= ${day})`;

/**
 * Gives the run's temp tables statistics: unanalysed, the planner takes each for a thousand rows
 * or so, and joins the captures to a handful of keys by scanning them whole.
 */
export async function analyze(client: PoolClient, ...tables: string[]): Promise<void> {
  for (const table of tables) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a work table: ${table}`);
    await client.query(`analyze ${table}`);
  }
}

/** How many keys the rule derived again this run. */
export async function touchedCount(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>('select count(*)::int as n from touched');
  return rows[0].n;
}

/**
 * One candidate clue per touched key with evidence: first and last seen over its evidence, the
 * severity of its worst `measure` in the rule's bands, routed to the division of its worst evidence.
 */
export async function candidatesFromEvidence(client: PoolClient, bands: readonly SeverityBand[]): Promise<void> {
  await client.query(
    `with bands as (select * from json_to_recordset($1::json) as b(from_ float8, severity text, rank smallint)),
     per_key as (
       select ce.subject_key, ce.window_start, min(ce.observed_at) as first_seen, max(ce.observed_at) as last_seen, max(ce.measure) as worst,
         (array_agg(ce.division order by ce.measure desc, ce.observed_at, ce.ref))[1] as division
       from candidate_evidence ce
       group by ce.subject_key, ce.window_start
     )
     insert into candidate (subject_type, subject_key, plate_number, plate_color, window_start, division, severity, severity_rank, first_seen, last_seen)
     select t.subject_type, p.subject_key, t.plate_number, t.plate_color, p.window_start, p.division, b.severity, b.rank, p.first_seen, p.last_seen
     from per_key p
     join touched t on t.subject_key = p.subject_key and t.window_start = p.window_start
     cross join lateral (select severity, rank from bands where from_ <= p.worst order by from_ desc limit 1) b`,
    [bandsJson(bands)],
  );
}

/** A Beijing-calendar window's bounds as SQL over a `date` column: `[start, end)` instants. */
export const windowBounds = (windowStart: string, unit: string) =>
  [`(${windowStart}::timestamp at time zone 'Asia/Shanghai')`, `((${windowStart} + interval '1 ${unit}')::timestamp at time zone 'Asia/Shanghai')`] as const;

/**
 * What an incremental run derives: the rows written by the transactions its snapshot (`through`)
 * sees committed and the previous run's (`from`) did not. Each source row carries the transaction
 * that last wrote it (`derive_xid`), so a transaction that took long to commit is derived by the
 * first run after its commit, whenever it stamped its rows.
 */
export interface DerivationSpan {
  /** The previous run's snapshot, as PostgreSQL prints a `pg_snapshot` (`xmin:xmax:xip,...`). */
  from: string;
  /** This run's snapshot, taken once the rule's cursor is locked. */
  through: string;
  /** The previous run's clock: for rules whose clue a deadline passing makes. */
  clockFrom: Date;
}

/** A snapshot as PostgreSQL prints it: digits only, so it may be written into SQL as a literal. */
const SNAPSHOT = /^(\d+):\d+:(\d+(,\d+)*)?$/;

function snapshotXmin(snapshot: string): string {
  const match = SNAPSHOT.exec(snapshot);
  if (!match) throw new Error(`not a pg_snapshot: ${snapshot}`);
  return match[1];
}

/**
 * Whether the row whose writer is `xid` (SQL, e.g. `c.derive_xid`) is new in the span. Written as
 * literals so the planner can use the `derive_xid` index's range: the xids below the previous
 * snapshot's xmin had all ended when it was taken.
 */
export function changedIn(xid: string, span: DerivationSpan): string {
  return `(${xid} >= '${snapshotXmin(span.from)}'::xid8 and not ${visibleIn(xid, span.from)} and ${visibleIn(xid, span.through)})`;
}

/** Whether the transaction `xid` (SQL) had committed when `snapshot` was taken. */
export function visibleIn(xid: string, snapshot: string): string {
  snapshotXmin(snapshot);
  return `pg_visible_in_snapshot(${xid}, '${snapshot}'::pg_snapshot)`;
}
