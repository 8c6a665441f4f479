import type http from 'node:http';
import { metricsRoute } from '../../src/http/metrics-route';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { sampleOf, scrape } from '../support/prometheus-scrape';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/** A token as an operator would configure it (METRICS_TOKEN). */
const METRICS_TOKEN = 'prometheus-scrapes-with-this-token';
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const REQUESTS = 'xietong_graphql_request_duration_seconds_count';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('metrics_requests', { env: { METRICS_TOKEN } });
});
afterAll(async () => {
  await t?.close();
});

const metrics = async () => {
  const result = await scrape(t.hub.url, METRICS_TOKEN);
  expect(result.status).toBe(200);
  return result.text;
};

/** The signature the audit recorded for the latest request: the label must be the same. */
const lastAuditedSignature = async () =>
  (await t.hub.db.pool.query<{ signature: string }>("select content->>'operationSignature' as signature from audit_event order by seq desc limit 1")).rows[0]
    .signature;

describe('request metrics', () => {
  it('count a GraphQL request once, under its signature (as audited), its agency and OK, with its latency', async () => {
    const before = await metrics();
    const result = await execute(t.hub.graphqlUrl, '{ vehicles(first: 2) { totalCount } }');
    expect(result.errors).toBeUndefined();
    const signature = await lastAuditedSignature();
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const labels = { signature, agency: 'suzhou-transport', outcome: 'OK' };
    const after = await metrics();
    expect(sampleOf(after, REQUESTS, labels)).toBe((sampleOf(before, REQUESTS, labels) ?? 0) + 1);
    expect(sampleOf(after, 'xietong_graphql_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(sampleOf(after, REQUESTS, labels));
    expect(sampleOf(after, 'xietong_graphql_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    // The same shape with other literal values is the same series.
    await execute(t.hub.graphqlUrl, '{ vehicles(first: 3) { totalCount } }');
    expect(sampleOf(await metrics(), REQUESTS, labels)).toBe((sampleOf(before, REQUESTS, labels) ?? 0) + 2);
  });

  it('count a query compiled once however often its text is sent, and a new text again', async () => {
    const compiled = async () => sampleOf(await metrics(), 'xietong_graphql_compilations_total', { outcome: 'compiled' }) ?? 0;
    const before = await compiled();
    for (let i = 0; i < 3; i += 1)
      expect((await execute(t.hub.graphqlUrl, 'query Compiled { vehicles(first: 2) { edges { node { plateNumber } } } }')).errors).toBeUndefined();
    expect(await compiled()).toBe(before + 1);
    await execute(t.hub.graphqlUrl, 'query Compiled { vehicles(first: 1) { edges { node { plateNumber } } } }');
    expect(await compiled()).toBe(before + 2);
  });

  it('count an answer whose audit event could not be written as AUDIT_UNAVAILABLE, not as the answer it replaced', async () => {
    const document = '{ vehicles(first: 4) { totalCount } }';
    expect((await execute(t.hub.graphqlUrl, document)).errors).toBeUndefined();
    const labels = { signature: await lastAuditedSignature(), agency: 'suzhou-transport', outcome: 'AUDIT_UNAVAILABLE' };
    const before = sampleOf(await metrics(), REQUESTS, labels) ?? 0;
    const owner = ownerPool(t.hub.db.url);
    await owner.query('alter table audit_event rename to audit_event_off');
    try {
      expect((await execute(t.hub.graphqlUrl, document)).status).toBe(503);
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
      await owner.end();
    }
    expect(sampleOf(await metrics(), REQUESTS, labels)).toBe(before + 1);
  });

  it('count a request refused before execution under its refusal code', async () => {
    const labelsOf = (signature: string) => ({ signature, agency: 'suzhou-transport', outcome: 'FORBIDDEN' });
    const result = await execute(
      t.hub.graphqlUrl,
      'mutation { triggerSync(system: TRANSPORT, stream: "vehicles") { alreadyRunning } }',
      {},
      await t.headersAs(ANALYST),
    );
    expect(result.status).toBe(403);
    const signature = await lastAuditedSignature();
    expect(sampleOf(await metrics(), REQUESTS, labelsOf(signature))).toBe(1);
  });

  it('count requests the edge refuses, with no agency or signature before the caller is known', async () => {
    const unauthenticated = { signature: 'none', agency: 'none', outcome: 'UNAUTHENTICATED' };
    const badJson = { signature: 'none', agency: 'suzhou-transport', outcome: 'BAD_REQUEST' };
    const before = await metrics();
    expect((await execute(t.hub.graphqlUrl, '{ vehicles(first: 1) { totalCount } }', {}, { authorization: '' })).status).toBe(401);
    const garbled = await fetch(t.hub.graphqlUrl, {
      method: 'POST',
      headers: { ...(await t.headersAs(ANALYST)), 'content-type': 'application/json' },
      body: '{',
    });
    expect(garbled.status).toBe(400);
    const after = await metrics();
    expect(sampleOf(after, REQUESTS, unauthenticated)).toBe((sampleOf(before, REQUESTS, unauthenticated) ?? 0) + 1);
    expect(sampleOf(after, REQUESTS, badJson)).toBe((sampleOf(before, REQUESTS, badJson) ?? 0) + 1);
  });

  it('count token verifications by result', async () => {
    const ok = { result: 'OK' };
    const missing = { result: 'MISSING_TOKEN' };
    const malformed = { result: 'MALFORMED_TOKEN' };
    const before = await metrics();
    await execute(t.hub.graphqlUrl, '{ vehicles(first: 1) { totalCount } }');
    await execute(t.hub.graphqlUrl, '{ vehicles(first: 1) { totalCount } }', {}, { authorization: '' });
    await execute(t.hub.graphqlUrl, '{ vehicles(first: 1) { totalCount } }', {}, { authorization: 'Bearer not.a.jwt' });
    const after = await metrics();
    const delta = (labels: Record<string, string>) =>
      (sampleOf(after, 'xietong_token_verifications_total', labels) ?? 0) - (sampleOf(before, 'xietong_token_verifications_total', labels) ?? 0);
    expect([delta(ok), delta(missing), delta(malformed)]).toEqual([1, 1, 1]);
  });

  it('time every audit append', async () => {
    const before = sampleOf(await metrics(), 'xietong_audit_append_duration_seconds_count', { outcome: 'ok' }) ?? 0;
    await execute(t.hub.graphqlUrl, '{ vehicles(first: 1) { totalCount } }');
    expect(sampleOf(await metrics(), 'xietong_audit_append_duration_seconds_count', { outcome: 'ok' })).toBe(before + 1);
  });

  it('never carry a personal value asked for: literals are blanked in the signature, arguments are not labels', async () => {
    const vehicle = t.world.vehicles[0];
    const result = await execute(
      t.hub.graphqlUrl,
      `{ vehicle(plateNumber: "${vehicle.plateNumber}", plateColor: ${vehicle.plateColor}) { plateNumber } }`,
      {},
      await t.headersAs(ANALYST),
    );
    expect(result.status).toBeLessThan(500);
    const text = await metrics();
    expect(text).toContain(await lastAuditedSignature());
    expect(text).not.toContain(vehicle.plateNumber);
  });

  it('show the database pools', async () => {
    const text = await metrics();
    for (const pool of ['hub', 'read']) {
      expect(sampleOf(text, 'xietong_db_pool_connections', { pool, state: 'in_use' })).toBeGreaterThanOrEqual(0);
      expect(sampleOf(text, 'xietong_db_pool_connections', { pool, state: 'idle' })).toBeGreaterThanOrEqual(0);
      expect(sampleOf(text, 'xietong_db_pool_waiting', { pool })).toBe(0);
    }
  });
});

describe('/metrics with METRICS_TOKEN set', () => {
  it('answers the configured bearer token with the exposition format', async () => {
    const result = await scrape(t.hub.url, METRICS_TOKEN);
    expect(result.status).toBe(200);
    expect(result.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(result.text).toContain('# TYPE xietong_graphql_request_duration_seconds histogram');
  });

  it.each([
    ['no token, even from this machine', undefined, 'MISSING_TOKEN'],
    ['another token', 'prometheus-scrapes-with-this-tokeN', 'WRONG_TOKEN'],
    ['a prefix of the token', METRICS_TOKEN.slice(0, -1), 'WRONG_TOKEN'],
  ])('refuses %s with 401 and the reason', async (_case, token, reason) => {
    const result = await scrape(t.hub.url, token);
    expect(result.status).toBe(401);
    expect(JSON.parse(result.text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }] });
    expect(result.text).not.toContain('xietong_');
  });

  it('refuses anything but GET', async () => {
    const response = await fetch(`${t.hub.url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('counts refused scrapes in the audit, per source and reason, like refused tokens', async () => {
    await scrape(t.hub.url, 'not-the-configured-token');
    await t.hub.flushRefusalCounts();
    const { rows } = await t.hub.db.pool.query<{ refusal: string }>("select content->>'refusal' as refusal from audit_event order by seq desc limit 5");
    expect(rows.map((r) => r.refusal)).toContain('UNAUTHENTICATED:metrics:WRONG_TOKEN');
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  const exposition = { contentType: 'text/plain', scrape: async () => 'xietong_up 1\n' };

  /** What the route answers a request from `remoteAddress`: status and body. */
  async function answerTo(remoteAddress: string, authorization?: string, relayed: Record<string, string> = {}, host = 'localhost:4000') {
    const refused: string[] = [];
    const route = metricsRoute({ token: null, metrics: exposition, onRefused: (reason, source) => refused.push(`${reason} from ${source}`) });
    const answer = { status: 0, body: '', refused };
    const req = {
      method: 'GET',
      headers: { host, ...(authorization ? { authorization } : {}), ...relayed },
      socket: { remoteAddress },
    } as unknown as http.IncomingMessage;
    const res = {
      writeHead: (status: number) => ((answer.status = status), res),
      end: (body: string) => void (answer.body = body),
    } as unknown as http.ServerResponse;
    expect(await route(req, res, new URL('http://hub.invalid/metrics'))).toBe(true);
    return answer;
  }

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('answers this machine (%s)', async (address) => {
    expect(await answerTo(address)).toEqual({ status: 200, body: 'xietong_up 1\n', refused: [] });
  });

  it('refuses a loopback request to a name that is not local (DNS rebinding)', async () => {
    const answer = await answerTo('127.0.0.1', undefined, {}, 'attacker.example:4000');
    expect(answer.status).toBe(403);
    expect(answer.refused).toEqual(['metrics:LOOPBACK_ONLY from 127.0.0.1']);
  });

  it.each([
    ['x-forwarded-for', '198.51.100.4'],
    ['forwarded', 'for=198.51.100.4;proto=https'],
    ['x-real-ip', '198.51.100.4'],
    ['via', '1.1 nginx'],
  ])('refuses a loopback request a local reverse proxy relayed (%s)', async (header, value) => {
    const answer = await answerTo('127.0.0.1', undefined, { [header]: value });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('xietong_up');
    expect(answer.refused).toEqual(['metrics:LOOPBACK_ONLY from 127.0.0.1']);
  });

  it('refuses any other address with 403, a token or not, and counts the refusal', async () => {
    for (const authorization of [undefined, `Bearer ${METRICS_TOKEN}`]) {
      const answer = await answerTo('192.0.2.7', authorization);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({
        errors: [{ message: expect.stringMatching(/METRICS_TOKEN/), extensions: { code: 'FORBIDDEN', reason: 'LOOPBACK_ONLY' } }],
      });
      expect(answer.refused).toEqual(['metrics:LOOPBACK_ONLY from 192.0.2.7']);
    }
  });
});
