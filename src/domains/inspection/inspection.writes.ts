import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EffectAudit } from '../../audit/effect-audit';
import { canonicalJson } from '../../canonical-json';
import { inTransaction } from '../../db/transaction';
import { ErrorCode, InvalidInputError, NotFoundError } from '../../errors';
import {
  computeDraw,
  DRAW_ALGORITHM,
  DrawInputError,
  objectsToDraw,
  headSignedContent,
  poolHashOf,
  resultHashOf,
  rosterHashOf,
  seedCommitmentOf,
  signedContent,
  type DrawCommitment,
  type DrawPool,
  type Exclusion,
  type RosterEntry,
} from '../../draw/draw-algorithm';
import { InspectionError } from './inspection.errors';
import { cityCommittedOf, cityQuotaOf, type CountedTask, type InspectionItemRule, type InspectionRules } from './inspection-rules';
import { publicationDue, type HolidayCalendar } from './publication-due';

/** Who acts: the caller's agency and token subject. */
export interface InspectionActor {
  agency: string;
  subject: string;
  /** The divisions the actor works in (token claim); none: the whole of its agency's area. */
  divisions?: readonly string[];
}

/** What the roster reader is asked (src/supervision/inspection-roster.ts). */
export interface RosterQuery {
  division: string;
  scopes: string[];
  badCreditListTypes: string[];
  enterpriseTypes: string[] | null;
  minRegisteredCapitalYuan: number | null;
  riskGrades: string[] | null;
  /** Past findings count results not COMPLIANT inspected within this many months. */
  pastFindingsMonths: number;
  /** Directed draw: only enterprises listed for supervision (挂牌督办). */
  supervisedOnly: boolean;
  /** Directed draw: only enterprises with past findings. */
  withPastFindingsOnly: boolean;
}

export interface RosterRow {
  uscc: string;
  name: string;
  division: string;
  badCredit: boolean;
  riskGrade: string | null;
  /** Listed for supervision (挂牌督办) and not delisted. */
  supervised: boolean;
  /** Published results of this hub not COMPLIANT within the months asked. */
  failedInspections: number;
  lastOutcome: string | null;
  lastInspectedOn: string | null;
}

/** Reads the task's objects from the synced tables, in the freezing transaction (given by the composition). */
export type RosterReader = (client: PoolClient, query: RosterQuery) => Promise<RosterRow[]>;

/** The name of an enterprise in business the hub holds, null if none (given by the composition, like the roster reader). */
export type EnterpriseLookup = (client: PoolClient, uscc: string) => Promise<{ name: string; divisionCode: string } | null>;

export interface InspectorRequest {
  name: string;
  unit: string;
  post: string;
  certificateNumber: string;
  phone: string;
  division: string;
  agency: string;
  subject: string;
}

export interface PlanRequest {
  year: number;
  unit: string;
  division: string;
  title: string;
  plannedObjects: number;
}

/** A task's directed filter (定向抽取) and its own ratios; absent members mean "no restriction" and the rule file's ratios. */
export interface TaskFilter {
  enterpriseTypes: string[] | null;
  minRegisteredCapitalYuan: number | null;
  riskGrades: string[] | null;
  supervisedOnly: boolean;
  withPastFindingsOnly: boolean;
  ratios: Record<string, number> | null;
}

export interface TaskRequest {
  planId: string;
  itemCode: string;
  joint: boolean;
  level: 'DISTRICT' | 'CITY';
  division: string;
  filter: TaskFilter;
}

export interface Finding {
  checkItem: string;
  compliant: boolean;
  note: string | null;
}

export interface Attachment {
  ref: string;
  sha256: string | null;
}

export interface ResultRequest {
  taskId: string;
  uscc: string;
  inspectedOn: string;
  outcome: 'COMPLIANT' | 'ISSUES_FOUND' | 'NOT_FOUND_AT_ADDRESS';
  findings: Finding[];
  attachments: Attachment[];
}

/** A listing for supervision (挂牌督办) as stored. */
export interface SupervisionListingRow {
  id: string;
  uscc: string;
  agency: string;
  reason: string;
  listedAt: Date;
  delistedAt: Date | null;
  delistReason: string | null;
}

const LISTING_COLUMNS = 'id, uscc, agency, reason, listed_at as "listedAt", delisted_at as "delistedAt", delist_reason as "delistReason"';

