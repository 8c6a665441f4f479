import type { Pool } from 'pg';
import { execute } from '../support/graphql-client';
import { busiestFreightDistricts } from '../support/freight-districts';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Published inspection results are read newest first, page after page by the `cursor` of the
 * last one seen, on /graphql (the credit platform's pull) and on the public pages: every result
 * exactly once, in order, ties of the same instant included; an `after` that is not such a cursor
 * is refused as any connection's bad cursor is (BAD_USER_INPUT naming the argument and why).
 */

const PLANNER: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'paging', divisions: ['3205'], purpose: 'random-inspection' };
const RESULTS = 11;

let t: TestHub;
let owner: Pool;

async function as<R>(query: string, variables: Record<string, unknown> = {}) {
  return execute<R, Record<string, unknown>>(t.hub.graphqlUrl, query, variables, await t.headersAs(PLANNER));
}

async function ok<R>(query: string, variables: Record<string, unknown> = {}): Promise<R> {
  const result = await as<R>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function publicGraphql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${t.hub.url}/public/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data: { inspectionResults: { results: Array<{ id: string }>; cursor: string | null } } | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

beforeAll(async () => {
  t = await startTestHub('insppaging', { size: 0.05 });
  owner = ownerPool(t.hub.db.url);
  const districts = await busiestFreightDistricts(owner, 1);
  const inspector = {
    name: '检查员',
    unit: '执法大队',
    post: '执法队员',
    certificateNumber: '320577099',
    phone: '13712340999',
    division: districts[0],
    subject: 'paging.0',
  };
  const { addInspector } = await ok<{ addInspector: { id: string } }>('mutation Add($input: InspectorInput!) { addInspector(input: $input) { id } }', {
    input: inspector,
  });
  const { createInspectionPlan: planId } = await ok<{ createInspectionPlan: string }>(
    'mutation { createInspectionPlan(year: 2026, division: "3205", title: "分页", plannedObjects: 10000) }',
  );
  const input = { planId, itemCode: 'JT-DL-03', level: 'DISTRICT', division: districts[0], ratios: [{ stratum: 'UNGRADED', ratio: 0.2 }] };
  const { createInspectionTask } = await ok<{ createInspectionTask: { taskId: string } }>(
    'mutation T($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId } }',
    { input },
  );
  // Results as recording leaves them, three at a time sharing one instant: the ordering's later keys must break the ties.
  await owner.query(
    `insert into inspection_result (task_id, uscc, enterprise_name, item_codes, inspected_on, outcome, findings, attachments, recorded_by,
       recorded_at, publication_due, provenance_record_id, provenance_content_hash)
     select $1, lpad(n::text, 18, '9'), '企业' || n, array['JT-DL-03'], date '2026-03-02', 'COMPLIANT', '[]'::jsonb, '[]'::jsonb, $2,
       timestamptz '2026-03-10 08:00:00.123+00' - make_interval(mins => n / 3), date '2026-03-09', $1 || '/' || n, 'paging'
     from generate_series(1, $3::integer) n`,
    [createInspectionTask.taskId, addInspector.id, RESULTS],
  );
}, 180_000);
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

/** Every published result's id, newest first, as the database orders them. */
async function everyResult(): Promise<string[]> {
  const { rows } = await owner.query<{ id: string }>(
    `select task_id || '/' || uscc as id from inspection_result order by recorded_at desc, task_id desc, uscc desc`,
  );
  return rows.map((r) => r.id);
}

describe('published inspection results', () => {
  it('page through /graphql with first and after: every result exactly once, newest first', async () => {
    const expected = await everyResult();
    expect(expected.length).toBeGreaterThanOrEqual(RESULTS);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages <= expected.length; pages += 1) {
      const { inspectionResults: page }: { inspectionResults: Array<{ id: string; cursor: string }> } = await ok(
        'query R($after: String) { inspectionResults(first: 4, after: $after) { id cursor } }',
        { after },
      );
      if (!page.length) break;
      expect(page.length).toBeLessThanOrEqual(4);
      seen.push(...page.map((r) => r.id));
      after = page[page.length - 1].cursor;
    }
    expect(seen).toEqual(expected);
  });

  it('page through the public GraphQL until its cursor is null: every result exactly once, newest first', async () => {
    const expected = await everyResult();
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages <= expected.length; pages += 1) {
      const body = await publicGraphql('query R($after: String) { inspectionResults(first: 3, after: $after) { results { id } cursor } }', { after });
      expect(body.errors).toBeUndefined();
      seen.push(...body.data!.inspectionResults.results.map((r) => r.id));
      after = body.data!.inspectionResults.cursor;
      if (after === null) break;
    }
    expect(after).toBeNull();
    expect(seen).toEqual(expected);
  });

  it('refuse an after that is not a result cursor with the typed error every connection gives, on /graphql and the public pages', async () => {
    const refusal = { code: 'BAD_USER_INPUT', argument: 'after', reason: 'is not a cursor returned by this connection' };
    for (const after of ['nonsense', '2026-03-10T08:00:00.123|TASK-1|not-a-code']) {
      const own = await as('query R($after: String) { inspectionResults(first: 2, after: $after) { id } }', { after });
      expect(own.errors?.[0].extensions).toMatchObject(refusal);
      const published = await publicGraphql('query R($after: String) { inspectionResults(first: 2, after: $after) { cursor } }', { after });
      expect(published.errors?.[0].extensions).toMatchObject(refusal);
      const res = await fetch(`${t.hub.url}/public/inspections?after=${encodeURIComponent(after)}`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toMatchObject(refusal);
    }
  });

  it('refuse a page size out of 1…100 alike on the public GraphQL and the public page, naming first', async () => {
    const refusal = { code: 'BAD_USER_INPUT', argument: 'first', reason: 'must be from 1 to 100' };
    for (const first of [0, 101]) {
      const published = await publicGraphql('query R($first: Int) { inspectionResults(first: $first) { cursor } }', { first });
      expect(published.errors?.[0].extensions).toMatchObject(refusal);
      const res = await fetch(`${t.hub.url}/public/inspections?first=${first}`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toMatchObject(refusal);
    }
    const res = await fetch(`${t.hub.url}/public/inspections?first=2.5`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
  });
});
