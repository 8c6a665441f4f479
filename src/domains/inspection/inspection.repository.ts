import type { BookkeepingSql } from '../../read-kit/rows/read-gateway';
import { cityQuotaOf } from './inspection-rules';
import {
  objectsToDraw,
  type DrawCommitment,
  type DrawPool,
  type DrawResult,
  type PublishedDraw,
  type RosterEntry,
  type SignedHead,
} from '../../draw/draw-algorithm';
import {
  InspectionLevel,
  InspectionOutcome,
  InspectionTaskStatus,
  type DrawnInspectionObject,
  type InspectionPlan,
  type InspectionResult,
  type InspectionTask,
  type Inspector,
} from './inspection.types';

/*
 * Reads of the random-inspection tables. They are hub-native bookkeeping the read gateway does
 * not own (like the audit trail), so each read states its own scope: the caller's divisions
 * (`overlapping`: a task or plan whose division lies within one of the caller's, or contains it).
 */

/** SQL: `column` overlaps one of the divisions in parameter `$n` (none given: every row). */
const overlapping = (column: string, n: number) =>
  `(cardinality($${n}::text[]) = 0 or exists (select 1 from unnest($${n}::text[]) d where ${column} like d || '%' or d like ${column} || '%'))`;

interface TaskRow {
  id: string;
  plan_id: string;
  item_code: string;
  joint_item_codes: string[];
  level: InspectionLevel;
  division: string;
  status: InspectionTaskStatus;
  objects_drawn: number;
  results_recorded: number;
  created_at: Date;
  drawn_at: Date | null;
  commitment: DrawCommitment;
  roster: RosterEntry[];
  pool: DrawPool;
  result: DrawResult | null;
  reveal: { seed: string; beaconHash: string } | null;
  result_hash: string | null;
  key_id: string | null;
  public_key: string | null;
  signature: string | null;
  beacon_head: SignedHead | null;
}

const TASK_SELECT = `select t.id, t.plan_id, t.item_code, t.joint_item_codes, t.level, t.division, t.status, t.objects_drawn, t.results_recorded,
    t.created_at, t.drawn_at, c.commitment, c.roster, c.pool, d.result, d.reveal, d.result_hash, d.key_id, d.public_key, d.signature,
    case when h.seq is not null then json_build_object('seq', h.seq, 'hash', h.hash, 'keyId', h.key_id, 'signature', h.signature) end as beacon_head
  from inspection_task t join inspection_task_commitment c on c.task_id = t.id left join inspection_draw d on d.task_id = t.id
    left join audit_head_signature h on d.task_id is not null and h.seq = (c.commitment ->> 'beaconSeq')::bigint`;

function publishedOf(row: TaskRow): PublishedDraw {
  return {
    commitment: row.commitment,
    roster: row.roster,
    pool: row.pool,
    reveal: row.reveal,
    result: row.result,
    resultHash: row.result_hash,
    signature: row.signature ? { keyId: row.key_id!, publicKey: row.public_key!, value: row.signature } : null,
    beaconHead: row.beacon_head,
  };
}

/** What a task's roster was stratified on beyond the published roster, as of its commitment (keyed `<task>/<uscc>`). */
interface RosterAttributes {
  supervised: boolean;
  failedInspections: number;
  lastOutcome: InspectionOutcome | null;
  lastInspectedOn: string | null;
}

interface TaskFacts {
  outcomes: Map<string, InspectionOutcome>;
  attributes: Map<string, RosterAttributes>;
}

