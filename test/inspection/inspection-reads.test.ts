import type { Pool } from 'pg';
import type { SentStatement } from '../../src/db/query-counter';
import { WHOLE_LIST_MAX } from '../../src/domains/inspection';
import { execute } from '../support/graphql-client';
import { busiestFreightDistricts } from '../support/freight-districts';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Random inspections read through the read gateway: tasks, plans and inspectors under the
 * agreements' `overlapsAny` row scope (a city task concerns the district officers of every
 * division it covers, a district task its own district's officers, nobody in another district),
 * in SQL, so a nested plan query shows only what the scope lets through; and a constant number of
 * statements for a year's plans with their tasks and figures however many there are, and one for
 * the drawn objects of every task asked.
 */

const PLANNER: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'planner', divisions: ['3205'], purpose: 'random-inspection' };
const officer = (divisions: string[]): TestCaller => ({
  agency: 'suzhou-transport',
  roles: ['officer'],
  subject: `o.${divisions.join('.')}`,
  divisions,
  purpose: 'random-inspection',
});

let t: TestHub;
let owner: Pool;
/** Two districts of the city, each with objects of the item to draw. */
let districtA: string;
let districtB: string;
const tasks: Record<'city' | 'a' | 'b' | 'lone', string> = { city: '', a: '', b: '', lone: '' };

