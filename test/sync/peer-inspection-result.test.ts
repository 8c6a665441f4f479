import { startHub, type Hub } from '../../src/app';
import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken } from '../../src/auth';
import { peerConfig, peerHubConfig } from '../support/peer-config';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { CooperationKind, receivedMessage } from '../../src/domains/cooperation';
import { InvalidInputError } from '../../src/errors';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';
import { freePort, until } from '../support/eventually';

/**
 * Mutual recognition of inspection results (检查结果互认) between two hubs, Suzhou and Shanghai,
 * each with its own database, over the peer delivery: a result Suzhou published is shared, and
 * Shanghai's officers see it marked recognised as Suzhou's, with what its publication shows and
 * nothing more; a result shared twice is recognised once; what cannot be shared changes nothing.
 */

const base = loadConfig({});
const agencies = loadAgencies(base.agreementsFile);
const RESULT = { taskId: 'TASK-share-1', uscc: '91320505MA1XXXXX0A', name: '苏州示例货运有限公司' };
const RESULT_ID = `${RESULT.taskId}/${RESULT.uscc}`;

const peer = (id: string, agency: string, port: number, asAgency: string) => peerConfig(base.dataDir, id, agency, port, asAgency);

const { logger } = testLogger();
let suzhouDb: Database;
let shanghaiDb: Database;
let suzhou: Hub;
let shanghai: Hub;

const env = (databaseUrl: string, port: number, hubAgency: string, peers: unknown[]) =>
  peerHubConfig({ databaseUrl, port, hubAgency, peers, queuePrefix: `xt_peer_insp_${hubAgency.split('-')[0]}_${process.pid}` });

async function gql(hub: Hub, caller: { agency: string; roles: string[]; divisions?: string[] }, purpose: string, query: string, variables = {}) {
  const token = await mintDevToken(base.dataDir, agencies, caller);
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

const SUZHOU_OFFICER = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['3205'] };
const SHANGHAI_OFFICER = { agency: 'shanghai-transport', roles: ['officer'] };
const share = (resultId: string, to = 'shanghai') =>
  gql(suzhou, SUZHOU_OFFICER, 'case-investigation', 'mutation($p: String!, $r: String!) { shareInspectionResult(peer: $p, resultId: $r) { id } }', {
    p: to,
    r: resultId,
  });
const recognised = async () =>
  (
    await gql(
      shanghai,
      SHANGHAI_OFFICER,
      'cross-region-enforcement',
      '{ recognisedInspectionResults(first: 10) { edges { node { id issuingAgency resultId uscc enterpriseName itemCodes inspectedOn outcome recognised } } } }',
    )
  ).data?.recognisedInspectionResults.edges.map((e: { node: unknown }) => e.node) ?? [];
const outbox = async () =>
  (await suzhouDb.pool.query<{ status: string }>(`select status from cooperation_message where direction = 'OUTBOUND' order by created_at`)).rows;

beforeAll(async () => {
  const suzhouPort = await freePort();
  const shanghaiPort = await freePort();
  suzhouDb = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('peer_insp_sz') }), entityModelOf(HUB_DOMAINS), logger);
  shanghaiDb = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('peer_insp_sh') }), entityModelOf(HUB_DOMAINS), logger);
  // A result Suzhou published, written as its draw and 谁检查、谁录入 would leave it (that path is test/inspection's).
  await suzhouDb.pool.query(
    `insert into inspector (id, agency, subject, name, unit, post, certificate_number, phone, division, provenance_record_id, provenance_content_hash)
       values ('INS-1', 'suzhou-transport', 'insp.a', '检查员甲', '执法支队', '执法队员', '320500000101', '13912340000', '320505', 'INS-1', 'h');
     insert into inspection_plan (id, year, unit, division, title, rule_version, created_by, planned_objects, provenance_record_id, provenance_content_hash)
       values ('PLAN-1', 2026, 'suzhou-transport', '3205', '计划', 'v', 'suzhou-transport/p', 10, 'PLAN-1', 'h');
     insert into inspection_task (id, plan_id, item_code, joint_item_codes, level, division, roster_filter, status, created_by, provenance_record_id, provenance_content_hash)
       values ('${RESULT.taskId}', 'PLAN-1', 'JT-DL-03', '{SJ-QY-01}', 'DISTRICT', '320505', '{}', 'DRAWN', 'suzhou-transport/p', '${RESULT.taskId}', 'h');
     insert into inspection_result (task_id, uscc, enterprise_name, item_codes, inspected_on, outcome, findings, attachments, recorded_by, publication_due,
         provenance_record_id, provenance_content_hash)
       values ('${RESULT.taskId}', '${RESULT.uscc}', '${RESULT.name}', '{JT-DL-03,SJ-QY-01}', '2026-11-30', 'ISSUES_FOUND',
         '[{"checkItem":"OVERLOAD","compliant":false,"note":"装载登记缺失"}]', '[{"ref":"docs/p.jpg"}]', 'INS-1', '2026-12-07', '${RESULT_ID}', 'h')`,
  );
  shanghai = await startHub(
    env(shanghaiDb.url, shanghaiPort, 'shanghai-transport', [peer('suzhou', 'suzhou-transport', suzhouPort, 'shanghai-transport')]),
    logger,
    shanghaiDb,
    {
      admission: false,
    },
  );
  suzhou = await startHub(
    env(suzhouDb.url, suzhouPort, 'suzhou-transport', [peer('shanghai', 'shanghai-transport', shanghaiPort, 'suzhou-transport')]),
    logger,
    suzhouDb,
    {
      admission: false,
    },
  );
}, 120_000);
afterAll(async () => {
  await suzhou?.close();
  await shanghai?.close();
  for (const db of [suzhouDb, shanghaiDb]) {
    await db?.close();
    if (db) await dropDatabase(db.url);
  }
}, 60_000);

