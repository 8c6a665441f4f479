import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { loadConfig, projectRoot } from '../../src/config';
import { ErrorCode } from '../../src/errors';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { openCaseWithCaptures, platesOfCase } from '../support/case-with-captures';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { ALL_SEEING_OFFICER, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * The README's table of HTTP statuses (section "Who may see what", **HTTP statuses.**) checked
 * against real answers: one request of each kind the table names, sent over HTTP to a real hub,
 * must come back with the status of the row that lists its code. Every code a caller can get is
 * in the table, and every (status, code) pair of the table is provoked here, save the ones named
 * in NOT_PROVOKED_HERE with the reason.
 */

/** The table's rows: per status, the codes its third column lists. */
function readmeStatusTable(): Array<{ status: number; codes: string[] }> {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const from = readme.indexOf('**HTTP statuses.**');
  expect(from).toBeGreaterThan(0);
  const rows: Array<{ status: number; codes: string[] }> = [];
  const lines = readme.slice(from).split('\n');
  let inTable = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.split('|').slice(1, -1);
    const status = /^\s*(\d{3})\b/.exec(cells[0] ?? '');
    if (!status) continue;
    const codes = [...(cells[2] ?? '').matchAll(/`([A-Z][A-Z_]+)`/g)].map((m) => m[1]);
    rows.push({ status: Number(status[1]), codes });
  }
  return rows;
}

/** Pairs of the table no request here provokes, and where else (or why not) they are shown. */
const NOT_PROVOKED_HERE: Record<string, string> = {
  '200 QUEUE_UNAVAILABLE': 'test/sync/trigger-sync-failure.test.ts (a queue that refuses the run)',
  '500 INTERNAL_SERVER_ERROR': 'a failure outside any field is a bug: no request causes one on purpose',
  '200 DRAW_REFUSED': 'test/inspection/inspection-workflow.test.ts (a draw before its beacon, a second draw, an empty roster)',
  '200 NOT_ASSIGNED': 'test/inspection/inspection-workflow.test.ts (a result by an inspector the draw did not match)',
  '503 SERVICE_UNAVAILABLE': "test/soak/multi-instance.test.ts (a read past the pool's wait, a database outage, an instance shutting down)",
};

const OFFICER = (division: string, subject = 'zhang.wei'): TestCaller => ({
  agency: 'suzhou-transport',
  roles: ['officer'],
  subject,
  divisions: [division],
  purpose: 'random-inspection',
});
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'] };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['officer'], subject: 'sh-1', purpose: 'cross-region-enforcement' };
const CAPTURES =
  'query Captures($from: DateTime!, $to: DateTime!, $plate: String) { checkpointCaptures(first: 5, filter: { from: $from, to: $to, plateNumber: $plate }) { totalCount } }';

let t: TestHub;
let owner: Pool;
let clueIds: string[] = [];
let clueDivision = '';
let otherDivision = '';
beforeAll(async () => {
  t = await startTestHub('status_table', { size: 0.02, env: { READ_STATEMENT_TIMEOUT_MS: '1500' } });
  owner = ownerPool(t.hub.db.url);
  await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile));
  const { rows } = await owner.query<{ division: string }>(
    'select division, count(*)::int as n from clue where deleted_at is null group by division order by n desc, division',
  );
  [{ division: clueDivision }, { division: otherDivision }] = rows;
  clueIds = (await owner.query<{ id: string }>('select id from clue where division = $1 and deleted_at is null order by id', [clueDivision])).rows.map(
    (r) => r.id,
  );
}, 180_000);
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

interface Answer {
  status: number;
  codes: string[];
}

const answerOf = (status: number, raw: string): Answer => {
  let codes: string[] = [];
  try {
    codes = ((JSON.parse(raw) as { errors?: Array<{ extensions?: { code?: string } }> }).errors ?? []).map((e) => String(e.extensions?.code));
  } catch {
    // Not JSON: no code, which fails the expectation below.
  }
  return { status, codes };
};

async function send(query: string, variables: Record<string, unknown> | undefined, caller?: TestCaller | null): Promise<Answer> {
  const headers = caller === null ? { authorization: '' } : caller ? await t.headersAs(caller) : {};
  const result = await execute(t.hub.graphqlUrl, query, variables, headers);
  return answerOf(result.status, result.raw);
}

async function raw(init: RequestInit & { url?: string }, caller: TestCaller = ALL_SEEING_OFFICER): Promise<Answer> {
  const response = await fetch(init.url ?? t.hub.graphqlUrl, {
    ...init,
    headers: { ...(await t.headersAs(caller)), ...(init.headers as Record<string, string>) },
  });
  return answerOf(response.status, await response.text());
}

/** Runs `sql` in a transaction of the tables' owner, holding its locks while `during` runs. */
async function whileHolding<T>(sql: string, during: () => Promise<T>): Promise<T> {
  const client = await owner.connect();
  await client.query('begin');
  try {
    await client.query(sql);
    return await during();
  } finally {
    await client.query('rollback');
    client.release();
  }
}

