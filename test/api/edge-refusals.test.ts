import type { Pool } from 'pg';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Ordinary client mistakes, and values the audit could not record, are refused over real HTTP
 * with a 4xx and a typed code before anything runs: no sync run is created, nothing of the
 * refused values is stored in the audit trail, and nothing of the hub's inside leaks.
 */

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };
const TRIGGER = `mutation Trigger($system: SourceSystem!, $stream: String!) {
  triggerSync(system: $system, stream: $stream, mode: INCREMENTAL) { alreadyRunning run { id } } }`;
/** A stream of the registry that exists, so that only the refusal can stop the run. */
const SYSTEM = 'TRANSPORT';
const STREAM = 'weighings';
/** A marker sent inside refused values, to prove the audit never stored them. */
const MARKER = 'edge-marker-5b1f';

let t: TestHub;
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('edge_refusals');
  owner = ownerPool(t.hub.db.url);
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

interface Reply {
  status: number;
  raw: string;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** Posts a raw JSON body text (so that values JSON.stringify would not produce can be sent) as `caller`. */
async function postRaw(body: string, caller: TestCaller = ADMIN, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(await t.headersAs(caller)), ...headers },
    body,
  });
  const raw = await response.text();
  let parsed: Reply['body'] = {};
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Left empty: the assertions on `raw` say what came back.
  }
  return { status: response.status, raw, body: parsed };
}

const post = (request: Record<string, unknown>, caller?: TestCaller, headers?: Record<string, string>) => postRaw(JSON.stringify(request), caller, headers);

/** Settles every run, so that a trigger would create a new one (not return the one under way). */
const settleRuns = () => owner.query(`update sync_run set status = 'FAILED', finished_at = now() where status in ('QUEUED', 'RUNNING')`);
const syncRuns = async () => Number((await owner.query<{ n: string }>('select count(*) as n from sync_run')).rows[0].n);
const auditEvents = async () => Number((await owner.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n);
const markerStored = async () =>
  Number((await owner.query<{ n: string }>(`select count(*) as n from audit_event where content::text like '%${MARKER}%'`)).rows[0].n) > 0;

/** The refusal: status, code, no data, no stack or SQL. */
function expectRefused(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(reply.body.errors).toHaveLength(1);
  expect(reply.body.data ?? null).toBeNull();
  expect(reply.raw).not.toMatch(/\bat .+\.(js|ts):\d+|stacktrace|INTERNAL_SERVER_ERROR/i);
  expect(reply.raw).not.toMatch(/\b(select|insert|update|delete)\b.+\b(from|into|set)\b/i);
}

/** Sends a triggerSync carrying one more variable, expecting a 400 and no run, nothing of it stored. */
async function expectTriggerRefused(body: string, status = 400, code = 'BAD_REQUEST'): Promise<Reply> {
  await settleRuns();
  const runs = await syncRuns();
  const reply = await postRaw(body);
  expectRefused(reply, status, code);
  expect(await syncRuns()).toBe(runs);
  expect(await markerStored()).toBe(false);
  expect(reply.raw).not.toContain(MARKER);
  return reply;
}

const triggerBody = (extraVariables: string) => `{"query":${JSON.stringify(TRIGGER)},"variables":{"system":"${SYSTEM}","stream":"${STREAM}"${extraVariables}}}`;

describe('variables the operation does not declare, or the audit could not record', () => {
  it('the control: the same triggerSync without them creates its run', async () => {
    await settleRuns();
    const runs = await syncRuns();
    const reply = await postRaw(triggerBody(''));
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect(await syncRuns()).toBe(runs + 1);
  });

  it('an undeclared variable is 400 BAD_REQUEST, before any resolver, and never stored', async () => {
    const reply = await expectTriggerRefused(triggerBody(`,"extra":"${MARKER}"`));
    expect(reply.body.errors![0].extensions).toMatchObject({ field: 'variables', reason: 'undeclared' });
  });

  it('an undeclared variable of a document that does not validate is not stored either', async () => {
    const reply = await post({ query: '{ nothingHere }', variables: { extra: MARKER } });
    expect(reply.status).toBe(400);
    expect(await markerStored()).toBe(false);
  });

  it('a value nested 20,000 levels deep is 400 BAD_REQUEST', async () => {
    const deep = `${'['.repeat(20_000)}"${MARKER}"${']'.repeat(20_000)}`;
    const reply = await expectTriggerRefused(triggerBody(`,"extra":${deep}`));
    expect(reply.body.errors![0].extensions).toMatchObject({ reason: 'is nested deeper than 32 levels' });
  });

  it('a lone surrogate is 400 BAD_REQUEST', async () => {
    await expectTriggerRefused(triggerBody(`,"extra":"${MARKER}\\ud800"`));
    // Declared, too: the value reaches the audit either way.
    const declared = `{"query":${JSON.stringify(TRIGGER)},"variables":{"system":"${SYSTEM}","stream":"${MARKER}\\udc00"}}`;
    await expectTriggerRefused(declared);
  });

  it('a NUL inside a key or a string is 400 BAD_REQUEST', async () => {
    await expectTriggerRefused(triggerBody(`,"extra":{"a\\u0000${MARKER}":1}`));
    await expectTriggerRefused(`{"query":${JSON.stringify(TRIGGER)},"variables":{"system":"${SYSTEM}","stream":"${MARKER}\\u0000"}}`);
  });

  it('a NUL in a string literal is 400 BAD_USER_INPUT naming the argument', async () => {
    const literal = `mutation { triggerSync(system: ${SYSTEM}, stream: "${MARKER}\\u0000") { alreadyRunning } }`;
    const reply = await expectTriggerRefused(JSON.stringify({ query: literal }), 400, 'BAD_USER_INPUT');
    expect(reply.body.errors![0].extensions).toMatchObject({ argument: 'stream', reason: 'contains a NUL character' });
  });

  it('the same rules hold for GET: a NUL in the variables, or an undeclared one, is 400 BAD_REQUEST', async () => {
    for (const variables of [`{"code":"${MARKER}\\u0000"}`, `{"code":"x","extra":"${MARKER}"}`]) {
      const search = new URLSearchParams({ query: 'query Q($code: String!) { checkpoint(code: $code) { name } }', variables });
      const response = await fetch(`${t.hub.graphqlUrl}?${search}`, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true', ...(await t.headersAs(ADMIN)) },
      });
      const raw = await response.text();
      expectRefused({ status: response.status, raw, body: JSON.parse(raw) }, 400, 'BAD_REQUEST');
      expect(await markerStored()).toBe(false);
    }
  });

  it('a NUL in the operation name or the extensions is 400 BAD_REQUEST', async () => {
    await expectTriggerRefused(JSON.stringify({ query: TRIGGER, operationName: `Trigger\u0000${MARKER}`, variables: { system: SYSTEM, stream: STREAM } }));
    await expectTriggerRefused(JSON.stringify({ query: TRIGGER, variables: { system: SYSTEM, stream: STREAM }, extensions: { note: `\u0000${MARKER}` } }));
  });
});

