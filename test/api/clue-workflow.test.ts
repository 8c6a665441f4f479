import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * The clue workflow over HTTP, as officers use it: each mutation's effect, its clue_event and its
 * audit event (committed together); every refusal typed and changing nothing (the clue rows and
 * their events compared before and after); a race between two officers won once; a link confirmed
 * when its case lands through the ingest path the sync uses; counts that match the clues.
 */

const officer = (division: string, subject = 'zhang.wei'): TestCaller => ({
  agency: 'suzhou-transport',
  roles: ['officer'],
  subject,
  divisions: [division],
  purpose: 'random-inspection',
});
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const POLICE: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation' };

const CLUE_FIELDS =
  'id status version assignedTo linkedCaseNumber linkedCase { caseNumber } history { version action fromStatus toStatus actorAgency actorSubject assignedTo caseNumber reason note }';
// A mutation answers only where it left the clue (nothing its audit event, written before the payload, would not account for).
const CHANGE = 'clueId status version';
const ASSIGN = `mutation Assign($id: String!, $to: String!, $expectedVersion: Int) { assignClue(id: $id, to: $to, expectedVersion: $expectedVersion) { ${CHANGE} } }`;
const VERIFY = `mutation Verify($id: String!, $finding: String!) { verifyClue(id: $id, finding: $finding) { ${CHANGE} } }`;
const DISMISS = `mutation Dismiss($id: String!, $reason: ClueDismissalReason!, $note: String) { dismissClue(id: $id, reason: $reason, note: $note) { ${CHANGE} } }`;
const LINK = `mutation Link($id: String!, $caseNumber: String!) { linkClueToCase(id: $id, caseNumber: $caseNumber) { ${CHANGE} } }`;
const ONE = `query One($id: String!) { clue(id: $id) { ${CLUE_FIELDS} } }`;

type HistoryEntry = { version: number; action: string; fromStatus: string; toStatus: string; actorAgency: string | null; actorSubject: string | null };
type Change = { clueId: string; status: string; version: number };
type ClueView = {
  id: string;
  status: string;
  version: number;
  assignedTo: string | null;
  linkedCaseNumber: string | null;
  linkedCase: { caseNumber: string } | null;
  history: Array<HistoryEntry & Record<string, unknown>>;
};

let t: TestHub;
let owner: Pool;
let division: string;
let elsewhere: string;
/** Clues of `division`, handed out one per test so that tests do not depend on each other's changes. */
let fresh: string[];
const take = () => {
  const id = fresh.shift();
  if (!id) throw new Error('the world has too few clues in the division for these tests');
  return id;
};

beforeAll(async () => {
  // Large enough for a division with a clue for each test (the world's clues come at realistic rates).
  t = await startTestHub('clue_workflow', { size: 0.2 });
  owner = ownerPool(t.hub.db.url);
  await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile));
  const { rows } = await owner.query<{ division: string; n: number }>(
    `select division, count(*)::int as n from clue where deleted_at is null group by division order by n desc, division`,
  );
  [{ division }, { division: elsewhere }] = rows;
  fresh = (await owner.query<{ id: string }>(`select id from clue where division = $1 and deleted_at is null order by id`, [division])).rows.map((r) => r.id);
  // A size-0.2 world and its derivation: on a loaded 2-core machine this outlasts the default minute.
}, 180_000);
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

/** Every clue row and every clue event, as text: what a refusal must leave exactly as it was. */
async function snapshot(): Promise<string> {
  const clues = await owner.query(`select id, status, version, assigned_to, linked_case_number, deleted_at from clue order by id`);
  const events = await owner.query(`select * from clue_event order by clue_id, version`);
  return JSON.stringify([clues.rows, events.rows]);
}

