import { openCaseWithCaptures } from '../support/case-with-captures';
import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';
import { AuditLog, loadOrCreateHubKey, publicKeyOf, type AuditEventContent } from '../../src/audit';
import { saltedDigest } from '../../src/audit/redact-variables';
import { loadConfig } from '../../src/config';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import { tamper as tamperAs } from '../support/tamper';
import { AdvisoryLock } from '../../src/db/advisory-locks';

/**
 * The audit trail as requests over real HTTP write it: one event per operation, naming who, why,
 * what was asked (document hash, redacted variables) and what came back, for answers, refusals
 * and errors alike; one linear chain under concurrency; fail closed when it cannot be written;
 * and tampering with what HTTP wrote is detected. This file's hub has its own database to tamper with.
 */

let t: TestHub;
/** The tables' owner: the hub's own connections act as the application role, which cannot tamper. */
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('audit_http');
  owner = new Pool({ connectionString: t.hub.db.url, max: 2 });
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const hubKey = loadOrCreateHubKey(loadConfig({}).dataDir);
const keys = new Map([[hubKey.keyId, publicKeyOf(hubKey)]]);
const verify = () => new AuditLog(t.hub.db.pool).verify(keys);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const REDACTED = /^\[redacted [0-9a-f]{16}\]$/;
/** What the hub works out itself for every event that resolved an operation. */
const SERVER_SIDE = {
  operationSignature: expect.stringMatching(/^[0-9a-f]{64}$/),
  digestSalt: expect.stringMatching(/^[0-9a-f]{32}$/),
  recordsCounted: {},
  sourcesCounted: {},
};