describe('ordinary client mistakes are 4xx, never 500', () => {
  it('two operations without operationName: 400 BAD_REQUEST', async () => {
    await settleRuns();
    const runs = await syncRuns();
    const reply = await post({ query: `${TRIGGER}\nquery Other { __typename }`, variables: { system: SYSTEM, stream: STREAM } });
    expectRefused(reply, 400, 'BAD_REQUEST');
    expect(reply.body.errors![0].extensions).toMatchObject({ field: 'operationName', reason: 'required' });
    expect(await syncRuns()).toBe(runs);
  });

  it('an operationName the document does not have: 400 BAD_REQUEST', async () => {
    expectRefused(await post({ query: '{ __typename }', operationName: 'Nowhere' }), 400, 'BAD_REQUEST');
  });

  it('a subscription over HTTP: 400 BAD_REQUEST (subscriptions are served over WebSocket)', async () => {
    const reply = await post({ query: 'subscription Watch { watchHits { plateNumber } }' });
    expectRefused(reply, 400, 'BAD_REQUEST');
    expect(reply.body.errors![0].extensions).toMatchObject({ reason: 'subscription' });
  });

  it.each([
    ['purpose', 'header', { 'x-purpose': 'p'.repeat(65) }, {}],
    ['caseNumber', 'header', { 'x-case-number': encodeURIComponent(`苏E交执〔2026〕${'0'.repeat(60)}号`) }, {}],
    ['purpose', 'extension', {}, { purpose: 'p'.repeat(65) }],
    ['caseNumber', 'extension', {}, { caseNumber: '9'.repeat(65) }],
  ])('a %s over its length limit (%s) is 400 BAD_USER_INPUT saying it is too long', async (part, _where, headers, extensions) => {
    const reply = await post({ query: '{ myAccess { agency } }', extensions }, ADMIN, headers);
    expectRefused(reply, 400, 'BAD_USER_INPUT');
    expect(reply.body.errors![0].extensions).toMatchObject({ argument: part, reason: 'is too long (at most 64 characters)' });
  });

  it('a purpose header with a NUL, or one that is not percent-encoded UTF-8, is 400 BAD_USER_INPUT', async () => {
    expectRefused(await post({ query: '{ myAccess { agency } }' }, ADMIN, { 'x-purpose': 'hub%00operations' }), 400, 'BAD_USER_INPUT');
    expectRefused(await post({ query: '{ myAccess { agency } }' }, ADMIN, { 'x-purpose': '%ED%A0%80' }), 400, 'BAD_USER_INPUT');
  });
});

describe('nothing is stored of a refused request but its refusal', () => {
  it.each([
    ['undeclared (refused once the operation is known)', `,"extra":"${MARKER}"`],
    ['unrecordable (refused at the HTTP edge)', `,"extra":"${MARKER}\\u0000"`],
  ])('a request with a variable %s leaves one small event, of its caller, without the values it carried', async (_, extra) => {
    const before = await auditEvents();
    await expectTriggerRefused(triggerBody(extra));
    expect(t.logged).toEqual([]);
    expect(await auditEvents()).toBe(before + 1);
    const {
      rows: [last],
    } = await owner.query<{ agency: string; refusal: string; outcome: string; size: number }>(`select content->>'agency' as agency,
      content->>'refusal' as refusal, content->>'outcome' as outcome, length(content::text) as size from audit_event order by seq desc limit 1`);
    expect(last).toMatchObject({ agency: ADMIN.agency, refusal: 'BAD_REQUEST', outcome: 'DENIED' });
    expect(last.size).toBeLessThan(2_000);
  });
});