it('shows a result Suzhou shared in Shanghai, recognised as Suzhou’s, with what its publication shows only', async () => {
  const shared = await share(RESULT_ID);
  expect(shared.errors).toBeUndefined();
  const [seen] = await until('recognised in Shanghai', async () => ((await recognised()).length ? recognised() : null));
  expect(seen).toEqual({
    id: `suzhou-transport/${RESULT_ID}`,
    issuingAgency: 'suzhou-transport',
    resultId: RESULT_ID,
    uscc: RESULT.uscc,
    enterpriseName: RESULT.name,
    itemCodes: ['JT-DL-03', 'SJ-QY-01'],
    inspectedOn: '2026-11-30',
    outcome: 'ISSUES_FOUND',
    recognised: true,
  });
  const kept = await shanghaiDb.pool.query(`select provenance_system from recognised_inspection_result`);
  expect(kept.rows).toEqual([{ provenance_system: 'PEER:suzhou-transport' }]);
  // Findings, attachments and who inspected stay with Suzhou.
  const inbox = await shanghaiDb.pool.query<{ content: string }>(`select content from cooperation_message where direction = 'INBOUND'`);
  expect(inbox.rows[0].content).not.toMatch(/装载登记缺失|docs\/p\.jpg|INS-1|检查员/);
  await until('delivered', async () => ((await outbox()).every((m) => m.status === 'DELIVERED') ? true : null));
  const audited = await suzhouDb.pool.query(`select 1 from audit_event where content::text like '%shareInspectionResult%'`);
  expect(audited.rowCount).toBe(1);
}, 60_000);

it('recognises a result shared twice once', async () => {
  expect((await share(RESULT_ID)).errors).toBeUndefined();
  await until('both delivered', async () => {
    const rows = await outbox();
    return rows.length === 2 && rows.every((m) => m.status === 'DELIVERED') ? true : null;
  });
  expect(await recognised()).toHaveLength(1);
}, 60_000);

it('refuses what cannot be shared, queueing nothing: an unknown result, an unknown peer, a peer’s officer', async () => {
  const before = (await outbox()).length;
  expect((await share('TASK-none/91320505MA1XXXXX0A')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await share(RESULT_ID, 'hangzhou')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const foreign = await gql(
    suzhou,
    SHANGHAI_OFFICER,
    'cross-region-enforcement',
    `mutation { shareInspectionResult(peer: "shanghai", resultId: "${RESULT_ID}") { id } }`,
  );
  expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await outbox()).length).toBe(before);
});

it('refuses a delivered result the receiving hub cannot take', () => {
  const good = { id: RESULT_ID, uscc: RESULT.uscc, enterpriseName: RESULT.name, itemCodes: ['JT-DL-03'], inspectedOn: '2026-11-30', outcome: 'COMPLIANT' };
  expect(receivedMessage(CooperationKind.INSPECTION_RESULT, 'ref', JSON.stringify(good)).subjectRef).toBe(RESULT.uscc);
  for (const bad of [{ outcome: 'FINE' }, { itemCodes: [] }, { uscc: 'not-a-code' }, { inspectedOn: '2026-02-30' }]) {
    expect(() => receivedMessage(CooperationKind.INSPECTION_RESULT, 'ref', JSON.stringify({ ...good, ...bad }))).toThrow(InvalidInputError);
  }
});