/** The hub key that signs draws (the audit head key, src/audit/hub-key.ts). */
export interface DrawSigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/** The credit lists whose uncleared entries put an object in the BAD_CREDIT_LIST stratum (信用不良名单). */
const BAD_CREDIT_LISTS = ['SERIOUS_DISHONESTY', 'DISHONEST_JUDGMENT_DEBTOR', 'JOINT_SANCTION'];

/**
 * The stratum of a roster object: the first rule it meets, in the order of the rule file's
 * comment (a stratum the rule file lacks is skipped): an uncleared bad-credit list entry, a
 * listing for supervision (挂牌督办), past findings, the hub's risk grade, else ungraded.
 */
function stratumOf(row: RosterRow, ratios: Record<string, number>): string {
  if (row.badCredit) return 'BAD_CREDIT_LIST';
  if (row.supervised && 'SUPERVISED' in ratios) return 'SUPERVISED';
  if (row.failedInspections > 0 && 'PAST_FINDINGS' in ratios) return 'PAST_FINDINGS';
  if (row.riskGrade && `RISK_${row.riskGrade}` in ratios) return `RISK_${row.riskGrade}`;
  return 'UNGRADED';
}

const contentHash = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');
const newId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

/**
 * The write side of random inspections. Every change is one transaction holding the request's
 * audit event (appended first, as the clue workflow does) and the change; a refusal rolls both
 * back. The draw is commit–reveal (draw-algorithm.ts): a task is committed with its frozen roster
 * and pool and a hash of a secret seed; it is drawn once, after the audit chain has reached the
 * task's beacon event, and the draw is signed and stored immutably (migration random_inspections).
 */
export class InspectionWrites {
  constructor(
    private readonly pool: Pool,
    private readonly rules: InspectionRules,
    private readonly calendar: HolidayCalendar,
    private readonly readRoster: RosterReader,
    private readonly enterpriseNamed: EnterpriseLookup,
    private readonly key: DrawSigningKey,
  ) {}

  private async change<T>(audit: EffectAudit | null, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const result = await inTransaction(this.pool, async (client) => {
      await audit?.appendWithin(client);
      return work(client);
    });
    audit?.committed();
    return result;
  }

  item(code: string): InspectionItemRule {
    const item = this.rules.items.find((i) => i.code === code);
    if (!item) throw new InvalidInputError('itemCode', `names no item of the catalogue (${this.rules.version})`);
    return item;
  }

  addInspector(request: InspectorRequest, audit: EffectAudit | null): Promise<string> {
    const id = newId('INS');
    return this.change(audit, async (client) => {
      const { rowCount } = await client.query(
        `insert into inspector (id, agency, subject, name, unit, post, certificate_number, phone, division, provenance_record_id, provenance_content_hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $1, $10) on conflict do nothing`,
        [
          id,
          request.agency,
          request.subject,
          request.name,
          request.unit,
          request.post,
          request.certificateNumber,
          request.phone,
          request.division,
          contentHash(request),
        ],
      );
      if (!rowCount) throw new InvalidInputError('certificateNumber', 'an inspector with this certificate number or token subject exists already');
      return id;
    });
  }

  declareConflict(inspectorId: string, uscc: string, relation: string, actor: InspectionActor, audit: EffectAudit | null): Promise<void> {
    return this.change(audit, async (client) => {
      const { rows } = await client.query<{ agency: string; subject: string }>('select agency, subject from inspector where id = $1', [inspectorId]);
      if (!rows.length) throw new NotFoundError(`Inspector ${inspectorId}`);
      // 回避 is declared by the inspector or by their own agency's planners, never by another agency.
      if (rows[0].agency !== actor.agency) throw new NotFoundError(`Inspector ${inspectorId}`);
      await client.query(
        `insert into inspector_conflict (inspector_id, uscc, relation) values ($1, $2, $3)
         on conflict (inspector_id, uscc) do update set relation = excluded.relation`,
        [inspectorId, uscc, relation],
      );
    });
  }

