import { mintDevToken, type AgencyRegistry } from '../auth';

/*
 * The demo's random inspection (双随机、一公开), made through the hub's API as the bureau would:
 * a planner (a transport analyst) adds inspectors and the year's plan, commits a city-wide task,
 * draws it once the audit chain has passed its beacon event, and the matched inspectors record
 * the first results, which are then public. Runs once: a hub that has the plan already (a
 * restart) only says where to look. The plan, task and inspectors are the same each run; which
 * objects are drawn is not, by design: the seed is secret and random until the draw.
 */

const PLANNER = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'demo.planner', divisions: ['3205'] };
const INSPECTORS = [
  { subject: 'demo.inspector.wang', name: '王建国', certificateNumber: '32050000101', phone: '13912340101', division: '320505' },
  { subject: 'demo.inspector.li', name: '李晓明', certificateNumber: '32050000102', phone: '13912340102', division: '320506' },
  { subject: 'demo.inspector.zhao', name: '赵红', certificateNumber: '32050000103', phone: '13912340103', division: '320507' },
  { subject: 'demo.inspector.chen', name: '陈立', certificateNumber: '32050000104', phone: '13912340104', division: '320508' },
];
const PURPOSE = 'random-inspection';
const YEAR = 2026;
const RESULTS = 3;

type Post = <T>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;

function poster(graphqlUrl: string, token: string): Post {
  return async (query, variables = {}) => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': PURPOSE },
      body: JSON.stringify({ query, variables }),
    });
    return response.json() as never;
  };
}

const must = <T>(reply: { data?: T; errors?: Array<{ message: string }> }): T => {
  if (reply.errors?.length) throw new Error(reply.errors.map((e) => e.message).join('; '));
  return reply.data!;
};

/** Plans, draws and records the demo's inspection (once); answers what to print. */
export async function demoInspection(dataDir: string, agencies: AgencyRegistry, hubUrl: string, graphqlUrl: string): Promise<string> {
  const planner = poster(graphqlUrl, await mintDevToken(dataDir, agencies, PLANNER));
  const plans = must(await planner<{ inspectionPlans: Array<{ tasks: Array<{ id: string }> }> }>(`query { inspectionPlans(year: ${YEAR}) { tasks { id } } }`));
  let taskId = plans.inspectionPlans[0]?.tasks[0]?.id;
  if (!taskId) {
    const subjects = new Map<string, string>();
    for (const inspector of INSPECTORS) {
      const added = must(
        await planner<{ addInspector: { id: string } }>(`mutation AddInspector($input: InspectorInput!) { addInspector(input: $input) { id } }`, {
          input: { ...inspector, unit: '苏州市交通运输综合行政执法支队', post: '执法队员' },
        }),
      );
      subjects.set(added.addInspector.id, inspector.subject);
    }
    // The year's plan covers every enterprise of the city once (全覆盖), however large the demo world:
    // the city's task may draw 30% of that, the districts' 70% is left to them.
    const planned = must(await planner<{ enterprises: { totalCount: number } }>('query DemoPlanSize { enterprises(first: 0) { totalCount } }')).enterprises
      .totalCount;
    const planId = must(
      await planner<{ createInspectionPlan: string }>(
        `mutation { createInspectionPlan(year: ${YEAR}, division: "3205", title: "${YEAR}年度道路货运双随机抽查计划", plannedObjects: ${Math.max(1, planned)}) }`,
      ),
    ).createInspectionPlan;
    taskId = must(
      await planner<{ createInspectionTask: { taskId: string } }>(
        `mutation DemoTask($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId } }`,
        { input: { planId, itemCode: 'JT-DL-03', level: 'CITY', division: '3205' } },
      ),
    ).createInspectionTask.taskId;
    // The draw waits for its beacon, an audit event after the commitment: each request writes one.
    for (let attempt = 0; ; attempt++) {
      const drawn = await planner(`mutation { drawInspectionTask(id: "${taskId}") { status } }`);
      if (!drawn.errors) break;
      if (drawn.errors[0].extensions?.reason !== 'BEACON_PENDING' || attempt > 10) must(drawn);
    }
    const draw = (await (await fetch(`${hubUrl}/public/draws/${taskId}`)).json()) as {
      result: { objects: Array<{ uscc: string; inspectorIds: string[] }> };
    };
    for (const [n, object] of draw.result.objects.slice(0, RESULTS).entries()) {
      // 谁检查、谁录入: the first inspector the draw matched records, with their own token.
      const subject = subjects.get(object.inspectorIds[0]);
      if (!subject) continue;
      const inspector = poster(
        graphqlUrl,
        await mintDevToken(dataDir, agencies, { agency: 'suzhou-transport', roles: ['officer'], subject, divisions: ['3205'] }),
      );
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const recorded = await inspector(
        `mutation DemoResult($task: String!, $uscc: String!, $on: String!, $outcome: InspectionOutcome!, $findings: [FindingInput!]!) {
            recordInspectionResult(taskId: $task, uscc: $uscc, inspectedOn: $on, outcome: $outcome, findings: $findings) }`,
        {
          task: taskId,
          uscc: object.uscc,
          on: today,
          outcome: n === 0 ? 'ISSUES_FOUND' : 'COMPLIANT',
          findings: [
            { checkItem: 'LICENCE', compliant: true },
            { checkItem: 'OVERLOAD', compliant: n !== 0, note: n === 0 ? '装载源头登记不全，责令整改' : null },
          ],
        },
      );
      must(recorded);
    }
  }
  return [
    '',
    `Random inspection (双随机、一公开): plan ${YEAR} for 3205, task ${taskId} drawn by commit–reveal and signed.`,
    `  The draw, to recompute:   ${hubUrl}/public/draws/${taskId}`,
    `  Recompute it:             npm run -s draw:verify -- ${taskId}   (or, with no database: npm run -s draw:verify:published -- ${hubUrl}/public/draws/${taskId} --public-key <(npm run -s xietong -- draw public-key))`,
    `  Published results (公示): ${hubUrl}/public/inspections (JSON; an HTML page in a browser)`,
    '',
  ].join('\n');
}
