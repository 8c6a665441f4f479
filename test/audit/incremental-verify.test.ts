import { Pool } from 'pg';
import { AuditLog, loadOrCreateHubKey, publicKeyOf } from '../../src/audit';
import { loadConfig } from '../../src/config';
import { fixedStatistics } from '../../src/db/table-statistics';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import { tamper as tamperAs } from '../support/tamper';

/**
 * `verifyAuditChain` goes on from the last verified checkpoint (a signed head a verification found
 * intact) instead of walking the whole chain per call; the full walk stays available (`full: true`,
 * `npm run audit:verify -- --full`) and catches what happened before the checkpoint. Both are
 * priced, so one request cannot ask for them over and over.
 */

let t: TestHub;
let owner: Pool;
beforeAll(async () => {
  // The chain as a deployment's after a while: a million events make the full walk too costly for one request.
  t = await startTestHub('incremental_verify', {
    // Heads are signed by the tests alone, so which head a verification reaches is known.
    hub: { statistics: fixedStatistics({ audit_event: 1_000_000 }, 0), auditHeadIntervalMs: 3_600_000 },
  });
  owner = new Pool({ connectionString: t.hub.db.url, max: 2 });
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const hubKey = loadOrCreateHubKey(loadConfig({}).dataDir);
const keys = new Map([[hubKey.keyId, publicKeyOf(hubKey)]]);
const log = () => new AuditLog(t.hub.db.pool);
const full = () => log().verify(keys);
const incremental = () => log().verify(keys, { incremental: true });
const tamper = (sql: string) => tamperAs(owner, sql);
const AUDITOR: TestCaller = { agency: 'suzhou-transport', roles: ['auditor'], subject: 'auditor-1', purpose: 'audit' };

/** Appends `n` events through HTTP (enterprise lookups) and returns the chain's last seq. */
async function appendEvents(n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    const e = t.world.enterprises[i % t.world.enterprises.length];
    const result = await execute(t.hub.graphqlUrl, `{ enterprise(uscc: "${e.uscc}") { name } }`);
    expect(result.status).toBe(200);
  }
  const { rows } = await owner.query<{ seq: string }>('select max(seq) as seq from audit_event');
  return Number(rows[0].seq);
}

async function checkpoints(): Promise<number[]> {
  const { rows } = await owner.query<{ seq: string }>('select seq from audit_verified_checkpoint order by seq');
  return rows.map((r) => Number(r.seq));
}

describe('incremental verification', () => {
  let checkpoint = 0;

  it('a full walk that reaches a signed head records it as the verified checkpoint', async () => {
    const head = await appendEvents(10);
    expect(await log().signHead(hubKey)).toMatchObject({ seq: head });
    expect(await full()).toEqual({ intact: true, events: head, signedHead: head, checkedFrom: 0, eventsRead: head });
    expect(await checkpoints()).toContain(head);
    checkpoint = head;
  });

  it('reads only the events after the checkpoint, and moves the checkpoint to the newest signed head', async () => {
    const head = await appendEvents(5);
    await log().signHead(hubKey);
    const more = await appendEvents(2);
    const verdict = await incremental();
    expect(verdict).toEqual({ intact: true, events: more, signedHead: head, checkedFrom: checkpoint, eventsRead: more - checkpoint });
    expect(more - checkpoint).toBe(7);
    expect(await checkpoints()).toContain(head);
    // The next one starts from there: two unsigned events, and nothing before them, are read.
    expect(await incremental()).toMatchObject({ intact: true, checkedFrom: head, eventsRead: more - head });
    checkpoint = head;
  });

  it('catches a change after the checkpoint', async () => {
    const last = await appendEvents(3);
    await tamper(`update audit_event set content = jsonb_set(content, '{subject}', '"x"') where seq = ${last - 1}`);
    expect(await incremental()).toEqual({ intact: false, firstBrokenSeq: last - 1, reason: 'content does not match its hash' });
  });

  it('tampering before the checkpoint escapes the incremental check but not the full walk; the checkpoint event itself is checked', async () => {
    await tamper(`update audit_event set content = jsonb_set(content, '{subject}', '"someone-else"') where seq = 3`);
    const quick = await incremental();
    // Still broken from the previous test's change, after the checkpoint; the change at 3 is not seen.
    expect(quick).toMatchObject({ intact: false });
    expect((quick as { firstBrokenSeq: number }).firstBrokenSeq).toBeGreaterThan(checkpoint);
    expect(await full()).toEqual({ intact: false, firstBrokenSeq: 3, reason: 'content does not match its hash' });
    await tamper(`update audit_event set occurred_at = occurred_at + interval '1 second' where seq = ${checkpoint}`);
    expect(await incremental()).toEqual({ intact: false, firstBrokenSeq: checkpoint, reason: 'differs from its verified checkpoint' });
  });
});

describe('verifyAuditChain in GraphQL', () => {
  it('answers from the checkpoint by default, and is priced: thirty calls in one request are refused before any verification', async () => {
    const one = await execute<{ verifyAuditChain: { intact: boolean; checkedFrom: number | null } }, never>(
      t.hub.graphqlUrl,
      '{ verifyAuditChain { intact checkedFrom firstBrokenSeq reason } }',
      undefined,
      await t.headersAs(AUDITOR),
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.verifyAuditChain.intact).toBe(false);
    const before = await checkpoints();
    const thirty = `{ ${Array.from({ length: 30 }, (_, i) => `v${i}: verifyAuditChain { intact }`).join(' ')} }`;
    const refused = await execute(t.hub.graphqlUrl, thirty, undefined, await t.headersAs(AUDITOR));
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' });
    expect(await checkpoints()).toEqual(before);
  });

  it('a data-access report is priced by the events it reads: over a million, it is refused before any read', async () => {
    const report = '{ dataAccessReport(source: "suzhou-psb", from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z") { operations } }';
    const headers = await t.headersAs(AUDITOR);
    const { result, statements } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, report, undefined, headers));
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' });
    expect(statements).toBe(0);
  });

  it("a full walk is priced by the chain's size: over a million events it is for the CLI, not a request", async () => {
    const refused = await execute(t.hub.graphqlUrl, '{ verifyAuditChain(full: true) { intact } }', undefined, await t.headersAs(AUDITOR));
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' });
  });
});