  /**
   * Lists an enterprise for supervision (挂牌督办): one open listing at a time, by the agency the
   * agreements let list (the transport bureau). Until delisted it is a roster attribute and
   * stratum (SUPERVISED) and a directed filter of every task committed.
   */
  listForSupervision(uscc: string, reason: string, actor: InspectionActor, audit: EffectAudit | null): Promise<SupervisionListingRow> {
    return this.change(audit, async (client) => {
      await this.requireEnterpriseOf(client, uscc, actor);
      const id = newId('LIST');
      const { rows } = await client.query<SupervisionListingRow>(
        `insert into supervision_listing (id, uscc, agency, reason, listed_by, provenance_record_id, provenance_content_hash)
         values ($1, $2, $3, $4, $5, $1, $6) on conflict (uscc) where delisted_at is null do nothing returning ${LISTING_COLUMNS}`,
        [id, uscc, actor.agency, reason, `${actor.agency}/${actor.subject}`, contentHash({ uscc, reason })],
      );
      if (!rows.length) {
        throw new InspectionError(ErrorCode.ILLEGAL_TRANSITION, `${uscc} is listed for supervision already: delist it first`, {
          action: 'LIST_FOR_SUPERVISION',
        });
      }
      return rows[0];
    });
  }

  /** Ends an enterprise's open listing for supervision (摘牌), by the agency that listed it, with the reason. */
  delistFromSupervision(uscc: string, reason: string, actor: InspectionActor, audit: EffectAudit | null): Promise<SupervisionListingRow> {
    return this.change(audit, async (client) => {
      await this.requireEnterpriseOf(client, uscc, actor);
      const { rows } = await client.query<SupervisionListingRow>(
        `update supervision_listing set delisted_at = now(), delisted_by = $3, delist_reason = $4
         where uscc = $1 and agency = $2 and delisted_at is null returning ${LISTING_COLUMNS}`,
        [uscc, actor.agency, `${actor.agency}/${actor.subject}`, reason],
      );
      if (!rows.length) {
        throw new InspectionError(ErrorCode.ILLEGAL_TRANSITION, `${uscc} has no open listing for supervision of ${actor.agency}`, {
          action: 'DELIST_FROM_SUPERVISION',
        });
      }
      return rows[0];
    });
  }

  /** The enterprise, live and within the actor's divisions; outside them it is alike to one that does not exist (so as to tell nothing). */
  private async requireEnterpriseOf(client: PoolClient, uscc: string, actor: InspectionActor): Promise<void> {
    const enterprise = await this.enterpriseNamed(client, uscc);
    const inScope = (divisionCode: string) => !actor.divisions?.length || actor.divisions.some((d) => divisionCode.startsWith(d));
    if (enterprise === null || !inScope(enterprise.divisionCode)) throw new NotFoundError(`Enterprise ${uscc}`);
  }

  createPlan(request: PlanRequest, actor: InspectionActor, audit: EffectAudit | null): Promise<string> {
    const id = `PLAN-${request.year}-${request.division}-${request.unit}`;
    return this.change(audit, async (client) => {
      const { rowCount } = await client.query(
        `insert into inspection_plan (id, year, unit, division, title, rule_version, created_by, planned_objects, provenance_record_id, provenance_content_hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $1, $9) on conflict do nothing`,
        [
          id,
          request.year,
          request.unit,
          request.division,
          request.title,
          this.rules.version,
          `${actor.agency}/${actor.subject}`,
          request.plannedObjects,
          contentHash(request),
        ],
      );
      if (!rowCount) throw new InvalidInputError('year', `${request.unit} has a plan for ${request.division} in ${request.year} already`);
      return id;
    });
  }