async function as<R>(caller: TestCaller, query: string, variables: Record<string, unknown> = {}) {
  const result = await execute<R, Record<string, unknown>>(t.hub.graphqlUrl, query, variables, await t.headersAs(caller));
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function plan(year: number, division: string): Promise<string> {
  return (
    await as<{ createInspectionPlan: string }>(
      PLANNER,
      `mutation { createInspectionPlan(year: ${year}, division: "${division}", title: "${year} ${division}", plannedObjects: 10000) }`,
    )
  ).createInspectionPlan;
}

async function task(planId: string, level: 'CITY' | 'DISTRICT', division: string): Promise<string> {
  const input = { planId, itemCode: 'JT-DL-03', level, division, ratios: [{ stratum: 'UNGRADED', ratio: 0.2 }] };
  return (
    await as<{ createInspectionTask: { taskId: string } }>(
      PLANNER,
      'mutation T($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId } }',
      { input },
    )
  ).createInspectionTask.taskId;
}

async function draw(taskId: string): Promise<void> {
  const beaconSeq = (await as<{ inspectionTask: { beaconSeq: number } }>(PLANNER, `{ inspectionTask(id: "${taskId}") { beaconSeq } }`)).inspectionTask
    .beaconSeq;
  while (Number((await owner.query<{ seq: string }>('select max(seq) as seq from audit_event')).rows[0].seq) <= beaconSeq) {
    await as(PLANNER, '{ inspectionItems { code } }');
  }
  await as(PLANNER, `mutation { drawInspectionTask(id: "${taskId}") { status } }`);
}

beforeAll(async () => {
  t = await startTestHub('inspreads', { size: 0.05 });
  owner = ownerPool(t.hub.db.url);
  const districts = await busiestFreightDistricts(owner, 2);
  expect(districts).toHaveLength(2);
  [districtA, districtB] = districts;
  for (const [n, division] of [districtA, districtA, districtA, districtB, districtB, districtB].entries()) {
    const input = {
      name: `检查员${n}`,
      unit: '执法大队',
      post: '执法队员',
      certificateNumber: `3205770${n}01`,
      phone: `1371234000${n}`,
      division,
      subject: `reads.${n}`,
    };
    await as(PLANNER, 'mutation Add($input: InspectorInput!) { addInspector(input: $input) { id } }', { input });
  }
  // 2025: one plan with one task, committed. 2026: the city's plan and each district's, a city task and a task per district.
  tasks.lone = await task(await plan(2025, '3205'), 'CITY', '3205');
  const city = await plan(2026, '3205');
  tasks.city = await task(city, 'CITY', '3205');
  tasks.a = await task(await plan(2026, districtA), 'DISTRICT', districtA);
  tasks.b = await task(await plan(2026, districtB), 'DISTRICT', districtB);
  await task(city, 'DISTRICT', districtA);
  await draw(tasks.city);
  await draw(tasks.a);
}, 180_000);
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const PLANS = `query Plans($year: Int!) {
  inspectionPlans(year: $year) {
    id division cityQuota cityCommitted districtShare
    tasks { id level division status rosterSize rosterHash objectsDrawn }
  }
}`;
type Plans = {
  inspectionPlans: Array<{
    id: string;
    division: string;
    cityCommitted: number;
    tasks: Array<{ id: string; level: string; division: string; objectsDrawn: number }>;
  }>;
};
const TASK = 'query Task($id: String!) { inspectionTask(id: $id) { id division drawn { uscc enterpriseName stratum inspectorIds outcome supervised } } }';
type Task = { inspectionTask: { id: string; drawn: Array<{ uscc: string; inspectorIds: string[] }> } | null };

describe('the overlapsAny row scope', () => {
  it('shows a district officer the city task covering their division and their district’s tasks, never another district’s', async () => {
    const seen = await as<Plans>(officer([districtA]), PLANS, { year: 2026 });
    const plans = seen.inspectionPlans;
    expect(plans.map((p) => p.division).sort()).toEqual(['3205', districtA].sort());
    const visible = plans.flatMap((p) => p.tasks);
    expect(visible.map((v) => v.id)).toEqual(expect.arrayContaining([tasks.city, tasks.a]));
    expect(visible.map((v) => v.id)).not.toContain(tasks.b);
    expect(visible.every((v) => v.division === '3205' || v.division === districtA)).toBe(true);
    // The city task's draw is theirs to see (its objects anywhere in the city), with what it drew.
    const cityTask = (await as<Task>(officer([districtA]), TASK, { id: tasks.city })).inspectionTask!;
    expect(cityTask.drawn.length).toBe(visible.find((v) => v.id === tasks.city)!.objectsDrawn);
    expect(cityTask.drawn.length).toBeGreaterThan(0);
    expect(cityTask.drawn.every((o) => o.inspectorIds.length >= 2)).toBe(true);
    expect((await as<Task>(officer([districtA]), TASK, { id: tasks.a })).inspectionTask!.drawn.length).toBeGreaterThan(0);

    // Another district's task is not found by its id either, and its inspectors are not on the roster shown.
    expect((await as<Task>(officer([districtA]), TASK, { id: tasks.b })).inspectionTask).toBeNull();
    expect((await as<Task>(officer([districtB]), TASK, { id: tasks.b })).inspectionTask!.id).toBe(tasks.b);
    const roster = await as<{ inspectors: Array<{ division: string }> }>(officer([districtA]), '{ inspectors { division } }');
    expect(roster.inspectors.map((i) => i.division)).toEqual([districtA, districtA, districtA]);

    // The other district's officer sees the city task and theirs; the city's sees every one.
    const other = (await as<Plans>(officer([districtB]), PLANS, { year: 2026 })).inspectionPlans.flatMap((p) => p.tasks.map((x) => x.id));
    expect(other).toEqual(expect.arrayContaining([tasks.city, tasks.b]));
    expect(other).not.toContain(tasks.a);
    const everything = (await as<Plans>(officer(['3205']), PLANS, { year: 2026 })).inspectionPlans.flatMap((p) => p.tasks.map((x) => x.id));
    expect(everything).toEqual(expect.arrayContaining([tasks.city, tasks.a, tasks.b]));
    // Another city's officer sees none of them.
    expect((await as<Plans>(officer(['3206']), PLANS, { year: 2026 })).inspectionPlans).toEqual([]);
  });

  it('shows no caller a row whose division is empty (it lies within no division and contains none)', async () => {
    await owner.query(
      `insert into inspection_plan
       select (jsonb_populate_record(null::inspection_plan, to_jsonb(p) || '{"id": "PLAN-NO-DIVISION", "division": "", "unit": "no-division", "year": 2026}')).*
       from inspection_plan p limit 1`,
    );
    try {
      for (const caller of [officer(['3206']), officer([districtA]), officer(['3205'])]) {
        const plans = (await as<Plans>(caller, PLANS, { year: 2026 })).inspectionPlans;
        expect(plans.map((p) => p.division)).not.toContain('');
      }
    } finally {
      await owner.query(`delete from inspection_plan where id = 'PLAN-NO-DIVISION'`);
    }
  });

  it('holds an analyst to its divisions as it holds an officer, the same divisions its plans and draws are written in', async () => {
    const analyst = (divisions: string[]): TestCaller => ({ ...PLANNER, subject: `a.${divisions.join('.')}`, divisions });
    const district = (await as<Plans>(analyst([districtA]), PLANS, { year: 2026 })).inspectionPlans.flatMap((p) => p.tasks.map((x) => x.id));
    expect(district).toEqual(expect.arrayContaining([tasks.city, tasks.a]));
    expect(district).not.toContain(tasks.b);
    expect((await as<Plans>(analyst(['3206']), PLANS, { year: 2026 })).inspectionPlans).toEqual([]);
  });

  it('is in the SQL of every statement reading tasks, plans and inspectors, and reads only the columns selected', async () => {
    const { sent } = await t.hub.db.counter.capture(() =>
      as(officer([districtA]), `{ inspectionPlans(year: 2026) { id tasks { id division } } inspectors { division } }`),
    );
    const reading = (table: string) => sent.filter((s) => new RegExp(`\\bfrom ${table}\\b`).test(s.text));
    const scoped = (s: SentStatement) => {
      const patterns = s.params.filter((p) => typeof p === 'string' && p.includes(`${districtA}%`));
      const ancestors = s.params.filter((p) => typeof p === 'string' && p.includes('"3205"') && p.includes(`"${districtA}"`));
      return /like any\(\$\d+::text\[\]\)/.test(s.text) && patterns.length > 0 && ancestors.length > 0;
    };
    for (const table of ['inspection_plan', 'inspection_task_read', 'inspector']) {
      expect(reading(table).length).toBeGreaterThan(0);
      expect(reading(table).every(scoped)).toBe(true);
    }
    // Nothing of the commitment or the draw is read when no field of it is selected.
    expect(reading('inspection_task_read').some((s) => /published_draw|roster_size|stratum_sizes/.test(s.text))).toBe(false);
  });
});

describe('a list read whole', () => {
  it('answers a year of as many plans as it reads whole in full, and refuses one more with QUERY_LIMIT_EXCEEDED, not cut short', async () => {
    const insert = (from: number, to: number) =>
      owner.query(
        `insert into inspection_plan
         select (jsonb_populate_record(null::inspection_plan, to_jsonb(p) || jsonb_build_object('id', 'PLAN-BOUND-' || n, 'unit', 'bound-' || n, 'year', 2031))).*
         from (select * from inspection_plan where division = '3205' limit 1) p cross join generate_series($1::integer, $2::integer) n`,
        [from, to],
      );
    await insert(1, WHOLE_LIST_MAX);
    try {
      const full = await as<{ inspectionPlans: Array<{ id: string }> }>(PLANNER, '{ inspectionPlans(year: 2031) { id } }');
      expect(new Set(full.inspectionPlans.map((p) => p.id)).size).toBe(WHOLE_LIST_MAX);
      await insert(WHOLE_LIST_MAX + 1, WHOLE_LIST_MAX + 1);
      const over = await execute(t.hub.graphqlUrl, '{ inspectionPlans(year: 2031) { id } }', {}, await t.headersAs(PLANNER));
      expect(over.data ?? null).toBeNull();
      expect(over.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'wholeList', max: WHOLE_LIST_MAX });
    } finally {
      await owner.query(`delete from inspection_plan where id like 'PLAN-BOUND-%'`);
    }
  });
});

