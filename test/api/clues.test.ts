import { loadConfig } from '../../src/config';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

type Node = { id: string; kind: string; division: string; evidence: Array<{ kind: string; weighing: { measuredAt: string } | null }> };
type Clues = { clues: { totalCount: number; edges: Array<{ node: Node }> } };

const officerOf = (division: string): TestCaller => ({ agency: 'suzhou-transport', roles: ['officer'], divisions: [division], purpose: 'random-inspection' });
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };

const CLUES = `query Clues($first: Int, $filter: ClueFilterInput) {
  clues(first: $first, filter: $filter) { totalCount edges { node { id kind division evidence(first: 5) { kind weighing { measuredAt plateNumber } } } } }
}`;

const PSB: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation' };
const CAPTURE_DERIVED = ['EXPIRED_OR_REVOKED_BUT_ACTIVE', 'ILLEGAL_OPERATION', 'CLONED_PLATE'];

let t: TestHub;
let divisions: Array<{ division: string; n: number }>;
const started = new Date();
beforeAll(async () => {
  t = await startTestHub('clues', { size: 0.02 });
  await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile));
  const { rows } = await t.hub.db.pool.query<{ division: string; n: number }>(
    `select division, count(*)::int as n from clue where deleted_at is null and kind = 'OVERLOAD' group by division order by n desc`,
  );
  divisions = rows;
});
afterAll(async () => {
  await t?.close();
});