  /**
   * Commits a task: freezes its roster (objects and strata) and pool (inspectors, exclusions,
   * ratios), keeps a fresh secret seed and publishes its hash, and names the beacon: the audit
   * event `beaconDistance` after this request's own, which does not exist yet.
   */
  createTask(request: TaskRequest, actor: InspectionActor, audit: EffectAudit | null): Promise<string> {
    const item = this.item(request.itemCode);
    const jointItems = request.joint ? item.jointWith.map((code) => this.item(code)) : [];
    const ratios: Record<string, number> = Object.fromEntries(this.rules.strata.map((s) => [s.code, s.ratio]));
    for (const [stratum, ratio] of Object.entries(request.filter.ratios ?? {})) {
      if (!(stratum in ratios)) throw new InvalidInputError('ratios', `names no stratum of the rule file: ${stratum}`);
      ratios[stratum] = ratio;
    }
    const id = newId('TASK');
    return this.change(audit, async (client) => {
      // Locked: two city tasks committed at once must not both fit the city's share.
      const { rows: plans } = await client.query<{ unit: string; division: string; planned_objects: number | null }>(
        'select unit, division, planned_objects from inspection_plan where id = $1 for update',
        [request.planId],
      );
      if (!plans.length) throw new NotFoundError(`Plan ${request.planId}`);
      const plan = plans[0];
      if (plan.unit !== actor.agency) throw new NotFoundError(`Plan ${request.planId}`);
      if (!request.division.startsWith(plan.division)) {
        throw new InspectionError(
          ErrorCode.OUTSIDE_DIVISION,
          `Plan ${request.planId} covers ${plan.division}; the task's division ${request.division} is outside it`,
          {
            action: 'CREATE_TASK',
          },
        );
      }
      if (item.unit !== plan.unit) throw new InvalidInputError('itemCode', `${item.code} is inspected by ${item.unit}, not by the plan's unit`);
      const rows = await this.readRoster(client, {
        division: request.division,
        scopes: item.objectScopes,
        badCreditListTypes: BAD_CREDIT_LISTS,
        enterpriseTypes: request.filter.enterpriseTypes,
        minRegisteredCapitalYuan: request.filter.minRegisteredCapitalYuan,
        riskGrades: request.filter.riskGrades,
        pastFindingsMonths: this.rules.parameters.pastFindingsMonths,
        supervisedOnly: request.filter.supervisedOnly,
        withPastFindingsOnly: request.filter.withPastFindingsOnly,
      });
      if (!rows.length) {
        throw new InspectionError(
          ErrorCode.DRAW_REFUSED,
          `No object of ${item.code} in ${request.division} meets the task's filter: there is nothing to draw`,
          {
            action: 'CREATE_TASK',
            reason: 'EMPTY_ROSTER',
          },
        );
      }
      const roster: RosterEntry[] = rows.map((r) => ({
        uscc: r.uscc,
        name: r.name,
        division: r.division,
        stratum: stratumOf(r, ratios),
      }));
      if (request.level === 'CITY') await this.holdCityShare(client, request.planId, plans[0].planned_objects, objectsToDraw(roster, ratios));
      const agencies = [item.unit, ...new Set(jointItems.map((j) => j.unit))];
      // A district task is inspected by the district's inspectors; a city task by any.
      const within = request.level === 'DISTRICT' ? request.division : '';
      const { rows: inspectors } = await client.query<{ id: string; agency: string }>(
        `select id, agency from inspector where agency = any($1::text[]) and (agency <> $2 or division like $3 || '%') order by id`,
        [agencies, item.unit, within],
      );
      const exclusions = await this.exclusionsOf(
        client,
        roster.map((r) => r.uscc),
        inspectors.map((i) => i.id),
      );
      const pool: DrawPool = {
        leadAgency: item.unit,
        jointAgencies: agencies.slice(1).sort(),
        inspectorsPerObject: this.rules.parameters.inspectorsPerObject,
        ratios,
        inspectors: inspectors.map((i) => ({ id: i.id, agency: i.agency })),
        exclusions,
      };
      const seed = randomBytes(32).toString('hex');
      const {
        rows: [head],
      } = await client.query<{ seq: string | null }>('select max(seq) as seq from audit_event');
      const commitment: DrawCommitment = {
        algorithm: DRAW_ALGORITHM,
        taskId: id,
        rosterHash: rosterHashOf(roster),
        poolHash: poolHashOf(pool),
        seedCommitment: seedCommitmentOf(seed),
        beaconSeq: Number(head.seq ?? 0) + this.rules.parameters.beaconDistance,
      };
      const filter = { ...request.filter, itemCode: item.code, jointItemCodes: jointItems.map((j) => j.code) };
      await client.query(
        `insert into inspection_task (id, plan_id, item_code, joint_item_codes, level, division, roster_filter, status, created_by,
           provenance_record_id, provenance_content_hash)
         values ($1, $2, $3, $4, $5, $6, $7, 'COMMITTED', $8, $1, $9)`,
        [
          id,
          request.planId,
          item.code,
          jointItems.map((j) => j.code),
          request.level,
          request.division,
          JSON.stringify(filter),
          `${actor.agency}/${actor.subject}`,
          commitment.rosterHash,
        ],
      );
      await client.query('insert into inspection_task_commitment (task_id, commitment, roster, pool, rule_version) values ($1, $2, $3, $4, $5)', [
        id,
        JSON.stringify(commitment),
        JSON.stringify(roster),
        JSON.stringify(pool),
        this.rules.version,
      ]);
      await client.query('insert into inspection_task_seed (task_id, seed) values ($1, $2)', [id, seed]);
      // What the strata were decided on beyond the published roster: kept beside it, as of the commitment.
      await client.query(
        `insert into inspection_roster_attributes (task_id, uscc, supervised, failed_inspections, last_outcome, last_inspected_on)
         select $1, r.uscc, r.supervised, r.failed, r.outcome, r.inspected_on::date
         from jsonb_to_recordset($2::jsonb) as r(uscc text, supervised boolean, failed integer, outcome text, inspected_on text)`,
        [
          id,
          JSON.stringify(
            rows.map((r) => ({
              uscc: r.uscc,
              supervised: r.supervised,
              failed: r.failedInspections,
              outcome: r.lastOutcome,
              inspected_on: r.lastInspectedOn,
            })),
          ),
        ],
      );
      return id;
    });
  }