/** Alters the schema as the tables' owner (committed) while `during` runs, then undoes it. */
async function whileAltered<T>(sql: string, undo: string, during: () => Promise<T>): Promise<T> {
  await owner.query(sql);
  try {
    return await during();
  } finally {
    await owner.query(undo);
  }
}

const lastWeek = () => {
  const last = Math.max(...[...t.world.captures()].flat().map((c) => Date.parse(c.capturedAt)));
  return { from: new Date(last - 7 * 86_400_000).toISOString(), to: new Date(last + 1000).toISOString() };
};

/** One request of each kind the table names: `[status, code, what, send]`. */
const PROBES: Array<[number, string, string, () => Promise<Answer>]> = [
  [200, 'BAD_USER_INPUT', 'a bad argument value', () => send('{ enterprises(first: -1) { totalCount } }', undefined)],
  [
    200,
    'NOT_FOUND',
    'a record named explicitly that does not exist',
    () => send('mutation { verifyClue(id: "no-such-clue", finding: "x") { status } }', undefined, OFFICER(clueDivision)),
  ],
  [
    200,
    'OUTSIDE_DIVISION',
    "assigning a clue to another district's officer",
    () => send(`mutation { assignClue(id: "${clueIds[0]}", to: "li.na@${otherDivision}") { status } }`, undefined, OFFICER(clueDivision)),
  ],
  [
    200,
    'CONFLICT',
    'acting on a version not the clue’s',
    () => send(`mutation { assignClue(id: "${clueIds[0]}", to: "li.na@${clueDivision}", expectedVersion: 99) { status } }`, undefined, OFFICER(clueDivision)),
  ],
  [
    200,
    'ILLEGAL_TRANSITION',
    'verifying a dismissed clue',
    async () => {
      const dismissed = await send(`mutation { dismissClue(id: "${clueIds[1]}", reason: DUPLICATE) { status } }`, undefined, OFFICER(clueDivision));
      expect(dismissed).toEqual({ status: 200, codes: [] });
      return send(`mutation { verifyClue(id: "${clueIds[1]}", finding: "seen") { status } }`, undefined, OFFICER(clueDivision));
    },
  ],
  [
    200,
    'INTERNAL_SERVER_ERROR',
    'a masked failure in a field (a column gone under the read)',
    () =>
      whileAltered('alter table checkpoint rename column name to name_gone', 'alter table checkpoint rename column name_gone to name', () =>
        send(`{ a: checkpoint(code: "${t.world.checkpoints[0].code}") { code } b: checkpoint(code: "${t.world.checkpoints[1].code}") { name } }`, undefined),
      ),
  ],
  [400, 'BAD_REQUEST', 'a body that is not JSON', () => raw({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' })],
  [400, 'BAD_REQUEST', 'an undeclared variable', () => send('{ __typename }', { stray: 1 })],
  [400, 'GRAPHQL_PARSE_FAILED', 'a document that does not parse', () => send('{ enterprises(', undefined)],
  [400, 'GRAPHQL_VALIDATION_FAILED', 'a field the schema lacks', () => send('{ nothingLikeThis }', undefined)],
  [400, 'BAD_USER_INPUT', 'a variable of the wrong type', () => send('query($n: Int) { enterprises(first: $n) { totalCount } }', { n: 'ten' })],
  [
    400,
    'BAD_USER_INPUT',
    'a federation representation naming no entity type',
    () => send('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'Nope' }] }),
  ],
  [
    400,
    'BAD_USER_INPUT',
    'a declared case number over its length',
    () => send('{ __typename }', undefined, { ...ALL_SEEING_OFFICER, caseNumber: 'x'.repeat(65) }),
  ],
  [
    400,
    'QUERY_LIMIT_EXCEEDED',
    'a query over the depth limit',
    () => send(`{ enterprises(first: 1) { edges { node { ${'vehicles { owner { '.repeat(5)}uscc${' } }'.repeat(5)} } } } }`, undefined),
  ],
  [401, 'UNAUTHENTICATED', 'no bearer token', () => send('{ __typename }', undefined, null)],
  [
    401,
    'UNAUTHENTICATED',
    'a token the hub does not accept',
    async () =>
      answerOf(
        ...(await execute(t.hub.graphqlUrl, '{ __typename }', undefined, { authorization: 'Bearer not.a.token' }).then((r) => [r.status, r.raw] as const)),
      ),
  ],
  [
    403,
    'FORBIDDEN',
    'a field the agreement does not grant',
    () => send('{ auditEvents { totalCount } }', undefined, { agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection' }),
  ],
  [
    403,
    'NO_AGREEMENT',
    'a caller no agreement covers',
    () => send('{ vehicles(first: 1) { totalCount } }', undefined, { agency: 'xietong-sync', roles: ['connector'] }),
  ],
  [
    403,
    'AGREEMENT_EXPIRED',
    'a caller whose agreement lapsed',
    () => send('{ vehicles(first: 1) { totalCount } }', undefined, { agency: 'anhui-transport', roles: ['officer'] }),
  ],
  [
    403,
    'AGREEMENT_AMBIGUOUS',
    'two agreements fit and none is named',
    () =>
      send('{ enforcementCases(first: 1) { totalCount } }', undefined, {
        agency: 'suzhou-transport',
        roles: ['officer', 'analyst'],
        divisions: ['320505'],
        purpose: 'random-inspection',
      }),
  ],
  [403, 'PURPOSE_REQUIRED', 'personal data without a purpose', () => send('{ practitioners(first: 1) { edges { node { name } } } }', undefined, ANALYST)],
  [
    403,
    'PURPOSE_NOT_PERMITTED',
    'a purpose the agreement does not permit',
    () => send('{ practitioners(first: 1) { edges { node { name } } } }', undefined, { ...ANALYST, purpose: 'case-investigation' }),
  ],
  [403, 'CASE_REQUIRED', 'captures without a case', () => send(CAPTURES, lastWeek(), { ...ALL_SEEING_OFFICER })],
  [
    403,
    'CASE_NOT_VALID',
    'captures under a closed case',
    () => send(CAPTURES, lastWeek(), { ...ALL_SEEING_OFFICER, caseNumber: t.world.enforcementCases.find((c) => c.status === 'CLOSED')!.caseNumber }),
  ],
  [
    403,
    'CASE_SCOPE',
    'captures of a plate the case does not name',
    () => {
      const bound = openCaseWithCaptures(t.world);
      const named = platesOfCase(t.world, bound.case);
      const other = t.world.vehicles.find((v) => !named.has(`${v.plateNumber}|${v.plateColor}`))!;
      return send(CAPTURES, { ...lastWeek(), plate: other.plateNumber }, { ...ALL_SEEING_OFFICER, caseNumber: bound.case.caseNumber });
    },
  ],
  [
    403,
    'OPERATION_NOT_ALLOWED',
    'an operation outside a consumer’s persisted ones',
    () =>
      send(
        'query($from: DateTime!) { enforcementCases(first: 1, filter: { occurredFrom: $from }) { totalCount } }',
        { from: '2020-01-01T00:00:00Z' },
        {
          agency: 'jiangsu-credit',
          roles: ['service'],
          purpose: 'credit-sanction',
        },
      ),
  ],
  [
    405,
    'BAD_REQUEST',
    'a mutation sent with GET',
    () =>
      raw({
        method: 'GET',
        url: `${t.hub.graphqlUrl}?query=${encodeURIComponent('mutation { verifyClue(id: "x", finding: "y") { status } }')}`,
        headers: { 'apollo-require-preflight': 'true' },
      }),
  ],
  [
    413,
    'PAYLOAD_TOO_LARGE',
    'a body over 1 MB',
    () =>
      raw({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1_100_000) }) }),
  ],
  [413, 'PAYLOAD_TOO_LARGE', 'variables over 12 KB', () => send('query($s: String) { __typename }', { s: 'x'.repeat(13_000) })],
  [
    429,
    'QUERY_LIMIT_EXCEEDED',
    "over the agreement's rate limit (a burst of 40)",
    async () => {
      const headers = await t.headersAs(SHANGHAI);
      const answers = await Promise.all(
        Array.from({ length: 60 }, () => execute(t.hub.graphqlUrl, '{ __typename }', undefined, headers).then((r) => answerOf(r.status, r.raw))),
      );
      return answers.find((a) => a.status !== 200) ?? answers[0];
    },
  ],
  [
    503,
    'AUDIT_UNAVAILABLE',
    'the audit event cannot be written',
    () =>
      whileAltered('alter table audit_event rename to audit_event_gone', 'alter table audit_event_gone rename to audit_event', () =>
        send('{ enterprises(first: 1) { totalCount } }', undefined),
      ),
  ],
  [
    503,
    'QUERY_TIMEOUT',
    'a read past the statement timeout',
    () => whileHolding('lock table enterprise in access exclusive mode', () => send('{ enterprises(first: 1) { edges { node { name } } } }', undefined)),
  ],
];

describe("the README's table of HTTP statuses", () => {
  const table = readmeStatusTable();

  it('lists every code a caller can get, each under the statuses the hub answers it with', () => {
    const listed = new Set(table.flatMap((row) => row.codes));
    for (const code of [...Object.values(ErrorCode), 'UNAUTHENTICATED', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'])
      expect([...listed]).toContain(code);
    // Every pair of the table is provoked below, or said where else it is.
    const provoked = new Set(PROBES.map(([status, code]) => `${status} ${code}`));
    const pairs = table.flatMap((row) => row.codes.map((code) => `${row.status} ${code}`));
    expect(pairs.filter((pair) => !provoked.has(pair) && !(pair in NOT_PROVOKED_HERE))).toEqual([]);
  });

  it.each(PROBES.map(([status, code, what, probe]) => [`${status} ${code}: ${what}`, status, code, probe] as const))(
    '%s',
    async (_label, status, code, probe) => {
      expect(table.some((row) => row.status === status && row.codes.includes(code))).toBe(true);
      const answer = await probe();
      expect({ status: answer.status, code: answer.codes.includes(code) ? code : answer.codes }).toEqual({ status, code });
    },
  );
});
