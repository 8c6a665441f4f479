import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { decodeJwt } from 'jose';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { AccessPolicy } from '../../src/access/access-grant';
import { parseAgreements } from '../../src/access/agreements';
import { queueBoardGrant } from '../../src/access/queue-board-grant';
import { loadAgencies } from '../../src/access/agreements';
import type { AuditEventContent } from '../../src/audit';
import { revokeTokens } from '../../src/auth';
import { loadConfig, projectRoot } from '../../src/config';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { queueBackend, type QueueBackend } from '../../src/sync/queue-backend';
import { queueNameOf } from '../../src/sync/sync-job';
import { COMMITTED_AGENCIES } from '../support/committed-agencies';
import { ownerPool } from '../support/owner-pool';
import { agreementsWithQueueOperator, failedJob, QUEUE_OPERATOR } from '../support/queue-operator';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * The queue dashboard (`/admin/queues`): Bull Board over the sync queues, on both queue backends,
 * for the callers whose agreement grants `triggerSync`, read-only unless it grants queue actions,
 * every request audited. The committed file's administrators look only; a role this test's
 * agreements file adds may retry.
 */
const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'] };
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'] };
const QUEUES = Object.values(SourceSystem).map(queueNameOf).sort();
const TRANSPORT = queueNameOf(SourceSystem.TRANSPORT);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-queue-board-'));
const agreementsFile = agreementsWithQueueOperator(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const tokenOf = async (t: TestHub, caller: TestCaller) => (await t.headersAs(caller)).authorization.slice('Bearer '.length);

/** Signs in as a browser would (the form on the dashboard's own page); the session's cookies, or the refusal. */
async function signIn(t: TestHub, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.hub.url}/admin/queues/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.hub.url, 'sec-fetch-site': 'same-origin', ...headers },
    body: new URLSearchParams({ token }).toString(),
  });
  const setCookies = response.headers.getSetCookie();
  const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
  const csrf = /XSRF-TOKEN=([^;]*)/.exec(cookie)?.[1] ?? '';
  return { response, setCookies, cookie, csrf };
}

async function boardEvents(t: TestHub, afterSeq: number): Promise<AuditEventContent[]> {
  const { rows } = await t.hub.db.pool.query<{ content: AuditEventContent }>(
    "select content from audit_event where seq > $1 and content->>'operationName' like 'queueBoard %' order by seq",
    [afterSeq],
  );
  return rows.map((r) => r.content);
}

const lastSeq = async (t: TestHub) => Number((await t.hub.db.pool.query<{ s: string }>('select coalesce(max(seq), 0) as s from audit_event')).rows[0].s);

