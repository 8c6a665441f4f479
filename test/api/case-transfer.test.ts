import type { Client } from 'graphql-ws';
import type { Pool } from 'pg';
import { CaseStatus, PlateColor } from '../../connectors/contract/canonical/codes';
import type { EnforcementCaseRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { loadCrimeCatalogue } from '../../src/domains/case-transfer';
import { raiseOverdueTransferSteps } from '../../src/supervision/overdue-transfer-steps';
import { ClueKind } from '../../src/domains/clue';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { execute } from '../support/graphql-client';
import { subscribeLive } from '../support/live-subscriber';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * 两法衔接 over HTTP: a transfer prepared from the crime catalogue, refused while required evidence
 * is missing, submitted, acknowledged and decided by the police, each step audited with its
 * change and announced live; refusals typed and changing nothing; the police see an untransferred
 * case only when invited, never an uninvited one; overdue steps raise events once; the 有案不移
 * view lists overdue catalogue cases until they are transferred.
 */

const DIVISION = '320505';
const OFFICER: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], subject: 'zhang.wei', divisions: [DIVISION], purpose: 'case-transfer' };
const OTHER_DISTRICT: TestCaller = { ...OFFICER, subject: 'li.na', divisions: ['320506'] };
const POLICE: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'wang.jun', purpose: 'case-transfer' };
const PROCURATORATE: TestCaller = { agency: 'suzhou-procuratorate', roles: ['prosecutor'], subject: 'zhao.min', purpose: 'legal-supervision' };
const catalogue = loadCrimeCatalogue(loadConfig({}).crimeCatalogueFile);

const CHANGE = 'transferId caseNumber status version';
const PREPARE = `mutation Prepare($n: String!) { prepareCaseTransfer(caseNumber: $n) { ${CHANGE} } }`;
const ATTACH = `mutation Attach($id: String!, $code: String!, $ref: String!) { attachTransferEvidence(id: $id, evidenceCode: $code, documentRef: $ref) { ${CHANGE} } }`;
const INVITE = `mutation Invite($id: String!) { inviteEarlyInvolvement(id: $id) { ${CHANGE} } }`;
const SUBMIT = `mutation Submit($id: String!) { submitCaseTransfer(id: $id) { ${CHANGE} } }`;
const ACK = `mutation Ack($id: String!, $unit: String!) { acknowledgeTransfer(id: $id, receivingUnit: $unit) { ${CHANGE} } }`;
const DECIDE = `mutation Decide($id: String!, $d: TransferDecision!, $r: String) { decideTransfer(id: $id, decision: $d, reason: $r) { ${CHANGE} } }`;
const ONE = `query One($id: String!) { caseTransfer(id: $id) { id status policeSight invited receivingUnit submittedAt acknowledgedAt decidedAt decisionReason
  evidence { code required present documents { documentRef } } history { action fromStatus toStatus actorAgency at overdueStep }
  enforcementCase { caseNumber violationCode } } }`;
const CASES = `query Cases($n: String!) { enforcementCases(first: 5, filter: { plateNumber: $n }) { totalCount edges { node { caseNumber } } } }`;
const UNTRANSFERRED = `{ untransferredCases(first: 200) { caseNumber violationCode charge dueAt transferId } }`;

let t: TestHub;
let owner: Pool;
const clients: Client[] = [];
let serial = 0;

beforeAll(async () => {
  t = await startTestHub('case_transfer', { size: 0.005 });
  owner = ownerPool(t.hub.db.url);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await owner?.end();
  await t?.close();
});

/** A case of `violationCode` in DIVISION, occurred `daysAgo`, synced as the transport system would send it; its plate is unique. */
async function syncCase(violationCode: string, daysAgo: number, penalty: number | null = 60_000): Promise<EnforcementCaseRecord> {
  serial += 1;
  const occurredAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const record: EnforcementCaseRecord = {
    caseNumber: `苏E交执〔2026〕T${String(serial).padStart(4, '0')}号`,
    violationCode,
    violationType: catalogue.entryOf(violationCode)?.name ?? '道路运输车辆未随车携带道路运输证',
    partyUscc: null,
    partyIdNumber: null,
    vehiclePlateNumber: `苏E9T${String(serial).padStart(3, '0')}`,
    vehiclePlateColor: PlateColor.YELLOW,
    occurredAt,
    divisionCode: DIVISION,
    status: CaseStatus.INVESTIGATING,
    penaltyAmountYuan: penalty,
    transferredToPolice: false,
    decidedAt: null,
    transferredAt: null,
    receivingPoliceUnit: null,
    summary: '测试',
    updatedAt: occurredAt,
  };
  await upsertRecords(t.hub.db.pool, RECORD_TABLES.enforcementCase, [record], new Date());
  return record;
}