  /**
   * The 70% district / 30% city split, held where it can be: the city's tasks of a plan may draw
   * at most (1 − districtShare) of the objects the plan states it will inspect, counted over every
   * city task committed (drawn or not: the count is fixed at commitment). Whether the districts
   * draw their 70% is their work through the year, reported as the plan's districtShare. A plan
   * stating no number (made before plans stated one) gets no city task.
   */
  private async holdCityShare(client: PoolClient, planId: string, planned: number | null, taskObjects: number): Promise<void> {
    const quota = cityQuotaOf(planned, this.rules.parameters.districtShare);
    // Counted as the plan's cityCommitted is read: from the task view's stratum sizes (the plan row is locked, so no city task joins meanwhile).
    const { rows } = await client.query<CountedTask>(
      `select level, stratum_sizes as "stratumSizes", ratios from inspection_task_read where plan_id = $1 and level = 'CITY'`,
      [planId],
    );
    const committed = cityCommittedOf(rows);
    if (committed + taskObjects > quota) {
      throw new InspectionError(
        ErrorCode.DRAW_REFUSED,
        planned === null
          ? `Plan ${planId} states no planned number of objects, so the city's share of it cannot be held: no city task`
          : `The city may draw ${quota} of plan ${planId}'s ${planned} objects (${Math.round((1 - this.rules.parameters.districtShare) * 100)}%); ` +
              `${committed} are committed and this task would draw ${taskObjects}`,
        { action: 'CREATE_TASK', reason: 'PLAN_SPLIT', plannedObjects: planned, cityQuota: quota, cityCommitted: committed, taskObjects },
      );
    }
  }

  /**
   * Who may not be matched to which object: declared conflicts (回避), inspectors who inspected it
   * within the rule's months, and those matched to it in its last draw (never twice in a row).
   * Only the pairs are frozen into the published pool: why a pair is excluded (a personal
   * relation, for one) stays in the tables it comes from.
   */
  private async exclusionsOf(client: PoolClient, usccs: string[], inspectorIds: string[]): Promise<Exclusion[]> {
    const { rows } = await client.query<Exclusion>(
      `select uscc, inspector_id as "inspectorId" from inspector_conflict
         where uscc = any($1::text[]) and inspector_id = any($2::text[])
       union
       select uscc, inspector_id from inspection_assignment
         where uscc = any($1::text[]) and inspector_id = any($2::text[]) and drawn_at > now() - make_interval(months => $3)
       union
       select a.uscc, a.inspector_id from inspection_assignment a
         where a.uscc = any($1::text[]) and a.inspector_id = any($2::text[])
           and a.drawn_at = (select max(b.drawn_at) from inspection_assignment b where b.uscc = a.uscc)`,
      [usccs, inspectorIds, this.rules.parameters.recentInspectionMonths],
    );
    return rows.sort((a, b) => a.uscc.localeCompare(b.uscc) || a.inspectorId.localeCompare(b.inspectorId));
  }

