import http from 'node:http';
import type { Pool, PoolClient } from 'pg';
import { startHub, type Hub } from '../../src/app';
import { sourceOf } from '../../src/http/public-inspections-route';
import { loadConfig } from '../../src/config';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestHub } from '../support/test-hub';
import { testLogger } from '../support/test-logger';

/**
 * The unauthenticated /public pages bound their own load, since nobody signs in: a rate per source
 * address, a total rate that every instance draws on (two instances do not double it), a few
 * requests at once per instance (the rest refused with 503 and Retry-After, not queued), and one
 * page per public GraphQL request however it is aliased or fragmented.
 */

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { errors?: Array<{ message: string; extensions: { code: string } }>; data?: unknown };
}

/** A request from `address` (any 127.x.y.z reaches the hub on loopback), so that tests stand for distinct callers. */
function request(base: string, address: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      new URL(path, base),
      {
        method: payload ? 'POST' : 'GET',
        localAddress: address,
        agent: false,
        headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

let t: TestHub;
let owner: Pool;
const others: Hub[] = [];

beforeAll(async () => {
  t = await startTestHub('public_limits', { size: 0.005, env: { PUBLIC_MAX_CONCURRENT: '1' } });
  owner = ownerPool(t.hub.db.url);
});
afterAll(async () => {
  for (const hub of others) await hub.close();
  await owner?.end();
  await t?.close();
});

const graphql = (address: string, query: string) => request(t.hub.url, address, '/public/graphql', { query });

test('an address is limited as itself, an IPv6 one by its /64 (one network hands out as many as it likes)', () => {
  expect(sourceOf('127.0.0.1')).toBe('127.0.0.1');
  expect(sourceOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
  expect(sourceOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
  expect(sourceOf('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
  expect(sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(sourceOf('2001:0db8:0001:0002:ffff::')).toBe('2001:db8:1:2::/64');
  expect(sourceOf(undefined)).toBe('unknown');
});

describe('the public pages', () => {
  it('answer one page per GraphQL request: aliases, fragments and several operations asking for more are refused before anything runs', async () => {
    const one = await graphql('127.0.0.11', '{ __typename inspectionResults(first: 1) { cursor } }');
    expect(one.status).toBe(200);
    expect(one.body.errors).toBeUndefined();
    for (const query of [
      '{ a: inspectionResults(first: 100) { cursor } b: inspectionResults(first: 100) { cursor } }',
      '{ inspectionResults(first: 1) { cursor } ...more } fragment more on Query { again: inspectionResults(first: 100) { cursor } }',
      '{ ... on Query { a: inspectionResults { cursor } } ... on Query { b: inspectionResults { cursor } } }',
      'query A { inspectionResults { cursor } } query B { inspectionResults { cursor } }',
    ]) {
      const refused = await graphql('127.0.0.12', query);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0].extensions.code).toBe('QUERY_LIMIT_EXCEEDED');
    }
  });

  it('serve a few requests at once per instance and refuse the rest with 503 and Retry-After, never queueing without bound', async () => {
    // The results table locked: the one request let in waits on it, holding the only public slot.
    const locker: PoolClient = await owner.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table inspection_result in access exclusive mode');
      const held = request(t.hub.url, '127.0.0.21', '/public/inspections');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const crowd = await Promise.all(Array.from({ length: 6 }, (_, i) => request(t.hub.url, `127.0.0.${30 + i}`, '/public/inspections')));
      // Four may wait their second for the slot; the rest are refused at once.
      expect(crowd.map((a) => a.status)).toEqual(Array(6).fill(503));
      expect(crowd.every((a) => a.retryAfter === '1' && a.body.errors?.[0].extensions.code === 'SERVICE_UNAVAILABLE')).toBe(true);
      expect(Date.now() - started).toBeLessThan(4_000);
      await locker.query('rollback');
      expect((await held).status).toBe(200);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      locker.release();
    }
    // The slot is back once the held request is answered.
    expect((await request(t.hub.url, '127.0.0.40', '/public/inspections')).status).toBe(200);
  });

  it('hold a rate per address and a total rate shared by every instance', async () => {
    const env = {
      DATABASE_URL: t.hub.db.url,
      PORT: '0',
      LOG_LEVEL: 'error',
      PUBLIC_RATE_PER_SECOND: '1',
      PUBLIC_RATE_BURST: '2',
      PUBLIC_RATE_TOTAL_PER_SECOND: '1',
      PUBLIC_RATE_TOTAL_BURST: '4',
    };
    for (let i = 0; i < 2; i += 1) others.push(await startHub(loadConfig(env), testLogger().logger, t.hub.db));
    const [a, b] = others;
    const started = Date.now();
    // One address: its own burst of 2, then refused; its refusal spends nothing of the total.
    const mine = [];
    for (let i = 0; i < 3; i += 1) mine.push(await request(a.url, '127.0.0.51', '/public/inspections'));
    // Other addresses, alternating between the two instances: the total's burst of 4 holds across both.
    const theirs = await Promise.all(Array.from({ length: 8 }, (_, i) => request(i % 2 ? b.url : a.url, `127.0.0.${60 + i}`, '/public/inspections')));
    const refilled = Math.floor((Date.now() - started) / 1000);

    const served = (answers: Answer[]) => answers.filter((x) => x.status === 200).length;
    expect(served(mine)).toBeLessThanOrEqual(2 + refilled);
    expect(mine[0].status).toBe(200);
    expect(served(mine) + served(theirs)).toBeGreaterThanOrEqual(4);
    expect(served(mine) + served(theirs)).toBeLessThanOrEqual(4 + refilled);
    const refused = [...mine, ...theirs].filter((x) => x.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const x of refused) {
      expect(x.status).toBe(429);
      expect(Number(x.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(x.body.errors?.[0].extensions.code).toBe('QUERY_LIMIT_EXCEEDED');
    }
  });
});
