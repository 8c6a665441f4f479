import { Pool } from 'pg';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * A request whose bearer token is refused is counted per source address and reason, and the
 * counts are audited (one DENIED event each) every minute and at shutdown. When they cannot be
 * written, the caller has still got the same 401 (never a 500, nothing of the failure), the failure
 * is in the hub's log, and the counts are kept for the next write. The audit table is made
 * unwritable for real: the tables' owner renames it away, as in `audit-http.test.ts`.
 */

let t: TestHub;
/** The tables' owner: the hub's own connections act as the application role, which cannot rename tables. */
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('refused_token_audit_failure');
  owner = new Pool({ connectionString: t.hub.db.url, max: 2 });
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

/** Posts an operation with exactly these headers (no default caller), keeping status, headers and body. */
async function post(headers: Record<string, string>) {
  const response = await fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return { status: response.status, authenticate: response.headers.get('www-authenticate'), raw: await response.text() };
}

const refusals = async () =>
  Number(
    (await owner.query<{ n: string }>(`select count(*) as n from audit_event where content->>'agency' = 'unauthenticated' and content->>'outcome' = 'DENIED'`))
      .rows[0].n,
  );

const cases = [
  ['no token at all', {}, 'MISSING_TOKEN'],
  ['a token that is no JWT', { authorization: 'Bearer not.a.token' }, 'MALFORMED_TOKEN'],
] as const;

describe('a refused token whose audit event cannot be written', () => {
  it.each(cases)('%s: still answered 401 UNAUTHENTICATED with its reason, the failed audit is logged and its count kept', async (_, headers, reason) => {
    await t.hub.flushRefusalCounts();
    const loggedBefore = t.logged.length;
    const before = await refusals();
    await owner.query('alter table audit_event rename to audit_event_off');
    let refused: Awaited<ReturnType<typeof post>>;
    try {
      refused = await post(headers);
      await t.hub.flushRefusalCounts();
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
    }
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.raw)).toEqual({
      errors: [{ message: `Authentication failed: ${reason}`, extensions: { code: 'UNAUTHENTICATED', reason } }],
    });
    expect(refused.authenticate).toBe(`Bearer realm="xietong", error="invalid_token", error_description="${reason}"`);
    // Nothing of the audit failure reaches the caller.
    expect(refused.raw).not.toMatch(/audit|relation|INTERNAL_SERVER_ERROR|\bat .+\.(js|ts):\d+/i);
    // The hub's log says the refusal went unaudited, and why.
    const logged = t.logged.slice(loggedBefore);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'audit of refused requests failed (counts kept for the next try)',
        err: expect.objectContaining({ message: expect.stringMatching(/relation "audit_event" does not exist/) }),
      }),
    ]);
    expect(await refusals()).toBe(before);

    // Once the table is back, the same refusal is answered the same way, and both are audited as one count.
    const audited = await post(headers);
    expect(audited.status).toBe(401);
    expect(audited.raw).toBe(refused.raw);
    await t.hub.flushRefusalCounts();
    expect(await refusals()).toBe(before + 1);
    const {
      rows: [last],
    } = await owner.query<{ refusal: string; count: number }>(
      `select content->>'refusal' as refusal, (content->'refused'->>'count')::int as count from audit_event order by seq desc limit 1`,
    );
    expect(last).toEqual({ refusal: `UNAUTHENTICATED:${reason}`, count: 2 });
    expect(t.logged.slice(loggedBefore + 1)).toEqual([]);
  });
});