describe.each(kinds)('queue dashboard on the %s backend', (kind) => {
  const prefix = `xt_board_${process.pid}_${kind}`;
  let t: TestHub;
  let backend: QueueBackend;
  let transport: Queue;

  beforeAll(async () => {
    t = await startTestHub(`queue_board_${kind}`, {
      env: { AGREEMENTS_FILE: agreementsFile, QUEUE_PREFIX: prefix, ...(kind === 'redis' ? { REDIS_URL: redisUrl! } : {}) },
    });
    // The same queues the hub shows: its store, its prefix.
    backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, t.hub.db.url, prefix);
    transport = backend.createQueue(TRANSPORT) as unknown as Queue;
  });
  afterAll(async () => {
    await transport?.close();
    await t?.close();
    // What the dashboard's queues left in a shared Redis (PostgreSQL's go with the test's database).
    for (const name of backend ? QUEUES : []) {
      const queue = backend.createQueue(name);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });

  const api = (pathAndQuery: string, init: RequestInit = {}) => fetch(`${t.hub.url}/admin/queues${pathAndQuery}`, { redirect: 'manual', ...init });

  it('shows the administrator every sync queue, read-only, and audits the read (who, which queue)', async () => {
    const before = await lastSeq(t);
    const response = await api(`/api/queues?activeQueue=${TRANSPORT}&status=latest&page=1&jobsPerPage=10`, {
      headers: { authorization: `Bearer ${await tokenOf(t, ADMIN)}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(QUEUES);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    const [event, ...more] = await boardEvents(t, before);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      agency: 'suzhou-transport',
      roles: ['administrator'],
      agreement: 'SZJT-2026-03',
      operationName: 'queueBoard GET /api/queues',
      variables: { queue: TRANSPORT, status: 'latest', page: '1' },
      outcome: 'OK',
      tokenId: expect.any(String),
    });
  });

  it('reports the store the queues live in', async () => {
    const response = await api('/api/redis/stats', { headers: { authorization: `Bearer ${await tokenOf(t, ADMIN)}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ backend: kind === 'redis' ? 'redis' : 'postgres' });
  });

  it('refuses a caller whose agreement does not grant triggerSync (403, audited) and one without a valid token (401)', async () => {
    const before = await lastSeq(t);
    const analyst = await api('/api/queues', { headers: { authorization: `Bearer ${await tokenOf(t, ANALYST)}` } });
    expect(analyst.status).toBe(403);
    expect(await analyst.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Mutation.triggerSync') });
    expect(await boardEvents(t, before)).toEqual([
      expect.objectContaining({ roles: ['analyst'], agreement: null, outcome: 'DENIED', refusal: 'FORBIDDEN', operationName: 'queueBoard GET /api/queues' }),
    ]);
    expect((await api('/api/queues')).status).toBe(401);
    expect((await api('/api/queues', { headers: { authorization: 'Bearer a.b.c' } })).status).toBe(401);
    const forged = await api('/api/queues', { headers: { cookie: 'xietong_queue_board=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } });
    expect(forged.status).toBe(401);
    // The page, for a browser without a session: the sign-in form; its assets are not served either.
    const page = await api('/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/queues/sign-in');
    expect((await api('/static/images/logo.svg')).status).toBe(401);
    expect(await boardEvents(t, before)).toHaveLength(1);
  });

  it('signs a browser in with an access token: an HttpOnly, SameSite=Strict cookie of the dashboard, living as long as the token', async () => {
    const token = await tokenOf(t, ADMIN);
    const { response, setCookies, cookie } = await signIn(t, token);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/queues/');
    const session = setCookies.find((c) => c.startsWith('xietong_queue_board='))!;
    expect(session).toContain(`xietong_queue_board=${token}`);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\/admin\/queues(;|$)/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(session)![1]);
    const left = decodeJwt(token).exp! - Date.now() / 1000;
    expect(Math.abs(maxAge - left)).toBeLessThan(60);
    // The page and its assets, from the installed UI package, under a policy that loads nothing else.
    const page = await api('/', { headers: { accept: 'text/html', cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    expect(html).not.toMatch(/(href|src)="(https?:)?\/\//);
    const script = /src="(static\/js\/main\.[^"]+)"/.exec(html)![1];
    const asset = await api(`/${script}`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await api('/static/..%2F..%2Fpackage.json', { headers: { cookie } })).status).toBe(404);
    const queues = await api('/api/queues', { headers: { cookie } });
    expect(queues.status).toBe(200);
  });

  it('refuses to sign in a caller not granted the dashboard, a bad token, and a form posted from another site', async () => {
    const analyst = await signIn(t, await tokenOf(t, ANALYST));
    expect(analyst.response.status).toBe(403);
    expect(analyst.setCookies).toEqual([]);
    const bad = await signIn(t, 'x.y.z');
    expect(bad.response.status).toBe(401);
    expect(bad.setCookies).toEqual([]);
    const crossSite = await signIn(t, await tokenOf(t, ADMIN), { origin: 'http://elsewhere.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.response.status).toBe(403);
    expect(crossSite.setCookies).toEqual([]);
  });

  it('honours a revocation at once: the session of a revoked token is refused', async () => {
    const token = await tokenOf(t, ADMIN);
    const { cookie } = await signIn(t, token);
    expect((await api('/api/queues', { headers: { cookie } })).status).toBe(200);
    await revokeTokens(t.hub.db.pool, loadAgencies(agreementsFile), { jti: decodeJwt(token).jti! }, 'queue-board-test', async () => undefined);
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api('/api/queues', { headers: { cookie } })).status;
    }
    expect(status).toBe(401);
  });

  it('shows only the sync keys of a job, whatever else it carries', async () => {
    const job = await transport.add('sync', { system: 'TRANSPORT', stream: 'vehicles', mode: 'FULL', runId: 7, plate: '苏E12345' } as never);
    const response = await api(`/api/queues/${TRANSPORT}/${job.id}`, { headers: { authorization: `Bearer ${await tokenOf(t, ADMIN)}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('苏E12345');
    expect((JSON.parse(text) as { job: { data: unknown } }).job.data).toEqual({ system: 'TRANSPORT', stream: 'vehicles', mode: 'FULL', runId: 7 });
    await job.remove();
  });

  it("shows a failed job's reason scrubbed of what it quotes, and no stack", async () => {
    const jobId = await failedJob(
      backend,
      transport,
      { system: 'TRANSPORT', stream: 'vehicles', mode: 'INCREMENTAL' },
      'invalid input: "苏E54321" for 320505198001011234',
    );
    const auth = { headers: { authorization: `Bearer ${await tokenOf(t, ADMIN)}` } };
    const one = await (await api(`/api/queues/${TRANSPORT}/${jobId}`, auth)).text();
    const listed = await (await api(`/api/queues?activeQueue=${TRANSPORT}&status=failed&page=1`, auth)).text();
    for (const text of [one, listed]) {
      expect(text).toContain('invalid input');
      expect(text).not.toContain('苏E54321');
      expect(text).not.toContain('320505198001011234');
    }
    expect((JSON.parse(one) as { job: { stacktrace: unknown[] } }).job.stacktrace).toEqual([]);
    await transport.remove(jobId);
  });

  it('refuses an action to the read-only administrator, audited, and changes nothing', async () => {
    const jobId = await failedJob(backend, transport, { system: 'TRANSPORT', stream: 'vehicles', mode: 'INCREMENTAL' });
    const before = await lastSeq(t);
    const response = await api(`/api/queues/${TRANSPORT}/${jobId}/retry`, { method: 'PUT', headers: { authorization: `Bearer ${await tokenOf(t, ADMIN)}` } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('does not grant the queue action "retry"') });
    expect(await transport.getJobState(jobId)).toBe('failed');
    expect(await boardEvents(t, before)).toEqual([
      expect.objectContaining({
        operationName: 'queueBoard PUT /api/queues/:queueName/:jobId/retry',
        variables: { queue: TRANSPORT, jobId },
        outcome: 'DENIED',
        refusal: 'FORBIDDEN',
      }),
    ]);
  });

  it('retries a failed job for a caller whose agreement grants retry: audited before and with its effect', async () => {
    const jobId = await failedJob(backend, transport, { system: 'TRANSPORT', stream: 'vehicles', mode: 'INCREMENTAL' });
    const { cookie, csrf } = await signIn(t, await tokenOf(t, QUEUE_OPERATOR));
    const listed = (await (await api('/api/queues', { headers: { cookie } })).json()) as { queues: Array<{ readOnlyMode: boolean }> };
    expect(listed.queues.every((q) => !q.readOnlyMode)).toBe(true);
    const retry = (headers: Record<string, string>) => api(`/api/queues/${TRANSPORT}/${jobId}/retry`, { method: 'PUT', headers: { cookie, ...headers } });
    const before = await lastSeq(t);
    // A session's action must carry its CSRF token and come from the dashboard's own page.
    expect((await retry({ origin: t.hub.url })).status).toBe(403);
    expect((await retry({ origin: 'http://elsewhere.example', 'x-xsrf-token': csrf })).status).toBe(403);
    expect(await transport.getJobState(jobId)).toBe('failed');
    const done = await retry({ origin: t.hub.url, 'sec-fetch-site': 'same-origin', 'x-xsrf-token': csrf });
    expect(done.status).toBe(204);
    expect(await transport.getJobState(jobId)).toBe('waiting');
    const events = await boardEvents(t, before);
    expect(events.map((e) => [e.outcome, e.variables.effect ?? null])).toEqual([
      ['DENIED', null],
      ['DENIED', null],
      ['OK', 'REQUESTED'],
      ['OK', 'MADE'],
    ]);
    expect(events[3]).toMatchObject({
      roles: ['queue-operator'],
      agreement: 'T-QUEUE-OPS',
      operationName: 'queueBoard PUT /api/queues/:queueName/:jobId/retry',
      variables: { queue: TRANSPORT, jobId, action: 'retry', effect: 'MADE' },
    });
    await transport.remove(jobId);
  });

  it('does nothing, and answers nothing, that it cannot audit', async () => {
    const jobId = await failedJob(backend, transport, { system: 'TRANSPORT', stream: 'vehicles', mode: 'INCREMENTAL' });
    const [admin, operator] = [`Bearer ${await tokenOf(t, ADMIN)}`, `Bearer ${await tokenOf(t, QUEUE_OPERATOR)}`];
    // The tables' owner renames the audit table away: the hub's role cannot write an event.
    const owner = ownerPool(t.hub.db.url);
    await owner.query('alter table audit_event rename to audit_event_off');
    try {
      const read = await api('/api/queues', { headers: { authorization: admin } });
      expect(read.status).toBe(503);
      expect(await read.json()).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
      const retry = await api(`/api/queues/${TRANSPORT}/${jobId}/retry`, { method: 'PUT', headers: { authorization: operator } });
      expect(retry.status).toBe(503);
      expect(await retry.json()).toMatchObject({ code: 'AUDIT_UNAVAILABLE', message: expect.stringContaining('nothing was changed') });
      expect(await transport.getJobState(jobId)).toBe('failed');
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
      await owner.end();
    }
    await transport.remove(jobId);
  });

  it('refuses what the grant does not name, and what no grant can (editing jobs, obliterating a queue)', async () => {
    const authorization = `Bearer ${await tokenOf(t, QUEUE_OPERATOR)}`;
    const before = await lastSeq(t);
    expect((await api(`/api/queues/${TRANSPORT}/clean/failed`, { method: 'PUT', headers: { authorization } })).status).toBe(403);
    expect((await api(`/api/queues/${TRANSPORT}/pause`, { method: 'PUT', headers: { authorization } })).status).toBe(403);
    const obliterate = await api(`/api/queues/${TRANSPORT}/obliterate`, {
      method: 'PUT',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ force: true }),
    });
    expect(obliterate.status).toBe(403);
    expect(await obliterate.json()).toMatchObject({ message: expect.stringContaining('does not offer') });
    const add = await api(`/api/queues/${TRANSPORT}/add`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sync', data: {} }),
    });
    expect(add.status).toBe(403);
    expect(await transport.isPaused()).toBe(false);
    expect((await boardEvents(t, before)).map((e) => e.outcome)).toEqual(['DENIED', 'DENIED', 'DENIED', 'DENIED']);
  });
});

describe('the dashboard grant in the agreements file', () => {
  let schema: Awaited<ReturnType<typeof buildHubSchema>>;
  beforeAll(async () => {
    schema = await buildHubSchema(HUB_PARTS);
  });
  const agreement = (extra: Record<string, unknown>, fields: Record<string, Record<string, string>> = { Mutation: { triggerSync: 'full' } }) => ({
    id: 'Q',
    title: 'q',
    consumer: { agency: 'suzhou-transport', roles: ['administrator'] },
    legalBasis: 'b',
    purposes: ['hub-operations'],
    validFrom: '2026-01-01T00:00:00+08:00',
    validUntil: '2030-01-01T00:00:00+08:00',
    introspection: false,
    fields,
    ...extra,
  });
  const parse = (entries: unknown[]) =>
    parseAgreements(
      { purposes: ['hub-operations'], agencies: COMMITTED_AGENCIES, agreements: entries },
      schema,
      undefined,
      path.join(projectRoot, 'schema', 'policy'),
    );
  const viewer = { agency: 'suzhou-transport', subject: 's', roles: ['administrator'], divisions: [] };

  it('grants no queue action unless named, and only known ones where triggerSync is granted', () => {
    expect([...parse([agreement({})])[0].queueActions]).toEqual([]);
    expect([...parse([agreement({ queueActions: ['retry', 'pause'] })])[0].queueActions]).toEqual(['retry', 'pause']);
    expect(() => parse([agreement({ queueActions: ['obliterate'] })])).toThrow(/agreement Q.queueActions: unknown obliterate/);
    expect(() => parse([agreement({ queueActions: ['retry'] }, { Query: { connectors: 'full' } })])).toThrow(/comes with Mutation.triggerSync/);
  });

  it("opens the dashboard under the caller's agreement that grants triggerSync, in force", () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const grant = queueBoardGrant(new AccessPolicy(parse([agreement({ queueActions: ['retry'] })])), viewer, now);
    expect(grant.agreement.id).toBe('Q');
    expect([...grant.actions]).toEqual(['retry']);
    const refusal = (agreements: unknown[], at = now) => {
      try {
        queueBoardGrant(new AccessPolicy(parse(agreements)), viewer, at);
      } catch (error) {
        return (error as { code: string }).code;
      }
      return null;
    };
    expect(refusal([agreement({}, { Query: { connectors: 'full' } })])).toBe('FORBIDDEN');
    expect(refusal([agreement({})], new Date('2031-01-01T00:00:00Z'))).toBe('AGREEMENT_EXPIRED');
    expect(refusal([])).toBe('NO_AGREEMENT');
  });
});