const OFFICER: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['32'], subject: 'officer-0042' };
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], subject: 'analyst-0007' };
const WINDOW = { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' };
const PRACTITIONER_BY_ID = 'query PractitionerById($id: String!) { practitioner(idNumber: $id) { name } }';
const ENTERPRISE_NAME = 'query EnterpriseName($uscc: String!) { enterprise(uscc: $uscc) { name } }';

async function eventCount(): Promise<number> {
  const { rows } = await t.hub.db.pool.query<{ n: string }>('select count(*) as n from audit_event');
  return Number(rows[0].n);
}

async function newest(): Promise<{ seq: number; content: AuditEventContent }> {
  const { rows } = await t.hub.db.pool.query<{ seq: string; content: AuditEventContent }>('select seq, content from audit_event order by seq desc limit 1');
  return { seq: Number(rows[0].seq), content: rows[0].content };
}

/** Runs one request and returns its HTTP result with the one event it appended. */
async function audited(query: string, variables: Record<string, unknown>, caller: TestCaller) {
  const before = await eventCount();
  const result = await execute(t.hub.graphqlUrl, query, variables, await t.headersAs(caller));
  expect(await eventCount()).toBe(before + 1);
  const event = await newest();
  expect(event.seq).toBe(before + 1);
  return { result, event: event.content };
}

const tamper = (sql: string) => tamperAs(owner, sql);

/** Empties the trail (and its signed heads) and writes `n` events through HTTP, each from a different subject. */
async function chainOf(n: number): Promise<void> {
  const client = await owner.connect();
  try {
    await client.query('begin');
    await client.query('alter table audit_event disable trigger user');
    await client.query('alter table audit_head_signature disable trigger user');
    await client.query('truncate audit_event, audit_head_signature');
    await client.query('alter table audit_event enable trigger user');
    await client.query('alter table audit_head_signature enable trigger user');
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
  for (let i = 1; i <= n; i++) {
    const e = t.world.enterprises[i % t.world.enterprises.length];
    const result = await execute(
      t.hub.graphqlUrl,
      'query E($uscc: String!) { enterprise(uscc: $uscc) { name } }',
      { uscc: e.uscc },
      await t.headersAs({ ...OFFICER, subject: `clerk-${i}` }),
    );
    expect(result.status).toBe(200);
  }
  expect(await verify()).toMatchObject({ intact: true, events: n });
}

describe('one audit event per operation', () => {
  it('an answered read names caller, agreement, purpose, operation, document, redacted variables, fields, sources, outcome', async () => {
    const p = t.world.practitioners[0];
    const { result, event } = await audited(PRACTITIONER_BY_ID, { id: p.idNumber }, { ...OFFICER, purpose: 'case-investigation' });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ practitioner: { name: p.name } });
    expect(event).toEqual({
      agency: 'suzhou-transport',
      subject: 'officer-0042',
      roles: ['officer'],
      agreement: 'SZJT-2026-01',
      purpose: 'case-investigation',
      caseNumber: null,
      operationName: 'PractitionerById',
      documentHash: sha256(PRACTITIONER_BY_ID),
      variables: { id: expect.stringMatching(REDACTED) },
      ...SERVER_SIDE,
      arguments: [{ field: 'Query.practitioner', arguments: { idNumber: expect.stringMatching(REDACTED) } }],
      fieldsReturned: { 'Query.practitioner': 1, 'Practitioner.name': 1 },
      sources: { 'suzhou-transport': 1 },
      refusal: null,
      outcome: 'OK',
      durationMs: expect.any(Number),
      // The jti of the token the request presented: a client's requests with one token share it.
      tokenId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(event.durationMs).toBeGreaterThan(0);
    expect(event.durationMs).toBeLessThan(10_000);
    // The resident ID is nowhere in the trail, not even in part of a field.
    const { rows } = await t.hub.db.pool.query<{ n: string }>('select count(*) as n from audit_event where content::text like $1', [`%${p.idNumber}%`]);
    expect(Number(rows[0].n)).toBe(0);
  });

  it('redacts personal values to a digest salted per event: a guess sent again cannot be matched, not even by the auditor', async () => {
    const [p] = t.world.practitioners;
    const caller = { ...OFFICER, purpose: 'case-investigation' };
    const first = (await audited(PRACTITIONER_BY_ID, { id: p.idNumber }, caller)).event;
    // The auditor's attack: send a denied request with the guessed ID and compare digests.
    const guess = (await audited(PRACTITIONER_BY_ID, { id: p.idNumber }, { ...ANALYST, purpose: 'statistics' })).event;
    expect(guess.outcome).toBe('DENIED');
    expect(first.variables.id).toMatch(REDACTED);
    expect(guess.variables.id).toMatch(REDACTED);
    expect(guess.variables.id).not.toBe(first.variables.id);
    expect(guess.digestSalt).not.toBe(first.digestSalt);
    // Within one event the same value digests alike, variable or argument.
    expect(first.arguments?.[0].arguments.idNumber).toBe(first.variables.id);
    // Knowing the salt is not enough: without the hub's key, a guess's digest does not match.
    for (const key of ['', 'audit-redaction', p.idNumber]) {
      expect(saltedDigest(key, first.digestSalt as string)(p.idNumber)).not.toBe(first.variables.id);
    }
    // Nor is it a plain hash of the value anyone could recompute.
    expect(first.variables.id).not.toContain(sha256(JSON.stringify(p.idNumber)).slice(0, 16));
    expect(first.variables.id).not.toContain(sha256(p.idNumber).slice(0, 16));
  });

  it('a case-bound read records the case and the checkpoint records the police provided; other variables stay as sent', async () => {
    const open = openCaseWithCaptures(t.world, WINDOW, 5).case;
    const query =
      'query Captures($from: DateTime!, $to: DateTime!) { checkpointCaptures(first: 5, filter: { from: $from, to: $to }) { totalCount edges { node { plateNumber capturedAt } } } }';
    const { result, event } = await audited(query, WINDOW, { ...OFFICER, purpose: 'case-investigation', caseNumber: open.caseNumber });
    expect(result.status).toBe(200);
    expect(event).toMatchObject({
      agency: 'suzhou-transport',
      purpose: 'case-investigation',
      caseNumber: open.caseNumber,
      operationName: 'Captures',
      documentHash: sha256(query),
      variables: WINDOW,
      fieldsReturned: { 'CheckpointCapture.plateNumber': 5, 'CheckpointCapture.capturedAt': 5 },
      sources: { 'suzhou-psb': 5 },
      refusal: null,
      outcome: 'OK',
    });
  });

  it('counts records per type and per providing agency across a nested read', async () => {
    const e = t.world.enterprises.find((x) => t.world.practitioners.filter((p) => p.employerUscc === x.uscc).length >= 2)!;
    const staff = t.world.practitioners.filter((p) => p.employerUscc === e.uscc).length;
    const query = `query Staff { enterprise(uscc: "${e.uscc}") { name practitioners { name status } } }`;
    const { result, event } = await audited(query, {}, { ...ANALYST, purpose: 'statistics' });
    expect(result.status).toBe(200);
    expect(event).toMatchObject({
      agency: 'suzhou-transport',
      subject: 'analyst-0007',
      roles: ['analyst'],
      agreement: 'SZJT-2026-02',
      purpose: 'statistics',
      operationName: 'Staff',
      variables: {},
      fieldsReturned: { 'Enterprise.name': 1, 'Enterprise.practitioners': 1, 'Practitioner.name': staff, 'Practitioner.status': staff },
      sources: { 'suzhou-amr': 1, 'suzhou-transport': staff },
      outcome: 'OK',
    });
  });

  it.each([
    ['FORBIDDEN', ANALYST, 'statistics', undefined, PRACTITIONER_BY_ID],
    ['PURPOSE_REQUIRED', ANALYST, undefined, undefined, 'query Names { practitioners(first: 3) { edges { node { name } } } }'],
    ['PURPOSE_NOT_PERMITTED', ANALYST, 'case-investigation', undefined, 'query Names { practitioners(first: 3) { edges { node { name } } } }'],
    [
      'CASE_REQUIRED',
      OFFICER,
      'case-investigation',
      undefined,
      'query C($from: DateTime!, $to: DateTime!) { checkpointCaptures(filter: { from: $from, to: $to }) { totalCount } }',
    ],
    [
      'CASE_NOT_VALID',
      OFFICER,
      'case-investigation',
      '苏E交执〔2099〕99999号',
      'query C($from: DateTime!, $to: DateTime!) { checkpointCaptures(filter: { from: $from, to: $to }) { totalCount } }',
    ],
  ] as const)(
    'a refusal (%s) is recorded as DENIED with its code, the reason given, and nothing returned',
    async (code, caller, purpose, caseNumber, query) => {
      const variables: Record<string, unknown> = query.includes('$id') ? { id: t.world.practitioners[1].idNumber } : query.includes('$from') ? WINDOW : {};
      const { result, event } = await audited(query, variables, { ...caller, purpose, caseNumber });
      expect(result.status).toBe(403);
      expect(result.errors?.[0].extensions?.code).toBe(code);
      expect(event).toEqual({
        agency: caller.agency,
        subject: caller.subject,
        roles: caller.roles,
        agreement: caller === ANALYST ? 'SZJT-2026-02' : 'SZJT-2026-01',
        purpose: purpose ?? null,
        caseNumber: caseNumber ?? null,
        operationName: /^query (\w+)/.exec(query)![1],
        documentHash: sha256(query),
        // Refused or not, a personal value is redacted.
        variables: 'id' in variables ? { id: expect.stringMatching(REDACTED) } : variables,
        ...SERVER_SIDE,
        arguments: expect.any(Array),
        fieldsReturned: {},
        sources: {},
        refusal: code,
        outcome: 'DENIED',
        durationMs: expect.any(Number),
        tokenId: expect.any(String),
      });
    },
  );

  it('a caller without an agreement in force is recorded as DENIED too (AGREEMENT_EXPIRED, NO_AGREEMENT)', async () => {
    const expired = await audited('{ vehicles(first: 1) { totalCount } }', {}, { agency: 'anhui-transport', roles: ['officer'], subject: 'ah-1' });
    expect(expired.result.status).toBe(403);
    expect(expired.event).toMatchObject({
      agency: 'anhui-transport',
      subject: 'ah-1',
      refusal: 'AGREEMENT_EXPIRED',
      outcome: 'DENIED',
      fieldsReturned: {},
      sources: {},
    });
    const none = await audited('{ vehicles(first: 1) { totalCount } }', {}, { agency: 'xietong-sync', roles: ['connector'], subject: 'sync-1' });
    expect(none.result.status).toBe(403);
    expect(none.event).toMatchObject({
      agency: 'xietong-sync',
      subject: 'sync-1',
      roles: ['connector'],
      agreement: null,
      refusal: 'NO_AGREEMENT',
      outcome: 'DENIED',
    });
  });

  it('an operation that fails with no data is ERROR, one that answers in part is PARTIAL', async () => {
    const failed = await audited('query Bad { enterprises(first: -1) { totalCount } }', {}, OFFICER);
    expect(failed.result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(failed.result.data).toBeNull();
    expect(failed.event).toMatchObject({ operationName: 'Bad', refusal: null, outcome: 'ERROR', fieldsReturned: {}, sources: {} });

    const e = t.world.enterprises[0];
    const partial = await audited(
      `query Half { a: enterprise(uscc: "${e.uscc}") { name } b: practitioner(idNumber: "123") { name } }`,
      {},
      { ...OFFICER, purpose: 'case-investigation' },
    );
    expect(partial.result.data).toEqual({ a: { name: e.name }, b: null });
    expect(partial.event).toMatchObject({
      operationName: 'Half',
      refusal: null,
      outcome: 'PARTIAL',
      fieldsReturned: { 'Enterprise.name': 1 },
      sources: { 'suzhou-amr': 1 },
    });

    const invalid = 'query Typo { enterprise(uscc: "x") { nme } }';
    const rejected = await audited(invalid, {}, OFFICER);
    expect(rejected.result.status).toBe(400);
    expect(rejected.event).toMatchObject({ documentHash: sha256(invalid), refusal: null, outcome: 'ERROR', fieldsReturned: {} });
  });

  it('a request Apollo refuses as sent, before anything runs, gets its 4xx, not AUDIT_UNAVAILABLE', async () => {
    const headers = { ...(await t.headersAs(OFFICER)), 'content-type': 'application/json', 'apollo-require-preflight': 'true' };
    const before = await eventCount();
    const answers = await Promise.all([
      // A batch (batching is off), variables that are not JSON, a method Apollo does not take.
      fetch(t.hub.graphqlUrl, { method: 'POST', headers, body: JSON.stringify([{ query: '{ __typename }' }]) }),
      fetch(`${t.hub.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}&variables=%7B`, { headers }),
      fetch(t.hub.graphqlUrl, { method: 'PUT', headers, body: JSON.stringify({ query: '{ __typename }' }) }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 405]);
    for (const answer of answers) expect(await answer.text()).not.toContain('AUDIT_UNAVAILABLE');
    // Nothing ran, so nothing was read: no event either.
    expect(await eventCount()).toBe(before);
  });
});

describe('the chain HTTP writes', () => {
  it('stays one linear chain that verifies under 50 concurrent requests, answered and refused', async () => {
    const before = await eventCount();
    const replies = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const e = t.world.enterprises[i % t.world.enterprises.length];
        // Every fifth asks for personal data without a purpose: refused, and audited all the same.
        const query = i % 5 === 0 ? 'query Load { practitioners(first: 1) { totalCount } }' : `query Load { enterprise(uscc: "${e.uscc}") { name } }`;
        return execute(t.hub.graphqlUrl, query, {}, await t.headersAs({ ...ANALYST, subject: `load-${i}` }));
      }),
    );
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 403 : 200)));
    const { rows } = await t.hub.db.pool.query<{ seq: string; prev_hash: string; hash: string; subject: string; outcome: string }>(
      `select seq, prev_hash, hash, content->>'subject' as subject, content->>'outcome' as outcome from audit_event where seq > $1 order by seq`,
      [before],
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
    expect(rows.map((r) => r.subject).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `load-${i}`).sort());
    expect(
      rows
        .filter((r) => r.outcome === 'DENIED')
        .map((r) => r.subject)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `load-${i * 5}`).sort());
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await verify()).toMatchObject({ intact: true, events: before + 50 });
  });

  it('fails closed: when the event cannot be written the caller gets 503 AUDIT_UNAVAILABLE and no data', async () => {
    const p = t.world.practitioners[2];
    const before = await eventCount();
    await owner.query('alter table audit_event rename to audit_event_off');
    try {
      const answered = await execute(
        t.hub.graphqlUrl,
        PRACTITIONER_BY_ID,
        { id: p.idNumber },
        await t.headersAs({ ...OFFICER, purpose: 'case-investigation' }),
      );
      expect(answered.status).toBe(503);
      // A read changes nothing, and the answer says so.
      expect(answered.errors).toEqual([
        {
          message: 'The operation could not be audited, so it was not answered; nothing was changed',
          extensions: { code: 'AUDIT_UNAVAILABLE', effect: 'NONE' },
        },
      ]);
      expect(answered.data).toBeUndefined();
      expect(answered.raw).not.toContain('"data"');
      expect(answered.raw).not.toContain(p.name);
      expect(answered.raw).not.toMatch(/audit_event|relation "|\bat .+\.(js|ts):\d+/);
      // A refusal that cannot be audited is not answered either.
      const refusal = await execute(t.hub.graphqlUrl, 'query Names { practitioners(first: 1) { totalCount } }', {}, await t.headersAs(ANALYST));
      expect(refusal.status).toBe(503);
      expect(refusal.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(t.logged.some((entry) => entry.msg === 'audit append failed')).toBe(true);
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
    }
    // Nothing was half-written, and requests are answered and audited again.
    expect(await eventCount()).toBe(before);
    const { result, event } = await audited(PRACTITIONER_BY_ID, { id: p.idNumber }, { ...OFFICER, purpose: 'case-investigation' });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ practitioner: { name: p.name } });
    expect(event.outcome).toBe('OK');
    expect(await verify()).toMatchObject({ intact: true, events: before + 1 });
  });
});