const auditEvents = async () => Number((await owner.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n);

async function call<R>(document: string, variables: Record<string, unknown>, caller: TestCaller = officer(division)) {
  return execute<R, unknown>(t.hub.graphqlUrl, document, variables, await t.headersAs(caller));
}

/** Runs `send`, which must be refused with `code`, and checks that no clue and no clue event changed. */
async function refusedUnchanged(send: () => Promise<{ status: number; errors?: Array<{ extensions?: Record<string, unknown> }>; raw: string }>, code: string) {
  const before = await snapshot();
  const reply = await send();
  expect(reply.errors?.[0].extensions).toMatchObject({ code });
  expect(reply.raw).not.toMatch(/select |update |stack/i);
  expect(await snapshot()).toBe(before);
  return reply;
}

describe('the clue workflow', () => {
  it('assignClue assigns within the division, records who did it, and commits the audit event with the change', async () => {
    const id = take();
    const events = await auditEvents();
    const reply = await call<{ assignClue: Change }>(ASSIGN, { id, to: `li.na@${division}` });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.assignClue).toEqual({ clueId: id, status: 'ASSIGNED', version: 2 });
    // One event for the request, written by the transaction that made the change.
    expect(await auditEvents()).toBe(events + 1);
    const assigned = (await call<{ clue: ClueView }>(ONE, { id })).data!.clue;
    expect(assigned).toMatchObject({ id, status: 'ASSIGNED', version: 2, assignedTo: `li.na@${division}` });
    expect(assigned.history).toEqual([
      expect.objectContaining({
        version: 2,
        action: 'ASSIGN',
        fromStatus: 'OPEN',
        toStatus: 'ASSIGNED',
        actorAgency: 'suzhou-transport',
        actorSubject: 'zhang.wei',
      }),
    ]);
    const {
      rows: [last],
    } = await owner.query<{ content: Record<string, unknown>; same_transaction: boolean }>(
      `select a.content, a.xmin = e.xmin as same_transaction from audit_event a, clue_event e
       where e.clue_id = $1 and e.version = 2 and a.content->>'operationName' = 'Assign' order by a.seq desc limit 1`,
      [id],
    );
    expect(last.content).toMatchObject({ agency: 'suzhou-transport', subject: 'zhang.wei', operationName: 'Assign', outcome: 'OK', variables: { id } });
    expect(last.same_transaction).toBe(true);
    // Reassigning within the division is allowed.
    const again = await call<{ assignClue: Change }>(ASSIGN, { id, to: `wang.fang@${division}`, expectedVersion: 2 });
    expect(again.data!.assignClue).toEqual({ clueId: id, status: 'ASSIGNED', version: 3 });
    expect((await call<{ clue: ClueView }>(ONE, { id })).data!.clue.assignedTo).toBe(`wang.fang@${division}`);
    // Who acted and who was assigned are personal: the analyst's agreement masks them.
    const seen = await call<{ clue: ClueView }>(ONE, { id }, ANALYST);
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.clue).toMatchObject({ status: 'ASSIGNED', assignedTo: '***' });
    expect(seen.data!.clue.history.map((h) => [h.actorSubject, (h as { assignedTo?: string | null }).assignedTo])).toEqual([
      ['***', '***'],
      ['***', '***'],
    ]);
  });

  it('verifyClue records the finding; dismissClue the reason and note; each with its audit event', async () => {
    const verified = take();
    let events = await auditEvents();
    const v = await call<{ verifyClue: Change }>(VERIFY, { id: verified, finding: '现场核查属实 (weighed again: 61 t on 6 axles)' });
    expect(v.errors).toBeUndefined();
    expect(v.data!.verifyClue).toEqual({ clueId: verified, status: 'VERIFIED', version: 2 });
    expect(await auditEvents()).toBe(events + 1);
    expect((await call<{ clue: ClueView }>(ONE, { id: verified })).data!.clue.history[0]).toMatchObject({
      action: 'VERIFY',
      note: '现场核查属实 (weighed again: 61 t on 6 axles)',
    });

    const dismissed = take();
    events = await auditEvents();
    const d = await call<{ dismissClue: Change }>(DISMISS, { id: dismissed, reason: 'LAWFUL_EXCEPTION', note: '大件运输许可 2026-118' });
    expect(d.errors).toBeUndefined();
    expect(d.data!.dismissClue).toEqual({ clueId: dismissed, status: 'DISMISSED', version: 2 });
    expect(await auditEvents()).toBe(events + 1);
    const { rows } = await owner.query(`select content->>'operationName' as op, content->>'outcome' as outcome from audit_event order by seq desc limit 1`);
    expect(rows[0]).toEqual({ op: 'Dismiss', outcome: 'OK' });
    expect((await call<{ clue: ClueView }>(ONE, { id: dismissed })).data!.clue.history[0]).toMatchObject({
      action: 'DISMISS',
      reason: 'LAWFUL_EXCEPTION',
      note: '大件运输许可 2026-118',
      toStatus: 'DISMISSED',
    });
  });

  it('linkClueToCase waits for a case the hub does not hold, and is confirmed when the case lands through the ingest path', async () => {
    const id = take();
    const caseNumber = '苏E交执〔2026〕99001号';
    const pending = await call<{ linkClueToCase: Change }>(LINK, { id, caseNumber });
    expect(pending.errors).toBeUndefined();
    expect(pending.data!.linkClueToCase).toEqual({ clueId: id, status: 'LINKED_PENDING', version: 2 });
    expect((await call<{ clue: ClueView }>(ONE, { id })).data!.clue).toMatchObject({
      status: 'LINKED_PENDING',
      linkedCaseNumber: caseNumber,
      linkedCase: null,
    });

    // The case arrives as the sync writes it (upsert by natural key, in the batch's transaction).
    const template = t.world.enforcementCases[0];
    const arrived = { ...template, caseNumber, divisionCode: division, updatedAt: new Date().toISOString() };
    await upsertRecords(t.hub.db.pool, RECORD_TABLES.enforcementCase, [arrived], new Date());

    const after = await call<{ clue: ClueView }>(ONE, { id });
    expect(after.data!.clue).toMatchObject({ status: 'LINKED', version: 3, linkedCase: { caseNumber } });
    expect(after.data!.clue.history.map((h) => [h.action, h.toStatus, h.actorAgency])).toEqual([
      ['LINK', 'LINKED_PENDING', 'suzhou-transport'],
      ['CONFIRM_LINK', 'LINKED', null],
    ]);
    // The case changing again confirms nothing twice.
    await upsertRecords(
      t.hub.db.pool,
      RECORD_TABLES.enforcementCase,
      [{ ...arrived, summary: 'amended', updatedAt: new Date(Date.now() + 1000).toISOString() }],
      new Date(),
    );
    expect((await call<{ clue: ClueView }>(ONE, { id })).data!.clue.version).toBe(3);
  });

  it('a pending link is confirmed only by a case arriving inside the linker’s case scope', async () => {
    const id = take();
    const caseNumber = '苏E交执〔2026〕99003号';
    const pending = await call<{ linkClueToCase: Change }>(LINK, { id, caseNumber });
    expect(pending.data!.linkClueToCase).toEqual({ clueId: id, status: 'LINKED_PENDING', version: 2 });
    const stored = await owner.query<{ linked_case_scope: unknown }>('select linked_case_scope from clue where id = $1', [id]);
    expect(stored.rows[0].linked_case_scope).toEqual([[{ anyOf: [{ column: 'division_code', startsWithAny: [division] }] }]]);

    // The case arrives handled in another district: outside what the linker may see.
    const template = t.world.enforcementCases[0];
    const arrived = { ...template, caseNumber, divisionCode: elsewhere, updatedAt: new Date().toISOString() };
    await upsertRecords(t.hub.db.pool, RECORD_TABLES.enforcementCase, [arrived], new Date());
    const outside = (await call<{ clue: ClueView }>(ONE, { id })).data!.clue;
    expect(outside).toMatchObject({ status: 'LINKED_PENDING', version: 2, linkedCase: null });
    expect(outside.history.map((h) => h.action)).toEqual(['LINK']);

    // Handed over to the linker's district: now inside their scope, the link is confirmed.
    await upsertRecords(
      t.hub.db.pool,
      RECORD_TABLES.enforcementCase,
      [{ ...arrived, divisionCode: division, updatedAt: new Date(Date.now() + 1000).toISOString() }],
      new Date(),
    );
    const inside = (await call<{ clue: ClueView }>(ONE, { id })).data!.clue;
    expect(inside).toMatchObject({ status: 'LINKED', version: 3, linkedCase: { caseNumber } });
    expect(inside.history.map((h) => [h.action, h.actorAgency])).toEqual([
      ['LINK', 'suzhou-transport'],
      ['CONFIRM_LINK', null],
    ]);
  });

  it('a tampered stored case scope is data: the case batch runs none of it, succeeds, and leaves the link pending', async () => {
    const id = take();
    const caseNumber = '苏E交执〔2026〕99004号';
    await call(LINK, { id, caseNumber });
    // nextval is not undone by a rollback: had any of this run, the probe would show it.
    await owner.query('create sequence if not exists clue_scope_probe');
    const sql = "true or nextval('clue_scope_probe') > 0";
    for (const scope of [
      JSON.stringify(sql),
      JSON.stringify([[{ column: `division_code') or nextval('clue_scope_probe') > 0 or ('`, startsWithAny: [division] }]]),
      JSON.stringify([[{ column: 'division_code', startsWithAny: [`${division}') or nextval('clue_scope_probe') > 0 or ('`] }]]),
      JSON.stringify([[{ column: 'division_code', equals: { sql } }], 'not a condition']),
      // Nested past any scope the hub writes: refused, not recursed into until the stack runs out.
      JSON.stringify([[Array.from({ length: 2000 }).reduce<object>((inner) => ({ anyOf: [inner] }), { column: 'division_code', startsWithAny: [division] })]]),
    ]) {
      await owner.query('update clue set linked_case_scope = to_jsonb($1::json) where id = $2', [scope, id]);
      const arrived = { ...t.world.enforcementCases[0], caseNumber, divisionCode: division, updatedAt: new Date().toISOString() };
      await upsertRecords(t.hub.db.pool, RECORD_TABLES.enforcementCase, [arrived], new Date());
      // (The case itself is the officer's to read: it is in their division.)
      expect((await call<{ clue: ClueView }>(ONE, { id })).data!.clue).toMatchObject({ status: 'LINKED_PENDING', version: 2 });
    }
    const { rows } = await owner.query<{ is_called: boolean }>('select is_called from clue_scope_probe');
    expect(rows[0].is_called).toBe(false);
  });

  it('linkClueToCase to a case the hub already holds is LINKED at once', async () => {
    const id = take();
    // One the officer may see: handled in their division.
    const {
      rows: [held],
    } = await owner.query<{ caseNumber: string }>(
      `select case_number as "caseNumber" from enforcement_case where deleted_at is null and division_code like $1 || '%' order by case_number limit 1`,
      [division],
    );
    const reply = await call<{ linkClueToCase: Change }>(LINK, { id, caseNumber: held.caseNumber });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.linkClueToCase).toEqual({ clueId: id, status: 'LINKED', version: 3 });
    const linked = (await call<{ clue: ClueView }>(ONE, { id })).data!.clue;
    expect(linked).toMatchObject({ status: 'LINKED', version: 3, linkedCaseNumber: held.caseNumber, linkedCase: { caseNumber: held.caseNumber } });
    expect(linked.history.map((h) => h.action)).toEqual(['LINK', 'CONFIRM_LINK']);
  });

  it('linkClueToCase answers a case outside the caller’s scope exactly as one that does not exist', async () => {
    // A live case the hub holds, handled in another district: the officer may not see it.
    const {
      rows: [theirs],
    } = await owner.query<{ case_number: string }>(
      `select case_number from enforcement_case where deleted_at is null and division_code not like $1 || '%' order by case_number limit 1`,
      [division],
    );
    expect(theirs).toBeDefined();
    const hidden = await call<{ linkClueToCase: Change }>(LINK, { id: take(), caseNumber: theirs.case_number });
    const missing = await call<{ linkClueToCase: Change }>(LINK, { id: take(), caseNumber: '苏E交执〔2026〕99777号' });
    expect(hidden.errors).toBeUndefined();
    expect(missing.errors).toBeUndefined();
    const { clueId: a, ...outOfScope } = hidden.data!.linkClueToCase;
    const { clueId: b, ...absent } = missing.data!.linkClueToCase;
    expect(outOfScope).toEqual({ status: 'LINKED_PENDING', version: 2 });
    expect(absent).toEqual(outOfScope);
    const histories = await Promise.all([a, b].map(async (id) => (await call<{ clue: ClueView }>(ONE, { id })).data!.clue));
    expect(histories.map((c) => [c.status, c.linkedCase, c.history.map((h) => h.action)])).toEqual([
      ['LINKED_PENDING', null, ['LINK']],
      ['LINKED_PENDING', null, ['LINK']],
    ]);
  });

  it('two aliased mutations of one clue in one request each answer the version and status they made', async () => {
    const id = take();
    const TWO = `mutation Two($id: String!, $to: String!) {
      first: assignClue(id: $id, to: $to) { ${CHANGE} }
      second: verifyClue(id: $id, finding: "assigned and verified") { ${CHANGE} }
    }`;
    const reply = await call<{ first: Change; second: Change }>(TWO, { id, to: `li.na@${division}` });
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ first: { clueId: id, status: 'ASSIGNED', version: 2 }, second: { clueId: id, status: 'VERIFIED', version: 3 } });
    const { rows } = await owner.query(`select version, action from clue_event where clue_id = $1 order by version`, [id]);
    expect(rows).toEqual([
      { version: 2, action: 'ASSIGN' },
      { version: 3, action: 'VERIFY' },
    ]);
  });

  it('refuses illegal transitions with ILLEGAL_TRANSITION and changes nothing', async () => {
    const linked = take();
    await call(LINK, { id: linked, caseNumber: '苏E交执〔2026〕99002号' });
    const dismissLinked = await refusedUnchanged(() => call(DISMISS, { id: linked, reason: 'FALSE_POSITIVE' }), 'ILLEGAL_TRANSITION');
    expect(dismissLinked.errors?.[0].extensions).toMatchObject({ action: 'DISMISS', status: 'LINKED_PENDING' });

    const dismissed = take();
    await call(DISMISS, { id: dismissed, reason: 'DUPLICATE' });
    await refusedUnchanged(() => call(VERIFY, { id: dismissed, finding: 'looked again' }), 'ILLEGAL_TRANSITION');
    await refusedUnchanged(() => call(ASSIGN, { id: dismissed, to: `li.na@${division}` }), 'ILLEGAL_TRANSITION');
    await refusedUnchanged(() => call(DISMISS, { id: dismissed, reason: 'DUPLICATE' }), 'ILLEGAL_TRANSITION');

    const verified = take();
    await call(VERIFY, { id: verified, finding: 'confirmed' });
    await refusedUnchanged(() => call(VERIFY, { id: verified, finding: 'confirmed twice' }), 'ILLEGAL_TRANSITION');
  });

  it('refuses assigning to an officer of another division with OUTSIDE_DIVISION, and a clue outside the caller’s divisions as NOT_FOUND', async () => {
    const id = take();
    const reply = await refusedUnchanged(() => call(ASSIGN, { id, to: `li.na@${elsewhere}` }), 'OUTSIDE_DIVISION');
    expect(reply.errors?.[0].extensions).toMatchObject({ division });
    // An officer of another district does not see the clue, so cannot act on it.
    await refusedUnchanged(() => call(ASSIGN, { id, to: `li.na@${division}` }, officer(elsewhere)), 'NOT_FOUND');
    await refusedUnchanged(() => call(VERIFY, { id, finding: 'not mine' }, officer(elsewhere)), 'NOT_FOUND');
  });

  it('refuses agencies and roles without the grant (FORBIDDEN) before anything runs', async () => {
    const id = take();
    for (const caller of [ANALYST, POLICE, { ...officer(division), agency: 'suzhou-amr', purpose: 'joint-inspection' }]) {
      const reply = await refusedUnchanged(() => call(VERIFY, { id, finding: 'not theirs' }, caller), 'FORBIDDEN');
      expect(reply.status).toBe(403);
    }
  });

  it('lets exactly one of two officers acting at once win; the other is refused and nothing is doubled', async () => {
    const ids = [take(), take(), take()];
    for (const id of ids) {
      const [a, b] = await Promise.all([
        call<{ verifyClue: Change }>(VERIFY, { id, finding: 'first officer' }, officer(division, 'zhang.wei')),
        call<{ verifyClue: Change }>(VERIFY, { id, finding: 'second officer' }, officer(division, 'li.na')),
      ]);
      const won = [a, b].filter((r) => !r.errors);
      const lost = [a, b].filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      // Refused either on reading it verified already, or at the write, the version having moved.
      expect(['CONFLICT', 'ILLEGAL_TRANSITION']).toContain(lost[0].errors![0].extensions?.code);
      const { rows } = await owner.query(`select version, action from clue_event where clue_id = $1`, [id]);
      expect(rows).toEqual([{ version: 2, action: 'VERIFY' }]);
    }
  });

  it('refuses a stale expectedVersion with CONFLICT', async () => {
    const id = take();
    await call(ASSIGN, { id, to: `li.na@${division}` });
    await refusedUnchanged(() => call(ASSIGN, { id, to: `wang.fang@${division}`, expectedVersion: 1 }), 'CONFLICT');
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const id = take();
    await refusedUnchanged(() => call(VERIFY, { id: 'CL20260101-NOSUCHCLUE00', finding: 'x' }), 'NOT_FOUND');
    await refusedUnchanged(() => call(VERIFY, { id, finding: 'x'.repeat(501) }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(VERIFY, { id, finding: '   ' }), 'BAD_USER_INPUT');
    // Refused before it runs: a value the audit could not record.
    await refusedUnchanged(() => call(VERIFY, { id, finding: 'nul\u0000byte' }), 'BAD_REQUEST');
    await refusedUnchanged(() => call(VERIFY, { id, finding: 'bell\u0007' }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(DISMISS, { id, reason: 'OTHER' }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(DISMISS, { id, reason: 'FALSE_POSITIVE', note: 'y'.repeat(501) }), 'BAD_USER_INPUT');
    const notInList = await refusedUnchanged(() => call(DISMISS, { id, reason: 'BORED' }), 'BAD_USER_INPUT');
    expect(notInList.status).toBe(400);
    const badOfficer = await refusedUnchanged(() => call(ASSIGN, { id, to: 'li.na' }), 'BAD_USER_INPUT');
    expect(badOfficer.errors?.[0].extensions).toMatchObject({ argument: 'to' });
    await refusedUnchanged(() => call(ASSIGN, { id, to: 'li.na@999999' }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(LINK, { id, caseNumber: ' ' }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(LINK, { id, caseNumber: '9'.repeat(65) }), 'BAD_USER_INPUT');
    await refusedUnchanged(() => call(VERIFY, { id: '', finding: 'x' }), 'BAD_USER_INPUT');
  });

  it('with the audit unwritable, nothing changes and the caller is told so', async () => {
    const id = take();
    const headers = await t.headersAs(officer(division));
    const before = await snapshot();
    await owner.query('alter table audit_event rename to audit_event_off');
    let reply;
    try {
      reply = await execute(t.hub.graphqlUrl, VERIFY, { id, finding: 'unaudited' }, headers);
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
    }
    expect(reply.status).toBe(503);
    expect(reply.errors?.[0].extensions).toEqual({ code: 'AUDIT_UNAVAILABLE', effect: 'NONE' });
    expect(await snapshot()).toBe(before);
  });

  it('counts a division’s clues by kind and status as the clues are, within the caller’s jurisdiction', async () => {
    const COUNTS = `query Counts($division: String!) { clueCounts(division: $division) { division total byKindAndStatus { kind status count } } }`;
    type Counts = { clueCounts: { division: string; total: number; byKindAndStatus: Array<{ kind: string; status: string; count: number }> } };
    const { rows } = await owner.query<{ kind: string; status: string; count: number }>(
      `select kind, status, count(*)::int as count from clue where division = $1 and deleted_at is null group by kind, status`,
      [division],
    );
    const expected = expect.arrayContaining(rows);
    const mine = await call<Counts>(COUNTS, { division });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.clueCounts.byKindAndStatus).toHaveLength(rows.length);
    expect(mine.data!.clueCounts.byKindAndStatus).toEqual(expected);
    expect(mine.data!.clueCounts.total).toBe(rows.reduce((n, r) => n + r.count, 0));
    // The workflow's statuses are among them.
    expect(mine.data!.clueCounts.byKindAndStatus.map((c) => c.status)).toEqual(expect.arrayContaining(['ASSIGNED', 'VERIFIED', 'DISMISSED', 'LINKED']));
    // An analyst sees every division; an officer of another district counts none of this one.
    expect((await call<Counts>(COUNTS, { division }, ANALYST)).data!.clueCounts.byKindAndStatus).toEqual(expected);
    expect((await call<Counts>(COUNTS, { division }, officer(elsewhere))).data!.clueCounts.total).toBe(0);
    const bad = await call(COUNTS, { division: '12' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'division' });
  });

  it('a full re-derivation keeps what officers did: statuses, versions and events', async () => {
    const statuses = `select id, status, version, assigned_to, linked_case_number from clue where status <> 'OPEN' order by id`;
    const before = [(await owner.query(statuses)).rows, (await owner.query('select * from clue_event order by clue_id, version')).rows];
    expect(before[0].length).toBeGreaterThan(5);
    await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile), { full: true });
    expect([(await owner.query(statuses)).rows, (await owner.query('select * from clue_event order by clue_id, version')).rows]).toEqual(before);
  });
});