  /**
   * Draws a committed task once: reveals the seed, takes the beacon's hash (the audit event must
   * exist and precede this request's own, so the hub's own event cannot be the input), computes
   * the draw, signs it and stores it with the matched inspectors. A second draw of the task is
   * refused (ALREADY_DRAWN); a new draw needs a new, audited task.
   */
  drawTask(taskId: string, actor: InspectionActor, audit: EffectAudit | null): Promise<{ objects: number; planId: string; division: string }> {
    return this.change(audit, async (client) => {
      const { rows: tasks } = await client.query<{ status: string; created_by: string; plan_id: string; division: string }>(
        'select t.status, p.unit as created_by, t.plan_id, t.division from inspection_task t join inspection_plan p on p.id = t.plan_id where t.id = $1 for update of t',
        [taskId],
      );
      if (!tasks.length || tasks[0].created_by !== actor.agency) throw new NotFoundError(`Task ${taskId}`);
      if (tasks[0].status !== 'COMMITTED') {
        throw new InspectionError(ErrorCode.DRAW_REFUSED, `Task ${taskId} was drawn already; a new draw needs a new task`, {
          action: 'DRAW',
          reason: 'ALREADY_DRAWN',
        });
      }
      const {
        rows: [frozen],
      } = await client.query<{ commitment: DrawCommitment; roster: RosterEntry[]; pool: DrawPool; seed: string }>(
        `select c.commitment, c.roster, c.pool, s.seed from inspection_task_commitment c join inspection_task_seed s on s.task_id = c.task_id where c.task_id = $1`,
        [taskId],
      );
      const { rows: beacon } = await client.query<{ hash: string }>(
        `select hash from audit_event where seq = $1 and ($2::boolean is false or seq < (select max(seq) from audit_event))`,
        [frozen.commitment.beaconSeq, audit !== null],
      );
      if (!beacon.length) {
        throw new InspectionError(
          ErrorCode.DRAW_REFUSED,
          `Task ${taskId} is drawn after audit event ${frozen.commitment.beaconSeq}, which is not written yet`,
          {
            action: 'DRAW',
            reason: 'BEACON_PENDING',
            beaconSeq: frozen.commitment.beaconSeq,
          },
        );
      }
      const reveal = { seed: frozen.seed, beaconHash: beacon[0].hash };
      // The hub signs its chain's head at the beacon event (unless a periodic head is there
      // already): the published draw carries it, and the chain verifier holds it to the chain.
      await client.query(
        `insert into audit_head_signature (seq, hash, signed_at, key_id, signature) values ($1, $2, now(), $3, $4) on conflict (seq) do nothing`,
        [
          frozen.commitment.beaconSeq,
          reveal.beaconHash,
          this.key.keyId,
          sign(null, headSignedContent(frozen.commitment.beaconSeq, reveal.beaconHash), this.key.privateKey).toString('base64'),
        ],
      );
      let result;
      try {
        result = computeDraw(frozen.commitment, frozen.roster, frozen.pool, reveal);
      } catch (error) {
        if (!(error instanceof DrawInputError)) throw error;
        throw new InspectionError(ErrorCode.DRAW_REFUSED, error.message, { action: 'DRAW', reason: error.reason });
      }
      const resultHash = resultHashOf(result);
      const signature = sign(null, signedContent(frozen.commitment, reveal, resultHash), this.key.privateKey).toString('base64');
      const publicKey = createPublicKey(this.key.privateKey).export({ type: 'spki', format: 'pem' }).toString();
      const {
        rows: [drawn],
      } = await client.query<{ drawn_at: Date }>(
        `insert into inspection_draw (task_id, reveal, result, result_hash, key_id, public_key, signature) values ($1, $2, $3, $4, $5, $6, $7) returning drawn_at`,
        [taskId, JSON.stringify(reveal), JSON.stringify(result), resultHash, this.key.keyId, publicKey, signature],
      );
      const pairs = result.objects.flatMap((o) => o.inspectorIds.map((i) => [o.uscc, i]));
      await client.query(
        `insert into inspection_assignment (task_id, uscc, inspector_id, drawn_at)
         select $1, p[1], p[2], $3 from unnest($2::text[]) with ordinality as u(x, n), lateral (select string_to_array(x, '|') as p) s`,
        [taskId, pairs.map(([u, i]) => `${u}|${i}`), drawn.drawn_at],
      );
      await client.query(`update inspection_task set status = 'DRAWN', drawn_at = $2, objects_drawn = $3 where id = $1`, [
        taskId,
        drawn.drawn_at,
        result.objects.length,
      ]);
      return { objects: result.objects.length, planId: tasks[0].plan_id, division: tasks[0].division };
    });
  }