describe('group commit of request events', () => {
  /** The chain's append lock, held here to keep the hub's next batch from committing. */
  const APPEND_LOCK = AdvisoryLock.AUDIT_APPEND;
  const ENTERPRISE = 'query E($uscc: String!) { enterprise(uscc: $uscc) { name } }';

  /** Sends `n` requests at once while the chain's lock is held; `whileHeld` runs before the lock is let go. */
  async function whileLocked(
    n: number,
    whileHeld: (client: import('pg').PoolClient) => Promise<void> = async () => undefined,
    usccOf: (i: number) => string = (i) => t.world.enterprises[i % t.world.enterprises.length].uscc,
  ) {
    const client = await owner.connect();
    let answered = 0;
    try {
      await client.query('begin');
      await client.query(`select pg_advisory_xact_lock(${APPEND_LOCK})`);
      const replies = Array.from({ length: n }, async (_, i) => {
        const e = t.world.enterprises[i % t.world.enterprises.length];
        const reply = await execute<{ enterprise: { name: string } }, { uscc: string }>(
          t.hub.graphqlUrl,
          ENTERPRISE,
          { uscc: usccOf(i) },
          await t.headersAs({ ...OFFICER, subject: `batch-${i}` }),
        );
        answered += 1;
        return { reply, name: e.name };
      });
      // Long enough for every request to run and reach its audit: none may answer before its event commits.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(answered).toBe(0);
      await whileHeld(client);
      await client.query('commit');
      return await Promise.all(replies);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  it('concurrent requests share transactions, and no answer leaves before its event has committed', async () => {
    const before = await eventCount();
    const replies = await whileLocked(12);
    for (const { reply, name } of replies) {
      expect(reply.status).toBe(200);
      expect(reply.data).toEqual({ enterprise: { name } });
    }
    // Rows one transaction inserted share its id (xmin): fewer transactions than events.
    const { rows } = await owner.query<{ events: string; transactions: string }>(
      'select count(*) as events, count(distinct xmin::text) as transactions from audit_event where seq > $1',
      [before],
    );
    expect(Number(rows[0].events)).toBe(12);
    expect(Number(rows[0].transactions)).toBeLessThan(12);
    expect(await verify()).toMatchObject({ intact: true, events: before + 12 });
  });

  it('fails closed: when a batch cannot commit, none of its requests is answered with data', async () => {
    const before = await eventCount();
    await owner.query(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`);
    let replies: Awaited<ReturnType<typeof whileLocked>>;
    try {
      // The refusal is in place (committed with the lock's release) before any waiting batch inserts.
      replies = await whileLocked(6, async (client) => {
        await client.query('create trigger refuse_audit before insert on audit_event for each row execute function refuse_audit()');
      });
    } finally {
      await owner.query('drop trigger if exists refuse_audit on audit_event');
      await owner.query('drop function refuse_audit()');
    }
    for (const { reply, name } of replies) {
      expect(reply.status).toBe(503);
      expect(reply.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(reply.raw).not.toContain('"data"');
      expect(reply.raw).not.toContain(name);
    }
    expect(await eventCount()).toBe(before);
    // The next requests are answered and audited again, on the same chain.
    const { result } = await audited(ENTERPRISE, { uscc: t.world.enterprises[0].uscc }, OFFICER);
    expect(result.status).toBe(200);
    expect(await verify()).toMatchObject({ intact: true, events: before + 1 });
  });
});

describe("the event's write beside the answer's JSON", () => {
  it("sends the request's event to PostgreSQL before the answer's JSON is made, so it commits meanwhile", async () => {
    const uscc = t.world.enterprises[0].uscc;
    // A request first, so the log knows the chain's head and its next batch is one statement.
    await audited(ENTERPRISE_NAME, { uscc }, OFFICER);
    const statements = jest.spyOn(Client.prototype, 'query');
    const json = jest.spyOn(JSON, 'stringify');
    try {
      const { result } = await audited(ENTERPRISE_NAME, { uscc }, OFFICER);
      expect(result.status).toBe(200);
      const append = statements.mock.calls.findIndex(([text]) => typeof text === 'string' && text.includes('insert into audit_event'));
      const answer = json.mock.calls.findIndex(([value]) => {
        const data = typeof value === 'object' && value !== null ? (value as { data?: { enterprise?: unknown } }).data : undefined;
        return data?.enterprise !== undefined;
      });
      expect(append).toBeGreaterThanOrEqual(0);
      expect(answer).toBeGreaterThanOrEqual(0);
      expect(statements.mock.invocationCallOrder[append]).toBeLessThan(json.mock.invocationCallOrder[answer]);
    } finally {
      statements.mockRestore();
      json.mockRestore();
    }
  });
});

describe('one request whose event is hard to write does not fail the others batched with it', () => {
  const APPEND_LOCK = AdvisoryLock.AUDIT_APPEND;
  const ENTERPRISE = 'query E($uscc: String!) { enterprise(uscc: $uscc) { name } }';

  /** Sends one request per `usccs` entry (subjects `odd-<i>`) at once, while the chain's lock is held, so that their events share a batch. */
  async function batched(usccs: string[], whileHeld: (client: import('pg').PoolClient) => Promise<void> = async () => undefined) {
    const client = await owner.connect();
    try {
      await client.query('begin');
      await client.query(`select pg_advisory_xact_lock(${APPEND_LOCK})`);
      const replies = usccs.map(async (uscc, i) =>
        execute<{ enterprise: { name: string } | null }, { uscc: string }>(
          t.hub.graphqlUrl,
          ENTERPRISE,
          { uscc },
          await t.headersAs({ ...OFFICER, subject: `odd-${i}` }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await whileHeld(client);
      await client.query('commit');
      return await Promise.all(replies);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const eventsOf = async (before: number) =>
    (
      await owner.query<{ subject: string; variables: Record<string, unknown>; xmin: string }>(
        `select content->>'subject' as subject, content->'variables' as variables, xmin::text as xmin from audit_event where seq > $1 order by seq`,
        [before],
      )
    ).rows;

  it('a request with a lone surrogate in its variables is refused and audited alone; the requests batched with it are answered', async () => {
    const before = await eventCount();
    const e = t.world.enterprises[0];
    const usccs = Array.from({ length: 8 }, (_, i) => (i === 3 ? `${e.uscc}\ud800` : i === 5 ? `\udc00${e.uscc}` : e.uscc));
    const replies = await batched(usccs);
    replies.forEach((reply, i) => {
      expect(reply.status).not.toBe(503);
      if (i === 3 || i === 5) expect(reply.data ?? null).toBeNull();
      else expect(reply.data).toEqual({ enterprise: { name: e.name } });
    });
    const events = await eventsOf(before);
    expect(events.map((row) => row.subject).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `odd-${i}`));
    expect(await verify()).toMatchObject({ intact: true, events: before + 8 });
  });

  it('a long value is cut on characters: an emoji across the cut stays whole', async () => {
    const uscc = `${'a'.repeat(255)}😀b`;
    const { result, event } = await audited(ENTERPRISE, { uscc }, OFFICER);
    expect(result.status).not.toBe(503);
    expect(event.variables).toEqual({ uscc: `${'a'.repeat(255)}😀… (257 characters)` });
  });

  it('an event the database refuses fails only its own request: the others of its batch commit, in one linear chain', async () => {
    const before = await eventCount();
    const e = t.world.enterprises[1];
    await owner.query(
      `create function refuse_odd_3() returns trigger language plpgsql as $$ begin if new.content->>'subject' = 'odd-3' then raise exception 'audit refused'; end if; return new; end $$`,
    );
    let replies: Awaited<ReturnType<typeof batched>>;
    try {
      replies = await batched(Array(8).fill(e.uscc), async (client) => {
        await client.query('create trigger refuse_odd_3 before insert on audit_event for each row execute function refuse_odd_3()');
      });
    } finally {
      await owner.query('drop trigger if exists refuse_odd_3 on audit_event');
      await owner.query('drop function refuse_odd_3()');
    }
    replies.forEach((reply, i) => {
      if (i === 3) {
        expect(reply.status).toBe(503);
        expect(reply.errors?.map((error) => error.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
        expect(reply.raw).not.toContain(e.name);
      } else {
        expect(reply.status).toBe(200);
        expect(reply.data).toEqual({ enterprise: { name: e.name } });
      }
    });
    const events = await eventsOf(before);
    expect(events.map((row) => row.subject).sort()).toEqual(['odd-0', 'odd-1', 'odd-2', 'odd-4', 'odd-5', 'odd-6', 'odd-7']);
    expect(await verify()).toMatchObject({ intact: true, events: before + 7 });
  });
});

describe('tampering with the chain HTTP wrote is detected', () => {
  it('an edited field of a middle event breaks the chain at that event, and later requests do not mend it', async () => {
    await chainOf(10);
    await tamper(`update audit_event set content = jsonb_set(content, '{subject}', '"someone-else"') where seq = 5`);
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 5, reason: 'content does not match its hash' });
    const more = await execute(t.hub.graphqlUrl, '{ enterprises(first: 1) { totalCount } }', {}, await t.headersAs(OFFICER));
    expect(more.status).toBe(200);
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 5, reason: 'content does not match its hash' });
  });

  it('an edited outcome (a refusal made to look answered) is detected', async () => {
    await chainOf(0);
    for (let i = 0; i < 5; i++) {
      const query = i === 2 ? 'query Names { practitioners(first: 1) { totalCount } }' : '{ enterprises(first: 1) { totalCount } }';
      await execute(t.hub.graphqlUrl, query, {}, await t.headersAs({ ...ANALYST, subject: `a-${i}` }));
    }
    expect((await t.hub.db.pool.query(`select content->>'outcome' as o from audit_event where seq = 3`)).rows[0].o).toBe('DENIED');
    await tamper(`update audit_event set content = content || '{"outcome": "OK", "refusal": null}' where seq = 3`);
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 3, reason: 'content does not match its hash' });
  });

  it('the new facts are covered by the chain hash too: counted records, arguments and signature cannot be edited', async () => {
    for (const edit of [
      `content || '{"recordsCounted": {"CheckpointCapture": 0}}'`,
      `content || '{"arguments": []}'`,
      `content || '{"operationSignature": "${'0'.repeat(64)}"}'`,
    ]) {
      await chainOf(0);
      await execute(t.hub.graphqlUrl, '{ enterprises(first: 1) { totalCount } }', {}, await t.headersAs(OFFICER));
      const [{ seq }] = (await t.hub.db.pool.query<{ seq: string }>('select max(seq)::text as seq from audit_event')).rows;
      await tamper(`update audit_event set content = ${edit} where seq = ${seq}`);
      expect(await verify()).toEqual({ intact: false, firstBrokenSeq: Number(seq), reason: 'content does not match its hash' });
    }
  });

  it('a deleted middle event breaks the chain where it was', async () => {
    await chainOf(10);
    await tamper('delete from audit_event where seq = 5');
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 5, reason: 'event 5 is missing' });
  });

  it('two events with their contents swapped break the chain at the first', async () => {
    await chainOf(10);
    await tamper(`update audit_event a set content = b.content from audit_event b where (a.seq, b.seq) in ((4, 6), (6, 4))`);
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 4, reason: 'content does not match its hash' });
  });

  it('two whole rows swapped (content, time and hashes) break the chain at the first', async () => {
    await chainOf(10);
    await tamper(`update audit_event a set content = b.content, occurred_at = b.occurred_at, prev_hash = b.prev_hash, hash = b.hash
      from audit_event b where (a.seq, b.seq) in ((4, 6), (6, 4))`);
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 4, reason: 'does not follow the previous event' });
  });

  it('a tail cut off after a signed head is detected at the first missing event', async () => {
    await chainOf(10);
    expect(await new AuditLog(t.hub.db.pool).signHead(hubKey)).toMatchObject({ seq: 10 });
    expect(await verify()).toMatchObject({ intact: true, events: 10, signedHead: 10 });
    await tamper('delete from audit_event where seq > 7');
    expect(await verify()).toEqual({ intact: false, firstBrokenSeq: 8, reason: 'events after 7 were removed (a signed head covers 10)' });
  });
});
