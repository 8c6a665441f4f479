import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { publicationDue, type PublishedDraw } from '../../src/domains/inspection';
import { loadHolidayCalendar } from '../../src/supervision/holiday-calendar-file';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * A joint task with the market regulator (进一次门、查多项事) on a directed draw, end to end:
 * 挂牌督办 listed by the transport bureau, a district task narrowed by area, type and size, the
 * draw matching inspectors of both units to each object, one visit recording one result for both
 * items, its publication; then the listing and that result as roster attributes, strata and
 * directed filters of the next tasks; and the city's 30% of the plan held at commitment.
 */

const PLANNER: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'planner', divisions: ['3205'], purpose: 'random-inspection' };
const AMR_PLANNER: TestCaller = { agency: 'suzhou-amr', roles: ['analyst'], subject: 'amr.planner', divisions: ['3205'], purpose: 'random-inspection' };
const officer = (agency: string, subject: string): TestCaller => ({ agency, roles: ['officer'], subject, divisions: ['3205'], purpose: 'random-inspection' });
const SCOPES = ['FREIGHT_GENERAL', 'FREIGHT_SPECIALISED', 'FREIGHT_OVERSIZE'];
const TASK = `mutation Task($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId status } }`;
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let t: TestHub;
let owner: Pool;
let planId: string;
let district: string;
/** The enterprise listed for supervision: in the district, of its type, and the size the directed draw asks. */
let listed: { uscc: string; type: string; capital: number };
const subjectOf = new Map<string, { agency: string; subject: string }>();

const as = async <R>(caller: TestCaller, query: string, variables: Record<string, unknown> = {}) =>
  execute<R, Record<string, unknown>>(t.hub.graphqlUrl, query, variables, await t.headersAs(caller));
const published = async (id: string): Promise<PublishedDraw> => (await fetch(`${t.hub.url}/public/draws/${id}`)).json() as Promise<PublishedDraw>;

async function snapshot(): Promise<string> {
  const tables = ['inspection_task', 'inspection_roster_attributes', 'supervision_listing', 'inspection_result'];
  return JSON.stringify(await Promise.all(tables.map(async (table) => (await owner.query(`select * from ${table} order by 1, 2`)).rows)));
}

async function commit(input: Record<string, unknown>): Promise<string> {
  const task = await as<{ createInspectionTask: { taskId: string } }>(PLANNER, TASK, { input: { planId, itemCode: 'JT-DL-03', ...input } });
  expect(task.errors).toBeUndefined();
  return task.data!.createInspectionTask.taskId;
}

async function draw(taskId: string) {
  const { beaconSeq } = (await published(taskId)).commitment;
  while (Number((await owner.query<{ seq: string }>('select max(seq) as seq from audit_event')).rows[0].seq) <= beaconSeq) {
    await as(PLANNER, '{ inspectionItems { code } }');
  }
  const drawn = await as(PLANNER, `mutation { drawInspectionTask(id: "${taskId}") { status } }`);
  expect(drawn.errors).toBeUndefined();
}

const drawnObjects = async (taskId: string) =>
  (
    await as<{
      inspectionTask: {
        drawn: Array<{ uscc: string; stratum: string; inspectorIds: string[]; supervised: boolean; failedInspections: number; lastOutcome: string | null }>;
      };
    }>(PLANNER, `{ inspectionTask(id: "${taskId}") { drawn { uscc stratum inspectorIds supervised failedInspections lastOutcome } } }`)
  ).data!.inspectionTask.drawn;