function taskOf(row: TaskRow, facts: TaskFacts): InspectionTask {
  const names = new Map(row.roster.map((e) => [e.uscc, e.name]));
  const drawn: DrawnInspectionObject[] = (row.result?.objects ?? []).map((o) => {
    const attributes = facts.attributes.get(`${row.id}/${o.uscc}`);
    return {
      uscc: o.uscc,
      enterpriseName: names.get(o.uscc) ?? o.uscc,
      stratum: o.stratum,
      inspectorIds: o.inspectorIds,
      outcome: facts.outcomes.get(`${row.id}/${o.uscc}`) ?? null,
      supervised: attributes?.supervised ?? null,
      failedInspections: attributes?.failedInspections ?? null,
      lastOutcome: attributes?.lastOutcome ?? null,
      lastInspectedOn: attributes?.lastInspectedOn ?? null,
    };
  });
  return {
    id: row.id,
    planId: row.plan_id,
    itemCode: row.item_code,
    jointItemCodes: row.joint_item_codes,
    level: row.level,
    division: row.division,
    status: row.status,
    rosterSize: row.roster.length,
    rosterHash: row.commitment.rosterHash,
    seedCommitment: row.commitment.seedCommitment,
    beaconSeq: row.commitment.beaconSeq,
    objectsDrawn: row.objects_drawn,
    resultsRecorded: row.results_recorded,
    createdAt: row.created_at,
    drawnAt: row.drawn_at,
    drawn,
    publishedDraw: JSON.stringify(publishedOf(row)),
  };
}

export class InspectionRepository {
  constructor(private readonly sql: BookkeepingSql) {}

  /** The draw document of a task as published (commitment before the draw; everything after). */
  async publishedDraw(taskId: string): Promise<PublishedDraw | null> {
    const [row] = await this.sql.query<TaskRow>(`${TASK_SELECT} where t.id = $1`, [taskId]);
    return row ? publishedOf(row) : null;
  }

  /** Results and roster attributes of the tasks' drawn objects, one statement each whatever the number of tasks. */
  private async facts(taskIds: string[]): Promise<TaskFacts> {
    const rows = await this.sql.query<{ task_id: string; uscc: string; outcome: InspectionOutcome }>(
      'select task_id, uscc, outcome from inspection_result where task_id = any($1::text[])',
      [taskIds],
    );
    const attributes = await this.sql.query<RosterAttributes & { task_id: string; uscc: string }>(
      `select a.task_id, a.uscc, a.supervised, a.failed_inspections as "failedInspections", a.last_outcome as "lastOutcome",
         to_char(a.last_inspected_on, 'YYYY-MM-DD') as "lastInspectedOn"
       from inspection_roster_attributes a
       where a.task_id = any($1::text[]) and exists (select 1 from inspection_assignment s where s.task_id = a.task_id and s.uscc = a.uscc)`,
      [taskIds],
    );
    return {
      outcomes: new Map(rows.map((r) => [`${r.task_id}/${r.uscc}`, r.outcome])),
      attributes: new Map(attributes.map(({ task_id, uscc, ...a }) => [`${task_id}/${uscc}`, a])),
    };
  }

  async task(id: string, divisions: readonly string[]): Promise<InspectionTask | null> {
    const [row] = await this.sql.query<TaskRow>(`${TASK_SELECT} where t.id = $1 and ${overlapping('t.division', 2)}`, [id, divisions]);
    return row ? taskOf(row, await this.facts([row.id])) : null;
  }

  /** Plans of a year with their tasks (those the caller's divisions overlap), one statement for each; `districtShare` of the rule file. */
  async plans(year: number, divisions: readonly string[], districtShare: number): Promise<InspectionPlan[]> {
    const plans = await this.sql.query<{
      id: string;
      year: number;
      unit: string;
      division: string;
      title: string;
      rule_version: string;
      planned_objects: number | null;
    }>(
      `select id, year, unit, division, title, rule_version, planned_objects from inspection_plan p where year = $1 and ${overlapping('p.division', 2)} order by id`,
      [year, divisions],
    );
    const rows = await this.sql.query<TaskRow>(
      `${TASK_SELECT} where t.plan_id = any($1::text[]) and ${overlapping('t.division', 2)} order by t.created_at, t.id`,
      [plans.map((p) => p.id), divisions],
    );
    const facts = await this.facts(rows.map((r) => r.id));
    const tasks = rows.map((r) => taskOf(r, facts));
    return plans.map((p) => {
      const own = tasks.filter((t) => t.planId === p.id);
      const drawn = own.reduce((n, t) => n + t.objectsDrawn, 0);
      const district = own.filter((t) => t.level === InspectionLevel.DISTRICT).reduce((n, t) => n + t.objectsDrawn, 0);
      return {
        id: p.id,
        year: p.year,
        unit: p.unit,
        division: p.division,
        title: p.title,
        ruleVersion: p.rule_version,
        plannedObjects: p.planned_objects,
        cityQuota: cityQuotaOf(p.planned_objects, districtShare),
        cityCommitted: rows
          .filter((r) => r.plan_id === p.id && r.level === InspectionLevel.CITY)
          .reduce((n, r) => n + objectsToDraw(r.roster, r.pool.ratios), 0),
        districtShare: drawn ? district / drawn : null,
        tasks: own,
      };
    });
  }