describe('a nested inspection query', () => {
  it('costs the same number of statements for one plan and task as for a year of plans, their tasks and figures', async () => {
    const run = async (year: number) => {
      const measured = await t.hub.db.counter.measure(() => as<Plans>(PLANNER, PLANS, { year }));
      return { plans: measured.result.inspectionPlans, statements: measured.statements };
    };
    await run(2025);
    const small = await run(2025);
    const large = await run(2026);
    expect(small.plans).toHaveLength(1);
    expect(small.plans[0].tasks).toHaveLength(1);
    expect(large.plans).toHaveLength(3);
    expect(large.plans.flatMap((p) => p.tasks)).toHaveLength(4);
    expect(large.plans.flatMap((p) => p.tasks).filter((x) => x.objectsDrawn > 0)).toHaveLength(2);
    expect(large.plans.find((p) => p.division === '3205')!.cityCommitted).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
    // The plans' page (the city's quota is of the plan row read there) and their tasks, read once for `tasks` and the figures.
    expect(large.statements).toBeLessThanOrEqual(2);
  });

  it('answers a plan stating no planned number with a city quota of none, from the plan row', async () => {
    await owner.query(
      `insert into inspection_plan
       select (jsonb_populate_record(null::inspection_plan, to_jsonb(p) || '{"id": "PLAN-NO-NUMBER", "year": 2024, "planned_objects": null}')).*
       from inspection_plan p where p.division = '3205' limit 1`,
    );
    try {
      const { inspectionPlans } = await as<{ inspectionPlans: unknown[] }>(PLANNER, '{ inspectionPlans(year: 2024) { id plannedObjects cityQuota } }');
      expect(inspectionPlans).toEqual([{ id: 'PLAN-NO-NUMBER', plannedObjects: null, cityQuota: 0 }]);
    } finally {
      await owner.query(`delete from inspection_plan where id = 'PLAN-NO-NUMBER'`);
    }
  });

  it('reads every task’s drawn objects in one statement', async () => {
    const query = `{ a: inspectionTask(id: "${tasks.city}") { drawn { uscc } } b: inspectionTask(id: "${tasks.a}") { drawn { uscc } } }`;
    const { sent } = await t.hub.db.counter.capture(() => as(PLANNER, query));
    expect(sent.filter((s) => /\bfrom inspection_drawn_object\b/.test(s.text))).toHaveLength(1);
    expect(sent.filter((s) => /\bfrom inspection_task_read\b/.test(s.text))).toHaveLength(1);
  });
});