beforeAll(async () => {
  t = await startTestHub('inspection_joint_directed', { size: 0.05 });
  owner = ownerPool(t.hub.db.url);
  // The district with the most objects of the item, and in it the largest enterprise of the commonest type there.
  const { rows } = await owner.query<{ uscc: string; type: string; capital: number; division: string }>(
    `with eligible as (select e.uscc, e.type, e.registered_capital_yuan::float8 as capital, e.division_code as division from enterprise e
       where e.status = 'IN_BUSINESS' and e.deleted_at is null and e.registered_capital_yuan is not null and e.division_code like '3205%'
         and exists (select 1 from operator_licence l where l.holder_uscc = e.uscc and l.status = 'VALID' and l.deleted_at is null and l.scopes && $1::text[])),
     top as (select division, type from eligible group by 1, 2 order by count(*) desc, 1, 2 limit 1)
     select e.* from eligible e join top using (division, type) order by e.capital desc, e.uscc limit 1`,
    [SCOPES],
  );
  listed = rows[0];
  district = rows[0].division;
  const add = async (caller: TestCaller, n: number, subject: string) => {
    const added = await as<{ addInspector: { id: string } }>(caller, `mutation Add($input: InspectorInput!) { addInspector(input: $input) { id } }`, {
      input: { name: `检查员${n}`, unit: '执法队', post: '执法队员', certificateNumber: `3205770${n}01`, phone: `1371234000${n}`, division: district, subject },
    });
    expect(added.errors).toBeUndefined();
    subjectOf.set(added.data!.addInspector.id, { agency: caller.agency, subject });
  };
  // Five of the lead unit: the second draw of the same object may not reuse the first's two (nor anyone who inspected it within 12 months).
  for (const n of [0, 1, 2, 5, 6]) await add(PLANNER, n, `jt.${n}`);
  // The market regulator keeps its own officers on the roster (its agreement grants addInspector).
  for (const n of [3, 4]) await add(AMR_PLANNER, n, `amr.${n}`);
  const plan = await as<{ createInspectionPlan: string }>(
    PLANNER,
    `mutation { createInspectionPlan(year: 2026, division: "3205", title: "联合抽查计划", plannedObjects: 10) }`,
  );
  expect(plan.errors).toBeUndefined();
  planId = plan.data!.createInspectionPlan;
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('挂牌督办', () => {
  const LIST = 'mutation List($uscc: String!) { listForSupervision(uscc: $uscc, reason: "超限超载源头管理不到位") { id uscc agency delistedAt } }';

  it('is listed by the transport bureau once, audited; a second listing, an unknown enterprise and an officer are refused', async () => {
    const done = await as<{ listForSupervision: { uscc: string; agency: string; delistedAt: null } }>(PLANNER, LIST, { uscc: listed.uscc });
    expect(done.errors).toBeUndefined();
    expect(done.data!.listForSupervision).toMatchObject({ uscc: listed.uscc, agency: 'suzhou-transport', delistedAt: null });
    const before = await snapshot();
    expect((await as(PLANNER, LIST, { uscc: listed.uscc })).errors?.[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect((await as(PLANNER, LIST, { uscc: '91320500MA00000000' })).errors?.[0].extensions?.code).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
    expect((await as(officer('suzhou-transport', 'jt.0'), LIST, { uscc: listed.uscc })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A planner of another district cannot list (or delist) it, and learns no more than of an enterprise that does not exist.
    const elsewhere: TestCaller = { ...PLANNER, subject: 'planner.elsewhere', divisions: ['3206'] };
    const foreign = await as(elsewhere, LIST, { uscc: listed.uscc });
    expect(foreign.errors?.[0]).toMatchObject({ message: `Enterprise ${listed.uscc} was not found`, extensions: { code: 'NOT_FOUND' } });
    const foreignDelist = await as(elsewhere, `mutation { delistFromSupervision(uscc: "${listed.uscc}", reason: "越权") { delistedAt } }`);
    expect(foreignDelist.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await snapshot()).toBe(before);
    const { rows } = await owner.query<{ n: number }>(`select count(*)::int as n from audit_event where content::text like '%listForSupervision%'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
    const { rows: provenance } = await owner.query('select provenance_system from supervision_listing');
    expect(provenance).toEqual([{ provenance_system: 'HUB' }]);
  });
});

describe('a joint task on a directed draw', () => {
  let taskId: string;

  it('commits a roster narrowed by area, type and size, the listed enterprise in the SUPERVISED stratum', async () => {
    taskId = await commit({ joint: true, level: 'DISTRICT', division: district, enterpriseTypes: [listed.type], minRegisteredCapitalYuan: listed.capital / 2 });
    const { roster, pool } = await published(taskId);
    expect(pool.jointAgencies).toEqual(['suzhou-amr']);
    expect(roster.find((e) => e.uscc === listed.uscc)).toMatchObject({ stratum: 'SUPERVISED' });
    const { rows } = await owner.query<{ uscc: string }>(
      `select uscc from enterprise where uscc = any($1::text[]) and (type <> $2 or registered_capital_yuan < $3 or division_code not like $4 || '%')`,
      [roster.map((e) => e.uscc), listed.type, listed.capital / 2, district],
    );
    expect(rows).toEqual([]);
  });

  it('draws inspectors of both units for every object, the listing shown on the drawn object', async () => {
    await draw(taskId);
    const drawn = await drawnObjects(taskId);
    expect(drawn.map((o) => o.uscc)).toContain(listed.uscc);
    for (const object of drawn) {
      const agencies = object.inspectorIds.map((id) => subjectOf.get(id)!.agency).sort();
      expect(agencies).toEqual(['suzhou-amr', 'suzhou-transport', 'suzhou-transport']);
    }
    expect(drawn.find((o) => o.uscc === listed.uscc)).toMatchObject({ stratum: 'SUPERVISED', supervised: true, failedInspections: 0, lastOutcome: null });
  });

  it('records one visit for both items, by the market regulator’s matched inspector, once; then publishes it', async () => {
    const object = (await drawnObjects(taskId)).find((o) => o.uscc === listed.uscc)!;
    const byUnit = (agency: string) => object.inspectorIds.map((id) => subjectOf.get(id)!).find((s) => s.agency === agency)!;
    const RECORD = `mutation Record($taskId: String!, $uscc: String!, $findings: [FindingInput!]!) {
      recordInspectionResult(taskId: $taskId, uscc: $uscc, inspectedOn: "${today}", outcome: ISSUES_FOUND, findings: $findings) }`;
    const findings = [
      { checkItem: 'OVERLOAD', compliant: false, note: '源头装载登记缺失' },
      { checkItem: 'ANNUAL_REPORT', compliant: true },
    ];
    const amr = byUnit('suzhou-amr');
    const recorded = await as<{ recordInspectionResult: string }>(officer(amr.agency, amr.subject), RECORD, { taskId, uscc: listed.uscc, findings });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordInspectionResult).toBe(publicationDue(loadHolidayCalendar(loadConfig({}).holidayCalendarFile), today, 5));
    const jt = byUnit('suzhou-transport');
    const again = await as(officer(jt.agency, jt.subject), RECORD, { taskId, uscc: listed.uscc, findings });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    const page = (await (await fetch(`${t.hub.url}/public/inspections`)).json()) as { results: Array<{ id: string; itemCodes: string[]; outcome: string }> };
    expect(page.results).toContainEqual(
      expect.objectContaining({ id: `${taskId}/${listed.uscc}`, itemCodes: ['JT-DL-03', 'SJ-QY-01'], outcome: 'ISSUES_FOUND' }),
    );
  });

  it('makes the result a past finding of the next tasks: shown, and a directed filter once delisted', async () => {
    const next = await commit({ level: 'DISTRICT', division: district, supervisedOnly: true });
    expect((await published(next)).roster.map((e) => e.uscc)).toEqual([listed.uscc]);
    await draw(next);
    expect(await drawnObjects(next)).toEqual([
      expect.objectContaining({ uscc: listed.uscc, stratum: 'SUPERVISED', supervised: true, failedInspections: 1, lastOutcome: 'ISSUES_FOUND' }),
    ]);
    const delisted = await as(PLANNER, `mutation { delistFromSupervision(uscc: "${listed.uscc}", reason: "整改到位") { delistedAt } }`);
    expect(delisted.errors).toBeUndefined();
    expect((await as(PLANNER, `mutation { delistFromSupervision(uscc: "${listed.uscc}", reason: "x") { delistedAt } }`)).errors?.[0].extensions).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    const after = await commit({ level: 'DISTRICT', division: district, withPastFindingsOnly: true });
    expect((await published(after)).roster).toEqual([expect.objectContaining({ uscc: listed.uscc, stratum: 'PAST_FINDINGS' })]);
  });
});

describe('the 70% district / 30% city split', () => {
  it('lets city tasks draw at most 30% of the planned objects in all, counted at commitment, and refuses the rest, changing nothing', async () => {
    // plannedObjects 10: the city may draw 3. A one-object city task fits three times; the fourth does not.
    for (let n = 0; n < 3; n++) await commit({ level: 'CITY', division: '3205', withPastFindingsOnly: true });
    const before = await snapshot();
    const refused = await as(PLANNER, TASK, { input: { planId, itemCode: 'JT-DL-03', level: 'CITY', division: '3205', withPastFindingsOnly: true } });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'DRAW_REFUSED', reason: 'PLAN_SPLIT', cityQuota: 3, cityCommitted: 3, taskObjects: 1 });
    expect(await snapshot()).toBe(before);
    // District tasks are never held back by it.
    await commit({ level: 'DISTRICT', division: district, withPastFindingsOnly: true });
    const plans = await as<{ inspectionPlans: Array<{ id: string; plannedObjects: number; cityQuota: number; cityCommitted: number }> }>(
      PLANNER,
      '{ inspectionPlans(year: 2026) { id plannedObjects cityQuota cityCommitted } }',
    );
    expect(plans.data!.inspectionPlans).toEqual([{ id: planId, plannedObjects: 10, cityQuota: 3, cityCommitted: 3 }]);
  });
});