describe('clues', () => {
  it('a district officer sees the clues of their own division only', async () => {
    expect(divisions.length).toBeGreaterThan(1);
    const [{ division, n }] = divisions;
    const result = await execute<Clues, unknown>(t.hub.graphqlUrl, CLUES, { first: 500, filter: { kind: 'OVERLOAD' } }, await t.headersAs(officerOf(division)));
    expect(result.errors).toBeUndefined();
    expect(result.data!.clues.totalCount).toBe(n);
    expect(result.data!.clues.edges.every((e) => e.node.division === division)).toBe(true);
    // Their weighings come through the evidence, read as the officer may read weighings.
    expect(result.data!.clues.edges[0].node.evidence[0]).toMatchObject({ kind: 'WEIGHING', weighing: { measuredAt: expect.any(String) } });

    const other = await execute<Clues, unknown>(
      t.hub.graphqlUrl,
      CLUES,
      { first: 500, filter: { division } },
      await t.headersAs(officerOf(divisions[1].division)),
    );
    expect(other.data!.clues.totalCount).toBe(0);
  });

  it('one clue by id, null outside the caller’s division', async () => {
    const [{ division }, { division: elsewhere }] = divisions;
    const { rows } = await t.hub.db.pool.query<{ id: string }>(`select id from clue where division = $1 limit 1`, [division]);
    const one = `{ clue(id: "${rows[0].id}") { id division ruleId ruleVersion provenance { system agency } } }`;
    const mine = await execute<{ clue: unknown }, unknown>(t.hub.graphqlUrl, one, {}, await t.headersAs(officerOf(division)));
    expect(mine.data!.clue).toMatchObject({ id: rows[0].id, division, ruleId: 'overload-gb1589', provenance: { system: 'HUB', agency: 'suzhou-transport' } });
    const theirs = await execute<{ clue: unknown }, unknown>(t.hub.graphqlUrl, one, {}, await t.headersAs(officerOf(elsewhere)));
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.clue).toBeNull();
  });

  it('an agency without a clue grant is refused before anything runs', async () => {
    const amr: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection' };
    const result = await execute(t.hub.graphqlUrl, CLUES, { first: 1 }, await t.headersAs(amr));
    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('evidence is read under the caller’s own agreement: captures are not the analyst’s, and need a case for an officer', async () => {
    const withCapture = `{ clues(first: 1) { edges { node { evidence { kind capture { capturedAt } } } } } }`;
    const analyst = await execute(t.hub.graphqlUrl, withCapture, {}, await t.headersAs(ANALYST));
    expect(analyst.status).toBe(403);
    expect(analyst.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['clues.edges.node.evidence.capture'] });
    const officer = await execute(t.hub.graphqlUrl, withCapture, {}, await t.headersAs(officerOf(divisions[0].division)));
    expect(officer.status).toBe(403);
    expect(officer.errors?.[0].extensions).toMatchObject({ code: 'CASE_REQUIRED' });
  });

  it('police case officers see only the kinds that are theirs', async () => {
    const police: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation' };
    const query = `{ clues(first: 100) { totalCount edges { node { kind } } } }`;
    const result = await execute<{ clues: { totalCount: number; edges: Array<{ node: { kind: string } }> } }, unknown>(
      t.hub.graphqlUrl,
      query,
      {},
      await t.headersAs(police),
    );
    expect(result.errors).toBeUndefined();
    const { rows } = await t.hub.db.pool.query<{ n: number }>(
      `select count(*)::int as n from clue where deleted_at is null and kind in ('CLONED_PLATE', 'UNTRANSFERRED_CRIMINAL')`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(result.data!.clues.totalCount).toBe(rows[0].n);
    expect(result.data!.clues.edges.filter((e) => !['CLONED_PLATE', 'UNTRANSFERRED_CRIMINAL'].includes(e.node.kind))).toEqual([]);
  });

  it('refuses a window over the limit and an unknown kind with typed errors', async () => {
    const wide = await execute(
      t.hub.graphqlUrl,
      CLUES,
      { first: 1, filter: { window: { from: '2026-01-01T00:00:00+08:00', to: '2026-06-01T00:00:00+08:00' } } },
      await t.headersAs(ANALYST),
    );
    expect(wide.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.window.to' });
    expect(wide.raw).not.toMatch(/select|stack/i);
    const unknown = await execute(t.hub.graphqlUrl, CLUES, { first: 1, filter: { kind: 'SPEEDING' } }, await t.headersAs(ANALYST));
    expect(unknown.status).toBe(400);
    expect(unknown.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED|BAD_REQUEST/);
    const badId = await execute(t.hub.graphqlUrl, `{ clue(id: "${'9'.repeat(201)}") { id } }`, {}, await t.headersAs(ANALYST));
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
  });

  it('a clue derived from captures tells its district what to act on, not when the vehicle was captured', async () => {
    // A capture-derived clue with capture evidence, and an overload clue, each with the division it is routed to.
    const pick = (kinds: string[]) =>
      t.hub.db.pool
        .query<{ id: string; division: string; kind: string }>(
          `select c.id, c.division, c.kind from clue c where c.deleted_at is null and c.kind = any($1::text[])
             and exists (select 1 from clue_evidence e where e.clue_id = c.id and e.kind = $2) order by c.id limit 1`,
          [kinds, kinds[0] === 'OVERLOAD' ? 'WEIGHING' : 'CAPTURE'],
        )
        .then((r) => r.rows[0]);
    const captured = await pick(CAPTURE_DERIVED);
    const weighed = await pick(['OVERLOAD']);
    expect(captured).toBeDefined();
    const ONE = `query($id: String!) { clue(id: $id) { id kind subjectKey severity division status windowStart firstSeen lastSeen evidence(first: 100) { kind observedAt } } }`;
    type Seen = {
      clue: {
        kind: string;
        subjectKey: string;
        division: string;
        firstSeen: string | null;
        lastSeen: string | null;
        evidence: Array<{ kind: string; observedAt: string | null }>;
      };
    };
    for (const caller of [officerOf(captured.division), ANALYST]) {
      const seen = await execute<Seen, unknown>(t.hub.graphqlUrl, ONE, { id: captured.id }, await t.headersAs(caller));
      expect(seen.errors).toBeUndefined();
      const clue = seen.data!.clue;
      // What the district acts on…
      expect(clue).toMatchObject({ kind: captured.kind, division: captured.division, subjectKey: expect.stringMatching(/\/.+/) });
      // …but no capture time, on the clue or its capture evidence.
      expect([clue.firstSeen, clue.lastSeen]).toEqual([null, null]);
      const captures = clue.evidence.filter((e) => e.kind === 'CAPTURE');
      expect(captures.length).toBeGreaterThan(0);
      expect(captures.map((e) => e.observedAt)).toEqual(captures.map(() => null));
    }
    // Times that are no capture's stay: an overload clue's, and its weighings'.
    const overload = await execute<Seen, unknown>(t.hub.graphqlUrl, ONE, { id: weighed.id }, await t.headersAs(officerOf(weighed.division)));
    expect(overload.data!.clue.firstSeen).toEqual(expect.any(String));
    expect(overload.data!.clue.evidence.every((e) => e.kind === 'WEIGHING' && typeof e.observedAt === 'string')).toBe(true);
    // Nor can a window find capture times out by bisection: whole Beijing days only.
    const narrow = await execute(
      t.hub.graphqlUrl,
      CLUES,
      { first: 1, filter: { kind: captured.kind, window: { from: '2026-10-04T10:00:00+08:00', to: '2026-10-05T00:00:00+08:00' } } },
      await t.headersAs(officerOf(captured.division)),
    );
    expect(narrow.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.window.from' });
    const days = await execute(
      t.hub.graphqlUrl,
      CLUES,
      { first: 1, filter: { window: { from: '2026-10-04T00:00:00+08:00', to: '2026-10-05T00:00:00+08:00' } } },
      await t.headersAs(ANALYST),
    );
    expect(days.errors).toBeUndefined();
  });

  it('lists ordered by last seen place a capture-derived clue by its day only, not between the times a caller sees', async () => {
    const ids = (order: string) =>
      t.hub.db.pool.query<{ id: string }>(`select id from clue where deleted_at is null order by ${order} limit 200`).then((r) => r.rows.map((row) => row.id));
    const byDay = await ids('listed_at desc, id desc');
    // The data has capture-derived clues whose exact time would have ordered them otherwise.
    expect(byDay).not.toEqual(await ids('last_seen desc, id desc'));
    const listed = await execute<{ clues: { edges: Array<{ node: { id: string } }> } }, unknown>(
      t.hub.graphqlUrl,
      `{ clues(first: 200, orderBy: LAST_SEEN_DESC) { edges { node { id } } } }`,
      {},
      await t.headersAs(ANALYST),
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.clues.edges.map((e) => e.node.id)).toEqual(byDay);
    const { rows } = await t.hub.db.pool.query<{ off: number }>(
      `select count(*)::int as off from clue where kind = any($1::text[]) and listed_at <> timezone('Asia/Shanghai', date_trunc('day', timezone('Asia/Shanghai', last_seen)))`,
      [CAPTURE_DERIVED],
    );
    expect(rows[0].off).toBe(0);
  });

  it('reads of clue evidence are reads of the providing agencies’ data in the audit and their data-access reports', async () => {
    const {
      rows: [captured],
    } = await t.hub.db.pool.query<{ id: string; division: string; captures: number; others: number }>(
      `select c.id, c.division, count(*) filter (where e.kind = 'CAPTURE')::int as captures, count(*) filter (where e.kind <> 'CAPTURE')::int as others
         from clue c join clue_evidence e on e.clue_id = c.id
        where c.deleted_at is null and c.kind = any($1::text[]) group by c.id, c.division having count(*) filter (where e.kind = 'CAPTURE') > 0
        order by c.id limit 1`,
      [CAPTURE_DERIVED],
    );
    // The transport officer reads only the evidence's kinds: no capture, yet the police's data.
    const read = await execute(
      t.hub.graphqlUrl,
      `query EvidenceKinds($id: String!) { clue(id: $id) { id evidence(first: 100) { kind } } }`,
      { id: captured.id },
      await t.headersAs(officerOf(captured.division)),
    );
    expect(read.errors).toBeUndefined();
    const owner = ownerPool(t.hub.db.url);
    try {
      const { rows } = await owner.query<{ sources: Record<string, number> }>(
        `select content->'sources' as sources from audit_event where content->>'operationName' = 'EvidenceKinds' order by seq desc limit 1`,
      );
      expect(rows[0].sources).toEqual({ 'suzhou-psb': captured.captures, ...(captured.others ? { 'suzhou-transport': captured.others } : {}) });
    } finally {
      await owner.end();
    }
    const report = await execute<{ dataAccessReport: Array<{ consumerAgency: string; records: number }> }, unknown>(
      t.hub.graphqlUrl,
      'query($from: DateTime!, $to: DateTime!) { dataAccessReport(source: "suzhou-psb", from: $from, to: $to) { consumerAgency records } }',
      { from: started.toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
      await t.headersAs(PSB),
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.dataAccessReport.find((l) => l.consumerAgency === 'suzhou-transport')?.records).toBeGreaterThanOrEqual(captured.captures);
  });

  it('clues with their evidence cost the same number of statements for 1 clue as for 20', async () => {
    // One kind, so that the first clue's evidence is of the same kinds as the others' (each kind of evidence has its loader).
    const nested = `query Nested($first: Int) { clues(first: $first, filter: { kind: OVERLOAD }) { edges { node { id vehicle { plateNumber } evidence { kind weighing { measuredAt } vehicle { plateNumber } } } } } }`;
    const run = async (first: number) => {
      const headers = await t.headersAs(ANALYST);
      const measured = await t.hub.db.counter.measure(() => execute<Clues, unknown>(t.hub.graphqlUrl, nested, { first }, headers));
      expect(measured.result.errors).toBeUndefined();
      return measured;
    };
    const small = await run(1);
    const large = await run(20);
    expect(large.result.data!.clues.edges.length).toBeGreaterThanOrEqual(8);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(6);
  });
});
