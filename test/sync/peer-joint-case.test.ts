import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { CooperationError, CooperationKind, CooperationWrites, receivedMessage } from '../../src/domains/cooperation';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';

/**
 * What a peer's hub delivers through `receivePeerMessage`, taken by the write path against a real
 * database: a member speaks only for itself about a joint case, and what it sent is recorded as
 * the peer's (provenance `PEER:<agency>`), not the hub's.
 */

const SUZHOU = 'suzhou-transport';
const ZHEJIANG = { id: 'zhejiang', agency: 'zhejiang-transport' };
const ANHUI = { id: 'anhui', agency: 'anhui-transport' };
const actor = { agency: SUZHOU, subject: 'officer-1' };

let db: Database;
let writes: CooperationWrites;
let key = 0;

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('peer_joint_case') }), entityModelOf(HUB_DOMAINS), testLogger().logger);
  writes = new CooperationWrites(db.pool, SUZHOU);
}, 120_000);
afterAll(async () => {
  await db?.close();
  if (db) await dropDatabase(db.url);
}, 60_000);

const deliver = (sender: { id: string; agency: string }, kind: CooperationKind, content: unknown) =>
  writes.receive(sender, `key-${++key}`, receivedMessage(kind, 'ref', JSON.stringify(content)), null);

const jointCase = async (id: string) =>
  (await db.pool.query(`select lead_agency, members, linked_cases, provenance_system from joint_case where id = $1`, [id])).rows[0];
const inboxCount = async () => Number((await db.pool.query(`select count(*) from cooperation_message where direction = 'INBOUND'`)).rows[0].count);

async function refused(work: Promise<unknown>, reason: RegExp): Promise<void> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CooperationError);
  expect((error as CooperationError).code).toBe('FORBIDDEN');
  expect((error as CooperationError).details.reason).toMatch(reason);
}

describe('a joint case a peer sends', () => {
  it('refuses a member rewriting a case this hub leads (adding a member, forging our link), and changes nothing', async () => {
    const id = await writes.createJointCase('超限联合办案', [ZHEJIANG], ['SZ-2026-001'], actor, null);
    const before = await jointCase(id);
    const inbox = await inboxCount();
    const forged = (members: string[], linkedCases: { agency: string; caseNumber: string }[]) => ({
      id,
      title: '超限联合办案',
      leadAgency: SUZHOU,
      members,
      linkedCases,
    });

    await refused(
      deliver(ZHEJIANG, CooperationKind.JOINT_CASE, forged([SUZHOU, ZHEJIANG.agency, ANHUI.agency], [{ agency: SUZHOU, caseNumber: 'X-1' }])),
      /lead bureau adds members/,
    );
    await refused(deliver(ZHEJIANG, CooperationKind.JOINT_CASE, forged([SUZHOU, ZHEJIANG.agency], [{ agency: SUZHOU, caseNumber: 'X-1' }])), /never linked/);
    // Anhui is not a member: it may not touch the case at all.
    await refused(deliver(ANHUI, CooperationKind.JOINT_CASE, forged([SUZHOU, ANHUI.agency], [])), /not a member/);

    expect(await jointCase(id)).toEqual(before);
    expect(before).toMatchObject({ lead_agency: SUZHOU, members: [SUZHOU, ZHEJIANG.agency], provenance_system: 'HUB' });
    expect(await inboxCount()).toBe(inbox);
  });

  it('takes only the sender’s own links from a member, and keeps the case ours', async () => {
    const id = await writes.createJointCase('非法营运联合办案', [ZHEJIANG, ANHUI], ['SZ-2026-002'], actor, null);
    await deliver(ZHEJIANG, CooperationKind.JOINT_CASE, {
      id,
      title: '非法营运联合办案',
      leadAgency: SUZHOU,
      members: [SUZHOU, ZHEJIANG.agency, ANHUI.agency],
      linkedCases: [
        { agency: SUZHOU, caseNumber: 'SZ-2026-002' },
        { agency: ZHEJIANG.agency, caseNumber: 'ZJ-2026-010' },
        { agency: ANHUI.agency, caseNumber: 'AH-FORGED' },
      ],
    });
    const kept = await jointCase(id);
    expect(kept.linked_cases).toHaveLength(2);
    expect(kept.linked_cases).toEqual(
      expect.arrayContaining([
        { agency: SUZHOU, caseNumber: 'SZ-2026-002' },
        { agency: ZHEJIANG.agency, caseNumber: 'ZJ-2026-010' },
      ]),
    );
    expect(kept.provenance_system).toBe('HUB');
  });

  it('refuses a new case whose claimed lead is not its sender', async () => {
    const content = { id: 'JC-NEW-1', title: '冒名联合办案', leadAgency: ANHUI.agency, members: [SUZHOU, ZHEJIANG.agency, ANHUI.agency], linkedCases: [] };
    await refused(deliver(ZHEJIANG, CooperationKind.JOINT_CASE, content), /only its lead/);
    expect(await jointCase('JC-NEW-1')).toBeUndefined();
  });

  it('records a case a peer leads, and what else it sends, as that peer’s (PEER:<agency>)', async () => {
    await deliver(ZHEJIANG, CooperationKind.JOINT_CASE, {
      id: 'JC-ZJ-1',
      title: '浙江牵头联合办案',
      leadAgency: ZHEJIANG.agency,
      members: [ZHEJIANG.agency, SUZHOU],
      linkedCases: [{ agency: ZHEJIANG.agency, caseNumber: 'ZJ-2026-011' }],
    });
    expect(await jointCase('JC-ZJ-1')).toMatchObject({ lead_agency: ZHEJIANG.agency, provenance_system: 'PEER:zhejiang-transport' });

    await deliver(ZHEJIANG, CooperationKind.ASSISTANCE_REQUESTED, {
      requestId: 'AR-ZJ-1',
      subject: '浙A12345',
      question: '请协查车辆营运情况',
      dueDate: '2026-12-31',
    });
    await deliver(ZHEJIANG, CooperationKind.CREDIT_DECISION, {
      id: 'CD-1',
      creditCode: '91330100MA2XXXXX0X',
      listType: 'SERIOUS_DISHONESTY',
      reason: '超限运输',
      authority: '浙江省交通运输厅',
      decidedOn: '2026-11-01',
    });
    const systems = await db.pool.query<{ t: string; provenance_system: string }>(
      `select 'assistance' t, provenance_system from assistance_request where id = 'AR-ZJ-1'
       union all select 'credit', provenance_system from recognised_credit_decision where issuing_agency = 'zhejiang-transport'
       union all select distinct 'inbox', provenance_system from cooperation_message where direction = 'INBOUND'
       union all select distinct 'outbox', provenance_system from cooperation_message where direction = 'OUTBOUND'`,
    );
    expect(Object.fromEntries(systems.rows.map((r) => [r.t, r.provenance_system]))).toEqual({
      assistance: 'PEER:zhejiang-transport',
      credit: 'PEER:zhejiang-transport',
      inbox: 'PEER:zhejiang-transport',
      outbox: 'HUB',
    });
  });
});
