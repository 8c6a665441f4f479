import { CheckpointCapturesDocument, EnterprisesDocument } from '../generated/graphql';
import { execute } from '../support/graphql-client';
import { ALL_SEEING_OFFICER, startTestHub, type TestHub } from '../support/test-hub';
import { ownerPool } from '../support/owner-pool';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('errors');
});
afterAll(async () => {
  await t?.close();
});

/** What must never reach a caller. */
function expectNothingLeaks(raw: string): void {
  expect(raw).not.toMatch(/\bat .+\.(js|ts):\d+/); // stack frames
  expect(raw).not.toMatch(/stacktrace/i);
  expect(raw).not.toMatch(/\b(select|insert|update|delete)\b.+\b(from|into|set)\b/i);
  expect(raw).not.toMatch(/did you mean/i);
  expect(raw).not.toMatch(/relation ".*" does not exist/);
}

describe('error shapes', () => {
  it('a misspelled field is a validation error without suggestions', async () => {
    const result = await execute(t.hub.graphqlUrl, '{ enterprise(uscc: "91350100M000100Y43") { nme } }');
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNothingLeaks(result.raw);
  });

  it('a syntax error is GRAPHQL_PARSE_FAILED', async () => {
    const result = await execute(t.hub.graphqlUrl, '{ enterprise(uscc: ');
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expectNothingLeaks(result.raw);
  });

  it('a badly typed variable is BAD_USER_INPUT', async () => {
    const result = await execute(t.hub.graphqlUrl, EnterprisesDocument, { first: 'ten' as never });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expectNothingLeaks(result.raw);
  });

  it('a malformed DateTime is BAD_USER_INPUT in a variable, a validation error in a literal', async () => {
    const inVariable = await execute(t.hub.graphqlUrl, CheckpointCapturesDocument, { filter: { from: 'yesterday', to: '2026-11-01T00:00:00Z' } });
    expect(inVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expectNothingLeaks(inVariable.raw);
    const inLiteral = await execute(t.hub.graphqlUrl, '{ checkpointCaptures(filter: { from: "yesterday", to: "2026-11-01T00:00:00Z" }) { totalCount } }');
    expect(inLiteral.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNothingLeaks(inLiteral.raw);
  });

  it('a failure inside the hub is masked as INTERNAL_SERVER_ERROR and logged, with no SQL or stack', async () => {
    // Break the database under the hub: the driver's error names the table and the SQL.
    await t.hub.db.orm.em.fork().execute('alter table practitioner rename to practitioner_gone');
    try {
      const result = await execute(t.hub.graphqlUrl, '{ practitioners(first: 1) { totalCount } }');
      expect(result.status).toBe(200);
      expect(result.errors).toEqual([{ message: 'Internal server error', path: ['practitioners'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expectNothingLeaks(result.raw);
      // For operators: the driver's error, at the field that failed.
      expect(t.logged.some((entry) => entry.msg === 'internal error' && entry.path === 'practitioners' && entry.err?.message.includes('practitioner'))).toBe(
        true,
      );
    } finally {
      await t.hub.db.orm.em.fork().execute('alter table practitioner_gone rename to practitioner');
    }
  });

  it('a body that is not JSON is a 400, not a 500', async () => {
    const response = await fetch(t.hub.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await t.headersAs(ALL_SEEING_OFFICER)) },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expectNothingLeaks(await response.text());
  });

  it('an oversized body is refused with 413', async () => {
    const response = await fetch(t.hub.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await t.headersAs(ALL_SEEING_OFFICER)) },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('batched requests are refused', async () => {
    const response = await fetch(t.hub.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await t.headersAs(ALL_SEEING_OFFICER)) },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });
});

describe('health and readiness', () => {
  it('/health answers while the process runs; /ready once migrations are applied', async () => {
    expect((await fetch(`${t.hub.url}/health`)).status).toBe(200);
    const ready = await fetch(`${t.hub.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await fetch(`${t.hub.url}/nowhere`)).status).toBe(404);
  });

  it('/ready answers 503 while a migration is pending, and recovers once it is applied', async () => {
    const pool = ownerPool(t.hub.db.url);
    const { rows } = await pool.query<{ name: string }>('select name from mikro_orm_migrations order by id desc limit 1');
    await pool.query('delete from mikro_orm_migrations where name = $1', [rows[0].name]);
    try {
      const notReady = await fetch(`${t.hub.url}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'not ready' });
      expect((await fetch(`${t.hub.url}/health`)).status).toBe(200);
    } finally {
      await pool.query('insert into mikro_orm_migrations (name, executed_at) values ($1, now())', [rows[0].name]);
      await pool.end();
    }
    expect((await fetch(`${t.hub.url}/ready`)).status).toBe(200);
  });
});
