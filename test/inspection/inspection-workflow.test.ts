import { spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { loadConfig, projectRoot } from '../../src/config';
import { loadOrCreateHubKey } from '../../src/audit/hub-key';
import {
  computeDraw,
  headSignedContent,
  publicationDue,
  resultHashOf,
  signedContent,
  verifyPublishedDraw,
  type PublishedDraw,
} from '../../src/domains/inspection';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { runXietong } from '../support/run-xietong';
import { loadHolidayCalendar } from '../../src/supervision/holiday-calendar-file';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Random inspections over HTTP, as the bureau uses them: inspectors, a plan, a task committed
 * (roster, pool and seed hash frozen), a draw once the beacon event exists, the draw recomputed
 * from the database (npm run draw:verify) and from its published JSON alone (the standalone
 * script), a redraw refused, results recorded only by matched inspectors, published without
 * personal data and pulled by the credit platform. Every refusal is typed and changes nothing.
 */

const PLANNER: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'planner', divisions: ['3205'], purpose: 'random-inspection' };
const inspectorToken = (subject: string): TestCaller => ({
  agency: 'suzhou-transport',
  roles: ['officer'],
  subject,
  divisions: ['3205'],
  purpose: 'random-inspection',
});
const CREDIT: TestCaller = { agency: 'jiangsu-credit', roles: ['service'], purpose: 'credit-sanction' };
const SUBJECTS = ['insp.a', 'insp.b', 'insp.c', 'insp.d', 'insp.e'];

let t: TestHub;
let owner: Pool;
let taskId: string;
const inspectorIds = new Map<string, string>();
let conflicted: string;

async function as<R>(caller: TestCaller, query: string, variables: Record<string, unknown> = {}) {
  return execute<R, Record<string, unknown>>(t.hub.graphqlUrl, query, variables, await t.headersAs(caller));
}

/** Every inspection row, as text: what a refusal must leave as it was. */
async function snapshot(): Promise<string> {
  const tables = ['inspection_task', 'inspection_draw', 'inspection_assignment', 'inspection_result', 'inspector_conflict'];
  const parts = await Promise.all(tables.map((table) => owner.query(`select * from ${table} order by 1, 2`)));
  return JSON.stringify(parts.map((p) => p.rows));
}

const published = async (id: string): Promise<PublishedDraw> => (await fetch(`${t.hub.url}/public/draws/${id}`)).json() as Promise<PublishedDraw>;

