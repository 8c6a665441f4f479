import type { Client } from 'graphql-ws';
import { execute } from '../support/graphql-client';
import { subscribeLive } from '../support/live-subscriber';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * A random-inspection task's changes reach subscribers through the outbox: its commitment and its
 * draw, each as an InspectionTaskChange, to an officer of a district the city-wide task covers;
 * an officer of another city hears nothing of it.
 */

const PLANNER: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'planner', divisions: ['3205'], purpose: 'random-inspection' };
const DISTRICT_OFFICER: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], subject: 'o1', divisions: ['320505'], purpose: 'random-inspection' };
const ELSEWHERE: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], subject: 'o2', divisions: ['3206'], purpose: 'random-inspection' };
const CHANGED = 'subscription Changes($division: String!) { inspectionTaskChanged(division: $division) { taskId status objectsDrawn } }';

let t: TestHub;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestHub('inspection_live', { size: 0.05 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.close();
});

const as = async <R>(caller: TestCaller, query: string, variables: Record<string, unknown> = {}) =>
  execute<R, Record<string, unknown>>(t.hub.graphqlUrl, query, variables, await t.headersAs(caller));

it('announces a task committed and drawn to the officers of the divisions it covers, live', async () => {
  const near = await subscribeLive(clients, t.hub.graphqlUrl, (await t.headersAs(DISTRICT_OFFICER)).authorization, 'random-inspection', CHANGED, {
    division: '320505',
  });
  const far = await subscribeLive(clients, t.hub.graphqlUrl, (await t.headersAs(ELSEWHERE)).authorization, 'random-inspection', CHANGED, { division: '3206' });
  // No divisions claim: as the reads show it no task, it hears of none.
  const unplaced = await subscribeLive(
    clients,
    t.hub.graphqlUrl,
    (await t.headersAs({ ...DISTRICT_OFFICER, subject: 'o3', divisions: [] })).authorization,
    'random-inspection',
    CHANGED,
    {},
  );
  for (const [n, subject] of ['a', 'b', 'c'].entries()) {
    const added = await as(PLANNER, `mutation Add($input: InspectorInput!) { addInspector(input: $input) { id } }`, {
      input: {
        name: `检查员${n}`,
        unit: '执法支队',
        post: '执法队员',
        certificateNumber: `3205990${n}01`,
        phone: `1381234000${n}`,
        division: '320505',
        subject,
      },
    });
    expect(added.errors).toBeUndefined();
  }
  const plan = await as<{ createInspectionPlan: string }>(
    PLANNER,
    'mutation { createInspectionPlan(year: 2026, division: "3205", title: "计划", plannedObjects: 10000) }',
  );
  const task = await as<{ createInspectionTask: { taskId: string } }>(
    PLANNER,
    'mutation T($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId } }',
    {
      input: { planId: plan.data!.createInspectionPlan, itemCode: 'JT-DL-03', level: 'CITY', division: '3205' },
    },
  );
  const taskId = task.data!.createInspectionTask.taskId;
  for (let attempt = 0; attempt < 10; attempt++) {
    const drawn = await as(PLANNER, `mutation { drawInspectionTask(id: "${taskId}") { status } }`);
    if (!drawn.errors) break;
    expect(drawn.errors[0].extensions).toMatchObject({ code: 'DRAW_REFUSED', reason: 'BEACON_PENDING' });
  }
  const statuses = async () => {
    for (let waited = 0; waited < 10_000; waited += 200) {
      const seen = near.received.map((r) => (r.data?.inspectionTaskChanged as { taskId: string; status: string } | null)?.status);
      if (seen.includes('DRAWN')) return seen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return near.received.map((r) => (r.data?.inspectionTaskChanged as { status: string } | null)?.status);
  };
  expect(await statuses()).toEqual(['COMMITTED', 'DRAWN']);
  expect(near.received.every((r) => (r.data?.inspectionTaskChanged as { taskId: string }).taskId === taskId)).toBe(true);
  expect(far.received.filter((r) => r.data?.inspectionTaskChanged)).toEqual([]);
  expect(unplaced.received.filter((r) => r.data?.inspectionTaskChanged)).toEqual([]);
  expect(near.errors).toEqual([]);
});
