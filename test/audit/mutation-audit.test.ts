import type { Pool } from 'pg';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * A mutation's audit event is written in the transaction of its effect, before it: with the audit
 * table unwritable (renamed away by the tables' owner, as in `audit-http.test.ts`) `triggerSync`
 * and `retryQuarantined` create no run and release nothing, and the caller is told truthfully
 * that nothing changed. When the audit works, each request leaves exactly one event.
 */

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };
const TRIGGER = `mutation Trigger($system: SourceSystem!, $stream: String!) {
  triggerSync(system: $system, stream: $stream, mode: INCREMENTAL) { alreadyRunning run { id } } }`;
const RETRY = `mutation Retry($system: SourceSystem!, $stream: String!) {
  retryQuarantined(system: $system, stream: $stream) { released run { id } } }`;

let t: TestHub;
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('mutation_audit');
  owner = ownerPool(t.hub.db.url);
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const count = async (sql: string) => Number((await owner.query<{ n: string }>(sql)).rows[0].n);
const syncRuns = () => count('select count(*) as n from sync_run');
const auditEvents = () => count('select count(*) as n from audit_event');
const settleRuns = () => owner.query(`update sync_run set status = 'FAILED', finished_at = now() where status in ('QUEUED', 'RUNNING')`);

/** Runs `send` with the audit table renamed away, then puts it back. */
async function withAuditUnwritable<T>(send: () => Promise<T>): Promise<T> {
  await owner.query('alter table audit_event rename to audit_event_off');
  try {
    return await send();
  } finally {
    await owner.query('alter table audit_event_off rename to audit_event');
  }
}

describe('a mutation and its audit event', () => {
  it('triggerSync writes exactly one event, committed with its run', async () => {
    await settleRuns();
    const [runs, events] = [await syncRuns(), await auditEvents()];
    const reply = await execute<{ triggerSync: { run: { id: string } } }, unknown>(
      t.hub.graphqlUrl,
      TRIGGER,
      { system: 'TRANSPORT', stream: 'weighings' },
      await t.headersAs(ADMIN),
    );
    expect(reply.errors).toBeUndefined();
    expect(await syncRuns()).toBe(runs + 1);
    expect(await auditEvents()).toBe(events + 1);
    const {
      rows: [last],
    } = await owner.query<{ content: Record<string, unknown>; same_transaction: boolean }>(
      `select e.content, e.xmin = r.xmin as same_transaction from audit_event e, sync_run r where r.id = $1 order by e.seq desc limit 1`,
      [reply.data!.triggerSync.run.id],
    );
    expect(last.content).toMatchObject({
      agency: ADMIN.agency,
      operationName: 'Trigger',
      outcome: 'OK',
      refusal: null,
      variables: { system: 'TRANSPORT', stream: 'weighings' },
    });
    // Written by the transaction that recorded the run.
    expect(last.same_transaction).toBe(true);
  });

  it('two mutation fields in one request still leave one event, committed before both effects', async () => {
    await settleRuns();
    const [runs, events] = [await syncRuns(), await auditEvents()];
    const reply = await execute(
      t.hub.graphqlUrl,
      `mutation Both {
      a: triggerSync(system: TRANSPORT, stream: "weighings") { run { id } }
      b: triggerSync(system: TRANSPORT, stream: "vehicles") { run { id } } }`,
      {},
      await t.headersAs(ADMIN),
    );
    expect(reply.errors).toBeUndefined();
    expect(await syncRuns()).toBe(runs + 2);
    expect(await auditEvents()).toBe(events + 1);
  });

  it('triggerSync with the audit unwritable creates no run and answers 503 AUDIT_UNAVAILABLE, effect NONE', async () => {
    await settleRuns();
    const runs = await syncRuns();
    const headers = await t.headersAs(ADMIN);
    const reply = await withAuditUnwritable(() => execute(t.hub.graphqlUrl, TRIGGER, { system: 'TRANSPORT', stream: 'weighings' }, headers));
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.raw)).toEqual({
      errors: [
        {
          message: 'The operation could not be audited, so it was not answered; nothing was changed',
          extensions: { code: 'AUDIT_UNAVAILABLE', effect: 'NONE' },
        },
      ],
    });
    expect(await syncRuns()).toBe(runs);
    expect(t.logged.some((entry) => entry.msg === 'audit append failed' && /relation "audit_event" does not exist/.test(entry.err?.message ?? ''))).toBe(true);
  });

  it('retryQuarantined with the audit unwritable creates no run and releases nothing', async () => {
    await settleRuns();
    await owner.query(`insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, quarantined_at)
      values ('TRANSPORT', 'weighings', 'edge-1', '{}'::jsonb, 'edge-hash-1', array['fixture'], now())`);
    const runs = await syncRuns();
    const headers = await t.headersAs(ADMIN);
    const reply = await withAuditUnwritable(() => execute(t.hub.graphqlUrl, RETRY, { system: 'TRANSPORT', stream: 'weighings' }, headers));
    expect(reply.status).toBe(503);
    expect(reply.errors?.[0].extensions).toEqual({ code: 'AUDIT_UNAVAILABLE', effect: 'NONE' });
    expect(await syncRuns()).toBe(runs);
    expect(await count(`select count(*) as n from quarantined_record where source_id = 'edge-1' and released_at is null`)).toBe(1);
  });

  it('once the audit is back, the same retry releases the record and writes one event', async () => {
    const events = await auditEvents();
    const reply = await execute<{ retryQuarantined: { released: number } }, unknown>(
      t.hub.graphqlUrl,
      RETRY,
      { system: 'TRANSPORT', stream: 'weighings' },
      await t.headersAs(ADMIN),
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.retryQuarantined.released).toBe(1);
    expect(await auditEvents()).toBe(events + 1);
  });
});
