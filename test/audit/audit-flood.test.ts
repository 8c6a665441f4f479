import type { Pool } from 'pg';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * The audit chain cannot be flooded or bloated: requests refused before authentication are
 * counted per source address and reason (one event per minute each, with the count), and a
 * request that tries to store its own text in an event is refused before it runs, leaving at
 * most one small event.
 */

const OFFICER: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['3205'], purpose: 'case-investigation' };

let t: TestHub;
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('audit_flood');
  owner = ownerPool(t.hub.db.url);
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const lastSeq = async () => Number((await owner.query<{ seq: string | null }>('select max(seq) as seq from audit_event')).rows[0].seq ?? 0);
const eventsAfter = async (seq: number) =>
  (
    await owner.query<{ content: Record<string, unknown>; size: number }>(
      'select content, length(content::text) as size from audit_event where seq > $1 order by seq',
      [seq],
    )
  ).rows;

async function postAs(body: string, headers: Record<string, string>): Promise<{ status: number; raw: string }> {
  const response = await fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body,
  });
  return { status: response.status, raw: await response.text() };
}

describe('requests refused before authentication are counted, not chained one by one', () => {
  it('500 token-less or bad-token requests leave a handful of events whose counts sum to 500', async () => {
    await t.hub.flushRefusalCounts();
    const before = await lastSeq();
    const body = JSON.stringify({ query: '{ __typename }' });
    for (let batch = 0; batch < 25; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postAs(body, (batch * 20 + i) % 2 ? { authorization: 'Bearer not.a.token' } : {})),
      );
      expect(replies.every((r) => r.status === 401)).toBe(true);
    }
    // Nothing is chained per request while they arrive.
    expect(await eventsAfter(before)).toHaveLength(0);
    await t.hub.flushRefusalCounts();
    const events = await eventsAfter(before);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(4);
    const refused = events.map((e) => e.content.refused as { source: string; count: number });
    expect(refused.reduce((sum, r) => sum + r.count, 0)).toBe(500);
    expect(events.map((e) => e.content.refusal).sort()).toEqual(['UNAUTHENTICATED:MALFORMED_TOKEN', 'UNAUTHENTICATED:MISSING_TOKEN']);
    for (const r of refused) expect(r.source).toMatch(/127\.0\.0\.1|::1/);
  });

  it('an audit outage loses no count: they are written at the next flush once the audit is back', async () => {
    await t.hub.flushRefusalCounts();
    const before = await lastSeq();
    await owner.query('alter table audit_event rename to audit_event_off');
    try {
      for (let i = 0; i < 3; i++) expect((await postAs('{"query":"{ __typename }"}', {})).status).toBe(401);
      await t.hub.flushRefusalCounts();
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
    }
    expect(
      t.logged.some(
        (entry) =>
          entry.msg === 'audit of refused requests failed (counts kept for the next try)' &&
          /relation "audit_event" does not exist/.test(entry.err?.message ?? ''),
      ),
    ).toBe(true);
    expect((await postAs('{"query":"{ __typename }"}', {})).status).toBe(401);
    await t.hub.flushRefusalCounts();
    const events = await eventsAfter(before);
    expect(events).toHaveLength(1);
    expect(events[0].content).toMatchObject({ agency: 'unauthenticated', outcome: 'DENIED', refusal: 'UNAUTHENTICATED:MISSING_TOKEN', refused: { count: 4 } });
  });
});

describe('a request cannot store its own text in an event', () => {
  const text = 'x'.repeat(900_000);
  const cases: Array<[string, () => Record<string, unknown>, number, string]> = [
    [
      '0.9 MB in one variable',
      () => ({ query: 'query Q($code: String!) { checkpoint(code: $code) { name } }', variables: { code: text } }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      '0.9 MB in many small variables',
      () => ({
        query: 'query Q($codes: [String!]!) { __typename }',
        variables: { codes: Array.from({ length: 90_000 }, () => 'abcdefghi') },
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['0.9 MB as the operation name sent', () => ({ query: '{ __typename }', operationName: text }), 400, 'BAD_REQUEST'],
    ['0.9 MB as the operation name in the document', () => ({ query: `query ${text.replace(/x/g, 'Q')} { __typename }` }), 400, 'BAD_REQUEST'],
    ['0.9 MB in a string literal', () => ({ query: `{ checkpoint(code: "${text}") { name } }` }), 413, 'PAYLOAD_TOO_LARGE'],
  ];
  it.each(cases)('%s: refused before it runs, the chain grows by at most one small event', async (_, request, status, code) => {
    const before = await lastSeq();
    const { result, statements } = await t.hub.db.counter.measure(async () => postAs(JSON.stringify(request()), await t.headersAs(OFFICER)));
    expect(result.status).toBe(status);
    expect(JSON.parse(result.raw).errors[0].extensions.code).toBe(code);
    expect(result.raw.length).toBeLessThan(2_000);
    expect(statements).toBe(0);
    const events = await eventsAfter(before);
    expect(events.length).toBeLessThanOrEqual(1);
    for (const event of events) expect(event.size).toBeLessThan(4_000);
  });
});