  /**
   * Records the result of one drawn object, by one of the inspectors the draw matched to it (谁检查、
   * 谁录入): the caller's agency and token subject must be that inspector's. Published at once
   * (`GET /public/inspections`); due within the rule's working days of the inspection.
   */
  recordResult(request: ResultRequest, actor: InspectionActor, audit: EffectAudit | null, today: string): Promise<{ publicationDue: string }> {
    if (request.inspectedOn > today) throw new InvalidInputError('inspectedOn', 'must not be in the future');
    return this.change(audit, async (client) => {
      const { rows: tasks } = await client.query<{ status: string; item_code: string; joint_item_codes: string[]; drawn_on: string | null }>(
        `select status, item_code, joint_item_codes, to_char(drawn_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as drawn_on from inspection_task where id = $1 for update`,
        [request.taskId],
      );
      if (!tasks.length) throw new NotFoundError(`Task ${request.taskId}`);
      const task = tasks[0];
      if (task.status !== 'DRAWN') {
        throw new InspectionError(ErrorCode.ILLEGAL_TRANSITION, `Task ${request.taskId} is not drawn yet: nobody is matched to inspect`, {
          action: 'RECORD_RESULT',
        });
      }
      if (task.drawn_on && request.inspectedOn < task.drawn_on) throw new InvalidInputError('inspectedOn', `must not be before the draw (${task.drawn_on})`);
      const { rows: matched } = await client.query<{ id: string }>(
        `select i.id from inspector i join inspection_assignment a on a.inspector_id = i.id
         where i.agency = $1 and i.subject = $2 and a.task_id = $3 and a.uscc = $4`,
        [actor.agency, actor.subject, request.taskId, request.uscc],
      );
      if (!matched.length) {
        throw new InspectionError(
          ErrorCode.NOT_ASSIGNED,
          `The draw of task ${request.taskId} did not match you to ${request.uscc}: results are recorded by who inspected`,
          {
            action: 'RECORD_RESULT',
          },
        );
      }
      const items = [task.item_code, ...task.joint_item_codes].map((code) => this.item(code));
      const checkItems = new Set(items.flatMap((i) => i.checkItems.map((c) => c.code)));
      for (const finding of request.findings) {
        if (!checkItems.has(finding.checkItem))
          throw new InvalidInputError('findings', `${finding.checkItem} is no check item of ${items.map((i) => i.code).join(', ')}`);
      }
      const { rows: named } = await client.query<{ name: string }>(
        `select e ->> 'name' as name from inspection_task_commitment c, jsonb_array_elements(c.roster) e where c.task_id = $1 and e ->> 'uscc' = $2`,
        [request.taskId, request.uscc],
      );
      const due = publicationDue(this.calendar, request.inspectedOn, this.rules.parameters.publicationWorkingDays);
      const { rowCount } = await client.query(
        `insert into inspection_result (task_id, uscc, enterprise_name, item_codes, inspected_on, outcome, findings, attachments, recorded_by, publication_due,
           provenance_record_id, provenance_content_hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $1 || '/' || $2, $11) on conflict do nothing`,
        [
          request.taskId,
          request.uscc,
          named[0]?.name ?? request.uscc,
          items.map((i) => i.code),
          request.inspectedOn,
          request.outcome,
          JSON.stringify(request.findings),
          JSON.stringify(request.attachments),
          matched[0].id,
          due,
          contentHash(request),
        ],
      );
      if (!rowCount) {
        throw new InspectionError(ErrorCode.ILLEGAL_TRANSITION, `The result of ${request.uscc} in task ${request.taskId} is recorded already`, {
          action: 'RECORD_RESULT',
        });
      }
      await client.query('update inspection_task set results_recorded = results_recorded + 1 where id = $1', [request.taskId]);
      return { publicationDue: due };
    });
  }
}