beforeAll(async () => {
  t = await startTestHub('inspections', { size: 0.05 });
  owner = ownerPool(t.hub.db.url);
  for (const [n, subject] of SUBJECTS.entries()) {
    const added = await as<{ addInspector: { id: string } }>(PLANNER, `mutation Add($input: InspectorInput!) { addInspector(input: $input) { id } }`, {
      input: {
        name: `检查员${n}`,
        unit: '苏州市交通运输综合行政执法支队',
        post: '执法队员',
        certificateNumber: `3205000${n}01`,
        phone: `1391234000${n}`,
        division: '320505',
        subject,
      },
    });
    expect(added.errors).toBeUndefined();
    inspectorIds.set(subject, added.data!.addInspector.id);
  }
  // An object of the roster the first inspector declares a conflict with (近亲属任职).
  const { rows } = await owner.query<{ uscc: string }>(
    `select e.uscc from enterprise e where e.status = 'IN_BUSINESS' and e.division_code like '3205%' and exists (select 1 from operator_licence l
       where l.holder_uscc = e.uscc and l.status = 'VALID' and l.scopes && array['FREIGHT_GENERAL','FREIGHT_SPECIALISED','FREIGHT_OVERSIZE']) order by e.uscc limit 1`,
  );
  conflicted = rows[0].uscc;
  const declared = await as(
    PLANNER,
    `mutation { declareInspectorConflict(inspectorId: "${inspectorIds.get('insp.a')}", uscc: "${conflicted}", relation: "近亲属任职") }`,
  );
  expect(declared.errors).toBeUndefined();
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('the draw', () => {
  it('commits a task with its roster hash, seed commitment and beacon before anything is drawn', async () => {
    const plan = await as<{ createInspectionPlan: string }>(
      PLANNER,
      `mutation { createInspectionPlan(year: 2026, division: "3205", title: "2026年度道路运输双随机抽查计划", plannedObjects: 10000) }`,
    );
    expect(plan.errors).toBeUndefined();
    const task = await as<{ createInspectionTask: { taskId: string; status: string } }>(
      PLANNER,
      `mutation Task($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId status } }`,
      {
        input: {
          planId: plan.data!.createInspectionPlan,
          itemCode: 'JT-DL-03',
          level: 'CITY',
          division: '3205',
          ratios: [{ stratum: 'UNGRADED', ratio: 0.3 }],
        },
      },
    );
    expect(task.errors).toBeUndefined();
    taskId = task.data!.createInspectionTask.taskId;
    expect(task.data!.createInspectionTask.status).toBe('COMMITTED');
    const before = await published(taskId);
    expect(before.reveal).toBeNull();
    expect(before.roster.length).toBeGreaterThan(3);
    // The conflict excludes the pair from the draw; why (a personal relation) is not published.
    expect(before.pool.exclusions).toContainEqual({ uscc: conflicted, inspectorId: inspectorIds.get('insp.a') });
    expect(JSON.stringify(before)).not.toMatch(/reason|CONFLICT|RECENT|LAST_DRAW|近亲属/);
    // The secret seed is nowhere in what is published.
    const { rows } = await owner.query<{ seed: string }>('select seed from inspection_task_seed where task_id = $1', [taskId]);
    expect(JSON.stringify(before)).not.toContain(rows[0].seed);
  });

  it('is refused before its beacon event exists, changing nothing', async () => {
    const before = await snapshot();
    const early = await as(PLANNER, `mutation { drawInspectionTask(id: "${taskId}") { status } }`);
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'DRAW_REFUSED', reason: 'BEACON_PENDING' });
    expect(await snapshot()).toBe(before);
  });

  it('draws once the beacon exists: signed, recomputable from the database and from the published JSON alone', async () => {
    // Any audited request moves the chain on past the beacon.
    const { beaconSeq } = (await published(taskId)).commitment;
    while (Number((await owner.query<{ seq: string }>('select max(seq) as seq from audit_event')).rows[0].seq) <= beaconSeq) {
      await as(PLANNER, '{ inspectionItems { code } }');
    }
    const drawn = await as<{ drawInspectionTask: { status: string; objectsDrawn: number } }>(
      PLANNER,
      `mutation { drawInspectionTask(id: "${taskId}") { status objectsDrawn } }`,
    );
    expect(drawn.errors).toBeUndefined();
    expect(drawn.data!.drawInspectionTask.status).toBe('DRAWN');
    const draw = await published(taskId);
    expect(draw.result!.objects.length).toBe(drawn.data!.drawInspectionTask.objectsDrawn);
    for (const object of draw.result!.objects) {
      expect(object.inspectorIds).toHaveLength(2);
      if (object.uscc === conflicted) expect(object.inspectorIds).not.toContain(inspectorIds.get('insp.a'));
    }
    const hubKey = createPublicKey(loadOrCreateHubKey(loadConfig({}).dataDir).privateKey)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    expect(verifyPublishedDraw(draw, hubKey).match).toBe(true);
    expect(JSON.stringify(draw)).not.toMatch(/reason|CONFLICT|RECENT|LAST_DRAW/);
    // The beacon is committed in an audit head the hub signed, which the chain itself holds.
    const [head] = (await owner.query<{ hash: string }>('select hash from audit_head_signature where seq = $1', [draw.commitment.beaconSeq])).rows;
    expect(draw.beaconHead).toMatchObject({ seq: draw.commitment.beaconSeq, hash: head.hash });
    expect(head.hash).toBe(draw.reveal!.beaconHash);

    const fromDatabase = await runXietong(['draw', 'verify', taskId], { DATABASE_URL: t.hub.db.url });
    expect(fromDatabase.out).toContain(`match: task ${taskId}`);
    expect(fromDatabase.out).toContain('ok   beacon');
    expect(fromDatabase.code).toBe(0);

    // The standalone verifier, no database: the document as published matches; edited, it does not.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draw-'));
    const file = path.join(dir, 'draw.json');
    fs.writeFileSync(file, JSON.stringify(draw));
    const keyFile = path.join(dir, 'hub.pem');
    const printed = await runXietong(['draw', 'public-key'], { DATABASE_URL: t.hub.db.url });
    expect(printed.out.trim()).toBe(hubKey.trim());
    fs.writeFileSync(keyFile, printed.out);
    expect(await standalone(file, '--public-key', keyFile)).toMatchObject({ code: 0 });
    // Without the hub's key, the document's own key proves nothing of who signed it.
    const unverified = await standalone(file);
    expect(unverified.code).toBe(3);
    expect(unverified.out).toContain('self-consistent, signer not verified');
    expect(unverified.out).not.toMatch(/^match/m);
    // A forgery on another beacon hash, re-drawn and signed throughout by another key.
    const forger = generateKeyPairSync('ed25519');
    const reveal = { seed: draw.reveal!.seed, beaconHash: 'f'.repeat(64) };
    const result = computeDraw(draw.commitment, draw.roster, draw.pool, reveal);
    const forged: PublishedDraw = {
      ...draw,
      reveal,
      result,
      resultHash: resultHashOf(result),
      signature: {
        keyId: 'forger',
        publicKey: forger.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        value: sign(null, signedContent(draw.commitment, reveal, resultHashOf(result)), forger.privateKey).toString('base64'),
      },
      beaconHead: {
        seq: draw.commitment.beaconSeq,
        hash: reveal.beaconHash,
        keyId: 'forger',
        signature: sign(null, headSignedContent(draw.commitment.beaconSeq, reveal.beaconHash), forger.privateKey).toString('base64'),
      },
    };
    fs.writeFileSync(file, JSON.stringify(forged));
    expect(await standalone(file)).toMatchObject({ code: 3 });
    const caught = await standalone(file, '--public-key', keyFile);
    expect(caught.code).toBe(1);
    expect(caught.out).toContain('FAIL signature');
    expect(caught.out).toContain('FAIL beaconHead');
    const reordered = { ...draw, roster: [draw.roster[1], draw.roster[0], ...draw.roster.slice(2)] };
    fs.writeFileSync(file, JSON.stringify(reordered));
    const refused = await standalone(file);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('FAIL rosterHash');
    expect(refused.out).toContain('mismatch');
  });

  it('cannot be redrawn, and its stored draw cannot be edited or deleted, even by the tables’ owner', async () => {
    const before = await snapshot();
    const again = await as(PLANNER, `mutation { drawInspectionTask(id: "${taskId}") { status } }`);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'DRAW_REFUSED', reason: 'ALREADY_DRAWN' });
    await expect(owner.query(`update inspection_draw set result = '{"objects":[]}' where task_id = $1`, [taskId])).rejects.toThrow(/immutable/);
    await expect(owner.query('delete from inspection_assignment where task_id = $1', [taskId])).rejects.toThrow(/immutable/);
    await expect(owner.query('update inspection_task_seed set seed = $2 where task_id = $1', [taskId, 'x'])).rejects.toThrow(/immutable/);
    expect(await snapshot()).toBe(before);
  });

  it('refuses a task on an empty roster, changing nothing', async () => {
    const before = await snapshot();
    const plans = await as<{ inspectionPlans: Array<{ id: string }> }>(PLANNER, '{ inspectionPlans(year: 2026) { id } }');
    const empty = await as(PLANNER, `mutation Task($input: InspectionTaskInput!) { createInspectionTask(input: $input) { taskId } }`, {
      input: { planId: plans.data!.inspectionPlans[0].id, itemCode: 'JT-DL-03', level: 'CITY', division: '3205', minRegisteredCapitalYuan: 1e15 },
    });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'DRAW_REFUSED', reason: 'EMPTY_ROSTER' });
    expect(await snapshot()).toBe(before);
  });

  it('is refused to an officer: the agreements grant drawing to the planners only', async () => {
    const refused = await as(inspectorToken('insp.b'), `mutation { drawInspectionTask(id: "${taskId}") { status } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('results', () => {
  // Inspected today (Beijing): a result may not predate its draw, which the tests made today.
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const RECORD = `mutation Record($taskId: String!, $uscc: String!, $findings: [FindingInput!]!) {
    recordInspectionResult(taskId: $taskId, uscc: $uscc, inspectedOn: "${today}", outcome: ISSUES_FOUND, findings: $findings,
      attachments: [{ ref: "docs/inspections/photo-1.jpg" }]) }`;
  const findings = [
    { checkItem: 'LICENCE', compliant: true },
    { checkItem: 'OVERLOAD', compliant: false, note: '装载记录不全' },
  ];

  it('are recorded only by an inspector the draw matched (谁检查、谁录入), once', async () => {
    const draw = await published(taskId);
    const object = draw.result!.objects[0];
    const subjectOf = (id: string) => [...inspectorIds].find(([, v]) => v === id)![0];
    const outsider = SUBJECTS.find((s) => !object.inspectorIds.includes(inspectorIds.get(s)!))!;
    const before = await snapshot();
    const refused = await as(inspectorToken(outsider), RECORD, { taskId, uscc: object.uscc, findings });
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('did not match you'), extensions: { code: 'NOT_ASSIGNED' } });
    const badItem = await as(inspectorToken(subjectOf(object.inspectorIds[0])), RECORD, {
      taskId,
      uscc: object.uscc,
      findings: [{ checkItem: 'NOPE', compliant: true }],
    });
    expect(badItem.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await snapshot()).toBe(before);

    const recorded = await as<{ recordInspectionResult: string }>(inspectorToken(subjectOf(object.inspectorIds[0])), RECORD, {
      taskId,
      uscc: object.uscc,
      findings,
    });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordInspectionResult).toBe(publicationDue(loadHolidayCalendar(loadConfig({}).holidayCalendarFile), today, 5));
    const twice = await as(inspectorToken(subjectOf(object.inspectorIds[1])), RECORD, { taskId, uscc: object.uscc, findings });
    expect(twice.errors?.[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('are published without personal data: JSON, HTML and the public GraphQL subset, unauthenticated', async () => {
    const draw = await published(taskId);
    const object = draw.result!.objects[0];
    const json = (await (await fetch(`${t.hub.url}/public/inspections`)).json()) as { results: Array<Record<string, unknown>> };
    expect(json.results).toHaveLength(1);
    expect(json.results[0]).toMatchObject({ id: `${taskId}/${object.uscc}`, uscc: object.uscc, outcome: 'ISSUES_FOUND', inspectedOn: today });
    expect(Object.keys(json.results[0]).sort()).toEqual(['enterpriseName', 'id', 'inspectedOn', 'itemCodes', 'outcome', 'publishedAt', 'uscc']);
    const html = await (await fetch(`${t.hub.url}/public/inspections`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain(String(json.results[0].enterpriseName));
    for (const personal of ['检查员', '1391234000', '3205000', '装载记录不全', ...object.inspectorIds]) {
      expect(html).not.toContain(personal);
      expect(JSON.stringify(json)).not.toContain(personal);
    }
    const gql = await fetch(`${t.hub.url}/public/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ inspectionResults(first: 5) { results { enterpriseName outcome inspectedOn } cursor } }' }),
    });
    const body = (await gql.json()) as { data: { inspectionResults: { results: Array<{ outcome: string }> } } };
    expect(body.data.inspectionResults.results).toEqual([expect.objectContaining({ outcome: 'ISSUES_FOUND' })]);
    const probing = await fetch(`${t.hub.url}/public/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ inspectionResults { results { findings } } }' }),
    });
    expect(probing.status).toBe(400);
  });

  it('flow to the credit platform through its persisted operation', async () => {
    const operation = fs.readFileSync(path.join(projectRoot, 'schema/policy/operations/credit-inspection-results.graphql'), 'utf8');
    const pulled = await as<{ inspectionResults: Array<{ id: string; findings: Array<{ checkItem: string }> }> }>(CREDIT, operation);
    expect(pulled.errors).toBeUndefined();
    expect(pulled.data!.inspectionResults).toHaveLength(1);
    expect(pulled.data!.inspectionResults[0].findings.map((f) => f.checkItem)).toEqual(['LICENCE', 'OVERLOAD']);
  });

  it('leave an audit event for every write', async () => {
    const { rows } = await owner.query<{ n: number }>(
      `select count(*)::int as n from audit_event where content ->> 'operationName' in ('Add', 'Task', 'Record') or content::text like '%drawInspectionTask%'`,
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(SUBJECTS.length + 5);
  });
});

function standalone(file: string, ...options: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/draw/verify-published-draw.js'), file, ...options], {
      env: { PATH: process.env.PATH ?? '' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}