async function call<R>(document: string, variables: Record<string, unknown>, caller: TestCaller = OFFICER) {
  return execute<R, unknown>(t.hub.graphqlUrl, document, variables, await t.headersAs(caller));
}

type Change = { transferId: string; caseNumber: string; status: string; version: number };

async function snapshot(): Promise<string> {
  const transfers = await owner.query('select * from case_transfer order by id');
  const events = await owner.query('select id, transfer_id, action from case_transfer_event order by id');
  const documents = await owner.query('select id, transfer_id from case_transfer_document order by id');
  return JSON.stringify([transfers.rows, events.rows, documents.rows]);
}

/** Runs `send`, which must be refused with `code`, and checks that nothing of any transfer changed. */
async function refusedUnchanged(send: () => Promise<{ errors?: Array<{ extensions?: Record<string, unknown> }>; raw: string }>, code: string) {
  const before = await snapshot();
  const reply = await send();
  expect(reply.errors?.[0].extensions).toMatchObject({ code });
  expect(reply.raw).not.toMatch(/select |update |insert |stack/i);
  expect(await snapshot()).toBe(before);
  return reply;
}

const auditEvents = async () => Number((await owner.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n);

describe('a case transfer (两法衔接)', () => {
  it('is prepared from the catalogue, refused while required evidence is missing, then submitted, acknowledged and filed; every step audited, timed and announced', async () => {
    const kase = await syncCase('T4002', 1);
    const changes = async (caller: TestCaller) =>
      subscribeLive(
        clients,
        t.hub.graphqlUrl,
        (await t.headersAs(caller)).authorization,
        caller.purpose,
        `subscription { caseTransferChanged(division: "3205") { id status } }`,
      );
    const live = await changes(POLICE);
    expect(live.errors).toEqual([]);
    const officerLive = await changes(OFFICER);
    expect(officerLive.errors).toEqual([]);

    const audits = await auditEvents();
    const prepared = await call<{ prepareCaseTransfer: Change }>(PREPARE, { n: kase.caseNumber });
    expect(prepared.errors).toBeUndefined();
    const id = prepared.data!.prepareCaseTransfer.transferId;
    expect(prepared.data!.prepareCaseTransfer).toMatchObject({ caseNumber: kase.caseNumber, status: 'PREPARED', version: 1 });
    expect(await auditEvents()).toBe(audits + 1);

    // Required: SCENE_RECORD, GOODS_IDENTIFICATION, INQUIRY_RECORD (the catalogue's T4002 entry).
    const required = catalogue
      .entryOf('T4002')!
      .evidence.filter((e) => e.required)
      .map((e) => e.code);
    await call(ATTACH, { id, code: required[0], ref: 'dms://case/scene.pdf sha256:ab12' });
    const missing = await refusedUnchanged(() => call(SUBMIT, { id }), 'ILLEGAL_TRANSITION');
    expect(missing.errors![0].extensions).toMatchObject({ action: 'SUBMIT', status: 'PREPARED', missingEvidence: required.slice(1) });

    for (const code of required.slice(1)) expect((await call(ATTACH, { id, code, ref: `dms://case/${code}.pdf` })).errors).toBeUndefined();
    const view = (await call<{ caseTransfer: { evidence: Array<{ code: string; present: boolean }> } }>(ONE, { id })).data!.caseTransfer;
    expect(view.evidence.filter((e) => !e.present).map((e) => e.code)).toEqual(['PHOTOS']);

    // Decide before acknowledge: refused, nothing changes.
    await refusedUnchanged(() => call(SUBMIT, { id: 'no-such-transfer' }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(SUBMIT, { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
    expect((await call<{ submitCaseTransfer: Change }>(SUBMIT, { id })).data!.submitCaseTransfer.status).toBe('SUBMITTED');
    await refusedUnchanged(() => call(DECIDE, { id, d: 'FILED' }, POLICE), 'ILLEGAL_TRANSITION');
    // The transport side may not act for the police: the root guard refuses it before anything runs.
    await refusedUnchanged(() => call(ACK, { id, unit: '苏州市公安局治安支队' }, OFFICER), 'FORBIDDEN');
    expect((await call<{ acknowledgeTransfer: Change }>(ACK, { id, unit: '苏州市公安局治安支队' }, POLICE)).data!.acknowledgeTransfer.status).toBe(
      'ACKNOWLEDGED',
    );
    await refusedUnchanged(() => call(DECIDE, { id, d: 'NOT_FILED' }, POLICE), 'BAD_USER_INPUT');
    expect((await call<{ decideTransfer: Change }>(DECIDE, { id, d: 'FILED' }, POLICE)).data!.decideTransfer).toMatchObject({ status: 'FILED', version: 7 });

    // Both sides see every step with its time.
    for (const caller of [OFFICER, POLICE]) {
      const seen = (
        await call<{ caseTransfer: { status: string; receivingUnit: string; history: Array<{ action: string; at: string }> } }>(ONE, { id }, caller)
      ).data!.caseTransfer;
      expect(seen.status).toBe('FILED');
      expect(seen.receivingUnit).toBe('苏州市公安局治安支队');
      expect(seen.history.map((h) => h.action)).toEqual(['PREPARE', 'ATTACH', 'ATTACH', 'ATTACH', 'SUBMIT', 'ACKNOWLEDGE', 'DECIDE']);
      expect(seen.history.every((h) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
    }
    // The procuratorate's supervision sees every step with its time, who acted masked, and may change nothing.
    const supervised = (
      await call<{ caseTransfer: { status: string; history: Array<{ action: string; at: string; actorAgency: string; actorSubject: string }> } }>(
        `query Supervised($id: String!) { caseTransfer(id: $id) { status history { action at actorAgency actorSubject } } }`,
        { id },
        PROCURATORATE,
      )
    ).data!.caseTransfer;
    expect(supervised.status).toBe('FILED');
    expect(supervised.history.map((h) => [h.action, h.actorAgency])).toContainEqual(['ACKNOWLEDGE', 'suzhou-psb']);
    expect(supervised.history.every((h) => h.actorSubject !== 'zhang.wei' && h.actorSubject !== 'wang.jun')).toBe(true);
    await refusedUnchanged(() => call(DECIDE, { id, d: 'FILED' }, PROCURATORATE), 'FORBIDDEN');
    // The police heard of the steps they may see (from the submission on).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const statuses = live.received.map((r) => (r.data?.caseTransferChanged as { status: string } | null)?.status).filter(Boolean);
    expect(statuses).toEqual(expect.arrayContaining(['SUBMITTED', 'ACKNOWLEDGED', 'FILED']));
    expect(statuses).not.toContain('PREPARED');
    // The preparation announced again now, as a delivery held up until after the submission would
    // be, then the submission again: the police may see the transfer now, not the preparation
    // (which the officer still hears of). Each subscriber's deliveries keep their order, so once the
    // police hear the second submission, a preparation they were sent would have come before it.
    const statusesOf = (l: typeof live) => l.received.map((r) => (r.data?.caseTransferChanged as { status: string } | null)?.status).filter(Boolean);
    const count = (l: typeof live, status: string) => statusesOf(l).filter((s) => s === status).length;
    const [officerPrepared, policeSubmitted] = [count(officerLive, 'PREPARED'), count(live, 'SUBMITTED')];
    expect(officerPrepared).toBeGreaterThan(0);
    expect(policeSubmitted).toBe(1);
    await owner.query(
      `insert into hub_event (kind, division, payload) select kind, division, payload || jsonb_build_object('eventId', 'replayed-' || (payload->>'action'))
        from hub_event where kind = 'CASE_TRANSFER' and payload->>'transferId' = $1 and payload->>'action' in ('PREPARE', 'SUBMIT') order by id`,
      [id],
    );
    for (let waited = 0; waited < 10_000 && (count(officerLive, 'PREPARED') === officerPrepared || count(live, 'SUBMITTED') === policeSubmitted); waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(count(officerLive, 'PREPARED')).toBe(officerPrepared + 1);
    expect(count(live, 'SUBMITTED')).toBe(policeSubmitted + 1);
    expect(statusesOf(live)).not.toContain('PREPARED');
  });

  it('refuses a case not in the catalogue, below its threshold, outside the division, or prepared twice, changing nothing', async () => {
    const plain = await syncCase('T1001', 10);
    const bad = await refusedUnchanged(() => call(PREPARE, { n: plain.caseNumber }), 'BAD_USER_INPUT');
    expect(bad.errors![0].extensions).toMatchObject({ argument: 'caseNumber' });
    const small = await syncCase('T2001', 10, 1000);
    await refusedUnchanged(() => call(PREPARE, { n: small.caseNumber }), 'BAD_USER_INPUT');
    const mine = await syncCase('T1003', 10);
    await refusedUnchanged(() => call(PREPARE, { n: mine.caseNumber }, OTHER_DISTRICT), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(PREPARE, { n: mine.caseNumber }, POLICE), 'FORBIDDEN');
    expect((await call(PREPARE, { n: mine.caseNumber })).errors).toBeUndefined();
    await refusedUnchanged(() => call(PREPARE, { n: mine.caseNumber }), 'ILLEGAL_TRANSITION');
  });

  it('lets the police see an untransferred case only when invited, never an uninvited one', async () => {
    const invited = await syncCase('T1003', 1);
    const uninvited = await syncCase('T1003', 1);
    const prepared = await syncCase('T1003', 1);
    const seen = async (plate: string) =>
      (await call<{ enforcementCases: { totalCount: number } }>(CASES, { n: plate }, POLICE)).data!.enforcementCases.totalCount;
    const a = (await call<{ prepareCaseTransfer: Change }>(PREPARE, { n: invited.caseNumber })).data!.prepareCaseTransfer.transferId;
    const b = (await call<{ prepareCaseTransfer: Change }>(PREPARE, { n: prepared.caseNumber })).data!.prepareCaseTransfer.transferId;
    expect([await seen(invited.vehiclePlateNumber!), await seen(uninvited.vehiclePlateNumber!), await seen(prepared.vehiclePlateNumber!)]).toEqual([0, 0, 0]);
    expect((await call(ONE, { id: a }, POLICE)).data).toEqual({ caseTransfer: null });

    expect((await call<{ inviteEarlyInvolvement: Change }>(INVITE, { id: a })).data!.inviteEarlyInvolvement.status).toBe('PREPARED');
    expect([await seen(invited.vehiclePlateNumber!), await seen(uninvited.vehiclePlateNumber!), await seen(prepared.vehiclePlateNumber!)]).toEqual([1, 0, 0]);
    const police = (await call<{ caseTransfer: { policeSight: string; enforcementCase: { caseNumber: string } } }>(ONE, { id: a }, POLICE)).data!.caseTransfer;
    expect(police).toMatchObject({ policeSight: 'INVITED', enforcementCase: { caseNumber: invited.caseNumber } });
    // Invited is not transferred: the police cannot acknowledge it.
    await refusedUnchanged(() => call(ACK, { id: a, unit: '苏州市公安局' }, POLICE), 'ILLEGAL_TRANSITION');
    // Prepared but neither invited nor submitted: not there for the police.
    await refusedUnchanged(() => call(ACK, { id: b, unit: '苏州市公安局' }, POLICE), 'NOT_FOUND');
    const list = (
      await call<{ caseTransfers: { edges: Array<{ node: { id: string } }> } }>(`{ caseTransfers(first: 100) { edges { node { id } } } }`, {}, POLICE)
    ).data!;
    expect(list.caseTransfers.edges.map((e) => e.node.id)).toContain(a);
    expect(list.caseTransfers.edges.map((e) => e.node.id)).not.toContain(b);
  });

  it('raises each overdue step once, and lists overdue catalogue cases as 有案不移 until they are submitted', async () => {
    const late = await syncCase('T4002', 10);
    const listed = async () => {
      const reply = await call<{ untransferredCases: Array<{ caseNumber: string; transferId: string | null }> }>(UNTRANSFERRED, {});
      expect(reply.errors).toBeUndefined();
      return reply.data!.untransferredCases;
    };
    expect((await listed()).map((c) => c.caseNumber)).toContain(late.caseNumber);
    const fresh = await syncCase('T4002', 1);
    expect((await listed()).map((c) => c.caseNumber)).not.toContain(fresh.caseNumber);

    const id = (await call<{ prepareCaseTransfer: Change }>(PREPARE, { n: late.caseNumber })).data!.prepareCaseTransfer.transferId;
    expect((await listed()).find((c) => c.caseNumber === late.caseNumber)?.transferId).toBe(id);
    const events = await owner.query<{ n: string }>(`select count(*) as n from hub_event where kind = 'CASE_TRANSFER'`);
    expect(await raiseOverdueTransferSteps(t.hub.db.pool, catalogue)).toBeGreaterThanOrEqual(1);
    expect(await raiseOverdueTransferSteps(t.hub.db.pool, catalogue)).toBe(0);
    const overdue = await owner.query(`select overdue_step from case_transfer_event where transfer_id = $1 and action = 'OVERDUE'`, [id]);
    expect(overdue.rows).toEqual([{ overdue_step: 'TRANSFER' }]);
    const after = await owner.query<{ n: string }>(`select count(*) as n from hub_event where kind = 'CASE_TRANSFER'`);
    expect(Number(after.rows[0].n)).toBeGreaterThan(Number(events.rows[0].n));

    for (const e of catalogue.entryOf('T4002')!.evidence.filter((x) => x.required)) await call(ATTACH, { id, code: e.code, ref: `dms://${e.code}` });
    // The clue of 有案不移 reads the same catalogue and counts a submitted hub transfer as a transfer.
    const rules = loadClueRules(loadConfig({}).clueRulesFile);
    const clued = async (full: boolean) => {
      await deriveClues(t.hub.db.pool, rules, { kinds: [ClueKind.UNTRANSFERRED_CRIMINAL], full });
      const { rows } = await owner.query(
        `select 1 from clue_evidence e join clue c on c.id = e.clue_id where c.kind = 'UNTRANSFERRED_CRIMINAL' and c.deleted_at is null and e.case_number = $1`,
        [late.caseNumber],
      );
      return rows.length > 0;
    };
    expect(await clued(true)).toBe(true);
    await call(SUBMIT, { id });
    expect((await listed()).map((c) => c.caseNumber)).not.toContain(late.caseNumber);
    // The next run after the submission withdraws it (it derives the cases whose transfer changed), as a full one would.
    expect(await clued(false)).toBe(false);
    expect(await clued(true)).toBe(false);
  });

  it('reads the 有案不移 view in as many statements however many cases it lists', async () => {
    const statementsOf = async () => {
      const headers = await t.headersAs(OFFICER);
      const { result, sent } = await t.hub.db.counter.capture(() =>
        execute<{ untransferredCases: unknown[] }, unknown>(t.hub.graphqlUrl, UNTRANSFERRED, {}, headers),
      );
      expect(result.errors).toBeUndefined();
      // The view's own reads (the read gateway's named statements): its pages of cases and its decision reads of their transfers (`case_transfer k`).
      // Meanwhile the hub's background work reads the same tables: clue derivation after a synced case,
      // and live deliveries of the earlier tests' transfer events to their subscribers.
      const statements = sent.filter((x) => x.name !== undefined && /\bfrom enforcement_case\b|\bfrom case_transfer k\b/.test(x.text)).length;
      return { listed: result.data!.untransferredCases.length, statements };
    };
    const before = await statementsOf();
    for (let i = 0; i < 4; i += 1) await syncCase('T4002', 12);
    const after = await statementsOf();
    expect(after.listed).toBeGreaterThanOrEqual(before.listed + 4);
    expect(after.statements).toBe(before.statements);
  });
});
