import type { AuditEventContent } from '../../src/audit';
import { ALL_SEEING_OFFICER, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Every request the hub serves writes exactly one log line (`src/http/request-line.ts`) naming
 * its id (also sent back as `x-request-id`), the caller's agency and roles, the agreed purpose,
 * the operation's name and server signature, the status, refusal or error code, the audit's
 * outcome, the records returned and the time taken: for answers and for requests refused at
 * every step.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('request_line');
});
afterAll(async () => {
  await t?.close();
});

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['officer'], subject: 'sh-1', purpose: 'cross-region-enforcement' };
const VEHICLES = 'query FirstVehicles($first: Int) { vehicles(first: $first) { totalCount edges { node { plateNumber plateColor } } } }';

type Line = Record<string, unknown>;

/** Sends a request and returns its status, its id and the lines the hub logged with that id. */
async function send(init: { path?: string; method?: string; headers?: Record<string, string>; body?: unknown }) {
  const response = await fetch(`${t.hub.url}${init.path ?? '/graphql'}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  await response.text();
  const requestId = response.headers.get('x-request-id');
  return { status: response.status, requestId, lines: linesOf(requestId) };
}

function linesOf(requestId: string | null): Line[] {
  return t.lines.map((line) => JSON.parse(line) as Line).filter((line) => line.requestId === requestId && line.msg === 'request');
}

async function newestEvent(): Promise<AuditEventContent> {
  const { rows } = await t.hub.db.pool.query<{ content: AuditEventContent }>('select content from audit_event order by seq desc limit 1');
  return rows[0].content;
}

describe('the request log line', () => {
  it('an answered query: one JSON line with who, why, what, how it ended, records returned and duration, matching its audit event', async () => {
    const { status, requestId, lines } = await send({
      headers: await t.headersAs(ALL_SEEING_OFFICER),
      body: { query: VEHICLES, variables: { first: 3 }, operationName: 'FirstVehicles' },
    });
    expect(status).toBe(200);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    const event = await newestEvent();
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      pid: process.pid,
      hostname: expect.any(String),
      component: 'http',
      msg: 'request',
      requestId,
      method: 'POST',
      path: '/graphql',
      agency: 'suzhou-transport',
      roles: ['officer'],
      purpose: 'case-investigation',
      operationName: 'FirstVehicles',
      signature: event.operationSignature,
      status: 200,
      code: null,
      outcome: 'OK',
      records: 3,
      durationMs: expect.any(Number),
    });
    expect(event.sources).toEqual({ 'suzhou-transport': 3 });
    expect(lines[0].durationMs).toBeGreaterThanOrEqual(0);
    // The operation's variables and the values returned are in neither.
    expect(JSON.stringify(lines[0])).not.toContain('plate');
  });

  it('each request gets an id of its own, whatever id the client sends', async () => {
    const headers = { ...(await t.headersAs(ALL_SEEING_OFFICER)), 'x-request-id': 'client-chosen' };
    const [a, b] = [await send({ headers, body: { query: '{ __typename }' } }), await send({ headers, body: { query: '{ __typename }' } })];
    expect(a.requestId).not.toBe(b.requestId);
    expect(a.requestId).not.toBe('client-chosen');
    expect([a.lines.length, b.lines.length]).toEqual([1, 1]);
  });

  it('a request without a token: 401, the failure reason as its code, nobody named', async () => {
    const { status, lines } = await send({ headers: {}, body: { query: '{ __typename }' } });
    expect(status).toBe(401);
    expect(lines).toEqual([
      expect.objectContaining({
        status: 401,
        code: 'UNAUTHENTICATED:MISSING_TOKEN',
        agency: null,
        roles: null,
        operationName: null,
        signature: null,
        records: null,
      }),
    ]);
  });

  it('a mutation the agreement does not grant: 403 FORBIDDEN, DENIED, with the caller and its purpose', async () => {
    const { status, lines } = await send({
      headers: await t.headersAs(ANALYST),
      body: { query: 'mutation Go { triggerSync(system: TRANSPORT, stream: "vehicles") { alreadyRunning } }' },
    });
    expect(status).toBe(403);
    expect(lines).toEqual([
      expect.objectContaining({
        status: 403,
        code: 'FORBIDDEN',
        outcome: 'DENIED',
        agency: 'suzhou-transport',
        roles: ['analyst'],
        purpose: 'statistics',
        operationName: 'Go',
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
        records: 0,
      }),
    ]);
  });

  it('a declared purpose no agreement names is not repeated: the client chose its text', async () => {
    const { status, lines } = await send({ headers: await t.headersAs({ ...ALL_SEEING_OFFICER, purpose: 'curiosity' }), body: { query: VEHICLES } });
    expect(status).toBe(403);
    expect(lines).toEqual([expect.objectContaining({ purpose: '(not agreed)', code: 'PURPOSE_NOT_PERMITTED', agency: 'suzhou-transport' })]);
    expect(JSON.stringify(lines)).not.toContain('curiosity');
  });

  it('refusals at the edge: a body that is not JSON, a GraphQL syntax error, an oversized body', async () => {
    const headers = await t.headersAs(ALL_SEEING_OFFICER);
    const notJson = await send({ headers, body: '{"query": ' });
    expect(notJson.lines).toEqual([expect.objectContaining({ status: 400, code: 'BAD_REQUEST', agency: 'suzhou-transport' })]);
    const syntax = await send({ headers, body: { query: '{ vehicles(' } });
    expect(syntax.lines).toEqual([expect.objectContaining({ status: 400, code: 'GRAPHQL_PARSE_FAILED', outcome: 'ERROR', signature: null })]);
    const oversized = await send({ headers, body: { query: `{ __typename }${' '.repeat(1_100_000)}` } });
    expect(oversized.lines).toEqual([expect.objectContaining({ status: 413, code: 'PAYLOAD_TOO_LARGE' })]);
  });

  it("over an agreement's rate limit: 429 with the limit's code and the caller", async () => {
    const headers = await Promise.all(Array.from({ length: 150 }, () => t.headersAs(SHANGHAI)));
    const sent = await Promise.all(headers.map((h) => send({ headers: h, body: { query: '{ myAccess { agency } }' } })));
    const refused = sent.filter((r) => r.status === 429);
    // A bucket of 40 refilled at 20 a second cannot take 150 requests unless sending them took over 5 s.
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.lines).toEqual([expect.objectContaining({ status: 429, code: 'QUERY_LIMIT_EXCEEDED', agency: 'shanghai-transport', roles: ['officer'] })]);
    }
    for (const r of sent.filter((s) => s.status === 200)) expect(r.lines).toEqual([expect.objectContaining({ status: 200, outcome: 'OK' })]);
  });

  it('probes are logged at debug; a path the hub does not serve is not repeated', async () => {
    const health = await send({ path: '/health', method: 'GET' });
    expect(health.lines).toEqual([expect.objectContaining({ level: 'debug', path: '/health', status: 200, agency: null })]);
    const scrape = await send({ path: '/metrics', method: 'GET' });
    expect(scrape.lines).toEqual([expect.objectContaining({ level: 'debug', path: '/metrics', status: scrape.status })]);
    const unknown = await send({ path: '/vehicles/%E8%8B%8FE12345', method: 'GET' });
    expect(unknown.status).toBe(404);
    expect(unknown.lines).toEqual([expect.objectContaining({ level: 'info', path: null, status: 404 })]);
  });
});