  async inspectors(divisions: readonly string[]): Promise<Inspector[]> {
    const rows = await this.sql.query<{
      id: string;
      agency: string;
      subject: string;
      name: string;
      unit: string;
      post: string;
      certificate_number: string;
      phone: string;
      division: string;
    }>(`select id, agency, subject, name, unit, post, certificate_number, phone, division from inspector i where ${overlapping('i.division', 1)} order by id`, [
      divisions,
    ]);
    return rows.map((r) => ({ ...r, certificateNumber: r.certificate_number }));
  }

  /** One published result by its id (`<task>/<credit code>`), as its publication shows it: what a peer bureau is sent to recognise. */
  async publishedResult(
    id: string,
  ): Promise<{ id: string; uscc: string; enterpriseName: string; itemCodes: string[]; inspectedOn: string; outcome: InspectionOutcome } | null> {
    const cut = id.lastIndexOf('/');
    if (cut < 1) return null;
    const [row] = await this.sql.query<{ uscc: string; enterprise_name: string; item_codes: string[]; inspected_on: string; outcome: InspectionOutcome }>(
      `select uscc, enterprise_name, item_codes, to_char(inspected_on, 'YYYY-MM-DD') as inspected_on, outcome
       from inspection_result where task_id = $1 and uscc = $2`,
      [id.slice(0, cut), id.slice(cut + 1)],
    );
    return row
      ? { id, uscc: row.uscc, enterpriseName: row.enterprise_name, itemCodes: row.item_codes, inspectedOn: row.inspected_on, outcome: row.outcome }
      : null;
  }

  /**
   * Published results, newest first, after a keyset cursor (`recorded_at|task|uscc` of the last
   * one seen): what the public page and the credit platform's pull read.
   */
  async results(first: number, after: string | null): Promise<{ results: InspectionResult[]; cursor: string | null }> {
    const [at, task, uscc] = after ? after.split('|') : [null, null, null];
    const rows = await this.sql.query<{
      task_id: string;
      uscc: string;
      enterprise_name: string;
      item_codes: string[];
      inspected_on: string;
      outcome: InspectionOutcome;
      recorded_at: Date;
      publication_due: string;
      findings: Array<{ checkItem: string; compliant: boolean; note: string | null }>;
      attachments: Array<{ ref: string }>;
      cursor: string;
    }>(
      `select task_id, uscc, enterprise_name, item_codes, to_char(inspected_on, 'YYYY-MM-DD') as inspected_on, outcome, recorded_at,
         to_char(publication_due, 'YYYY-MM-DD') as publication_due, findings, attachments,
         to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '|' || task_id || '|' || uscc as cursor
       from inspection_result
       where $1::text is null or (recorded_at, task_id, uscc) < (($1::text || 'Z')::timestamptz, $2::text, $3::text)
       order by recorded_at desc, task_id desc, uscc desc limit $4`,
      [at, task, uscc, first + 1],
    );
    const page = rows.slice(0, first);
    return {
      results: page.map((r) => ({
        id: `${r.task_id}/${r.uscc}`,
        cursor: r.cursor,
        taskId: r.task_id,
        uscc: r.uscc,
        enterpriseName: r.enterprise_name,
        itemCodes: r.item_codes,
        inspectedOn: r.inspected_on,
        outcome: r.outcome,
        publishedAt: r.recorded_at,
        publicationDue: r.publication_due,
        findings: r.findings,
        attachments: r.attachments.map((a) => a.ref),
      })),
      cursor: rows.length > first ? page[page.length - 1].cursor : null,
    };
  }
}
