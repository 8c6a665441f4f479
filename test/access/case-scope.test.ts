import type { CaptureRecord, EnforcementCaseRecord } from '../../connectors/contract/canonical/records';
import { execute } from '../support/graphql-client';
import { openCaseWithCaptures, platesOfCase } from '../support/case-with-captures';
import { bookkeepingOf, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * A case unlocks only what it is about (issue 9, item 9): captures read under a case are those of
 * the vehicle it names and of its party enterprise's fleet, on every path that reads captures; an
 * unrelated plate asked by argument is refused by name (CASE_SCOPE). `caseScope: "ALL_PLATES"`
 * reaches every plate only where the agreement allows it (police case officers), and is audited.
 */

let t: TestHub;
let all: CaptureRecord[];
let bound: { case: EnforcementCaseRecord; captures: CaptureRecord[] };
let unrelated: CaptureRecord;
const WINDOW = { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' };
const inWindow = (c: CaptureRecord) => Date.parse(c.capturedAt) >= Date.parse(WINDOW.from) && Date.parse(c.capturedAt) < Date.parse(WINDOW.to);
const key = (plate: string, color: string) => `${plate}|${color}`;

beforeAll(async () => {
  t = await startTestHub('case_scope');
  all = [...t.world.captures()].flat().filter(inWindow);
  bound = openCaseWithCaptures(t.world, WINDOW, 2);
  const named = platesOfCase(t.world, bound.case);
  // A plate of the world the officer may otherwise see, captured in the window, that the case does not name.
  unrelated = all.find(
    (c) => !named.has(key(c.plateNumber, c.plateColor)) && t.world.vehicles.some((v) => v.plateNumber === c.plateNumber && v.plateColor === c.plateColor),
  )!;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const officer = (): TestCaller => ({
  agency: 'suzhou-transport',
  roles: ['officer'],
  divisions: ['32'],
  purpose: 'case-investigation',
  caseNumber: bound.case.caseNumber,
});
const BY_PLATE =
  'query($from: DateTime!, $to: DateTime!, $plate: String!) { checkpointCaptures(first: 100, filter: { from: $from, to: $to, plateNumber: $plate }) { totalCount edges { node { plateNumber } } } }';
const OF_VEHICLE = (
  plate: string,
  color: string,
) => `query($from: DateTime!, $to: DateTime!) { vehicle(plateNumber: "${plate}", plateColor: ${color}) { plateNumber ...Seen } }
  fragment Seen on Vehicle { captures(from: $from, to: $to) { totalCount } }`;

async function as<D>(caller: TestCaller, query: string, variables: Record<string, unknown>) {
  return execute<D, unknown>(t.hub.graphqlUrl, query, variables, await t.headersAs(caller));
}

describe('a case unlocks the captures of the vehicles it names', () => {
  it("reads the captures of the case's own vehicle by plate", async () => {
    const mine = bound.captures[0];
    const result = await as<{ checkpointCaptures: { totalCount: number } }>(officer(), BY_PLATE, { ...WINDOW, plate: mine.plateNumber });
    expect(result.errors).toBeUndefined();
    expect(result.data!.checkpointCaptures.totalCount).toBe(all.filter((c) => c.plateNumber === mine.plateNumber).length);
  });

  it('refuses an unrelated plate by argument, at the root and through vehicle(...) { captures }, before any capture is read', async () => {
    const root = await as(officer(), BY_PLATE, { ...WINDOW, plate: unrelated.plateNumber });
    expect(root.status).toBe(403);
    expect(root.data ?? null).toBeNull();
    expect(root.errors?.[0].extensions).toEqual({ code: 'CASE_SCOPE', caseNumber: bound.case.caseNumber, paths: ['checkpointCaptures'] });
    const nested = await as(officer(), OF_VEHICLE(unrelated.plateNumber, unrelated.plateColor), WINDOW);
    expect(nested.status).toBe(403);
    expect(nested.errors?.[0].extensions).toEqual({ code: 'CASE_SCOPE', caseNumber: bound.case.caseNumber, paths: ['vehicle'] });
    // Through a fragment spread at the root, twice, and an aliased field: still named and refused.
    const spread = await as(
      officer(),
      `query($from: DateTime!, $to: DateTime!, $plate: String!) { ...Asked ...Asked }
      fragment Asked on Query { asked: checkpointCaptures(filter: { from: $from, to: $to, plateNumber: $plate }) { totalCount } }`,
      { ...WINDOW, plate: unrelated.plateNumber },
    );
    expect(spread.status).toBe(403);
    expect(spread.errors?.[0].extensions).toMatchObject({ code: 'CASE_SCOPE', paths: expect.arrayContaining(['asked']) });
    // The vehicle itself, without its captures, is no business of the case check.
    const plain = await as(officer(), `{ vehicle(plateNumber: "${unrelated.plateNumber}", plateColor: ${unrelated.plateColor}) { plateNumber } }`, {});
    expect(plain.errors).toBeUndefined();
  });

  it('binds captures in SQL on the other paths: unfiltered root reads, vehicle lists and federation references', async () => {
    const named = platesOfCase(t.world, bound.case);
    const unfiltered = await as<{ checkpointCaptures: { totalCount: number; edges: Array<{ node: { plateNumber: string } }> } }>(
      officer(),
      'query($from: DateTime!, $to: DateTime!) { checkpointCaptures(first: 100, filter: { from: $from, to: $to }) { totalCount edges { node { plateNumber } } } }',
      WINDOW,
    );
    expect(unfiltered.errors).toBeUndefined();
    expect(unfiltered.data!.checkpointCaptures.totalCount).toBe(bound.captures.length);
    expect(unfiltered.data!.checkpointCaptures.edges.every((e) => [...named].some((k) => k.startsWith(`${e.node.plateNumber}|`)))).toBe(true);

    const listed = await as<{ vehicles: { edges: Array<{ node: { plateNumber: string; plateColor: string; captures: { totalCount: number } } }> } }>(
      officer(),
      'query($from: DateTime!, $to: DateTime!) { vehicles(first: 500) { edges { node { plateNumber plateColor captures(from: $from, to: $to) { totalCount } } } } }',
      WINDOW,
    );
    expect(listed.errors).toBeUndefined();
    const counted = listed.data!.vehicles.edges.map((e) => e.node);
    expect(counted.some((v) => v.plateNumber === unrelated.plateNumber)).toBe(true);
    for (const v of counted) {
      const expected = named.has(key(v.plateNumber, v.plateColor))
        ? all.filter((c) => c.plateNumber === v.plateNumber && c.plateColor === v.plateColor).length
        : 0;
      expect({ plate: v.plateNumber, count: v.captures.totalCount }).toEqual({ plate: v.plateNumber, count: expected });
    }

    const federated = await as<{ _entities: Array<{ captures: { totalCount: number } }> }>(
      officer(),
      `query($from: DateTime!, $to: DateTime!) {
      _entities(representations: [{ __typename: "Vehicle", plateNumber: "${unrelated.plateNumber}", plateColor: "${unrelated.plateColor}" }]) { ... on Vehicle { captures(from: $from, to: $to) { totalCount } } } }`,
      WINDOW,
    );
    expect(federated.errors).toBeUndefined();
    expect(federated.data!._entities).toEqual([{ captures: { totalCount: 0 } }]);
  });
});

describe('caseScope ALL_PLATES', () => {
  it('is refused to a transport officer, whose agreement does not allow it', async () => {
    const result = await as({ ...officer(), caseScope: 'ALL_PLATES' }, BY_PLATE, { ...WINDOW, plate: unrelated.plateNumber });
    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toEqual({ code: 'CASE_SCOPE', caseScope: 'ALL_PLATES', agreement: 'SZJT-2026-01' });
    const bogus = await as({ ...officer(), caseScope: 'EVERYTHING' }, BY_PLATE, { ...WINDOW, plate: bound.captures[0].plateNumber });
    expect(bogus.errors?.[0].extensions).toEqual({ code: 'CASE_SCOPE', caseScope: 'EVERYTHING' });
  });

  it('lets a police case officer read any plate under a transferred case, and the audit event records it', async () => {
    await t.hub.db.pool.query('update enforcement_case set transferred_to_police = true where case_number = $1', [bound.case.caseNumber]);
    try {
      const police: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation', caseNumber: bound.case.caseNumber };
      const refused = await as(police, BY_PLATE, { ...WINDOW, plate: unrelated.plateNumber });
      expect(refused.errors?.[0].extensions?.code).toBe('CASE_SCOPE');
      const result = await as<{ checkpointCaptures: { totalCount: number } }>({ ...police, caseScope: 'ALL_PLATES' }, BY_PLATE, {
        ...WINDOW,
        plate: unrelated.plateNumber,
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.checkpointCaptures.totalCount).toBe(all.filter((c) => c.plateNumber === unrelated.plateNumber).length);
      const [row] = await bookkeepingOf(t.hub).query<{ content: Record<string, unknown> }>('select content from audit_event order by seq desc limit 1');
      expect(row.content).toMatchObject({
        agency: 'suzhou-psb',
        agreement: 'SZGA-2026-01',
        caseNumber: bound.case.caseNumber,
        caseScope: 'ALL_PLATES',
        outcome: 'OK',
      });
      const events = await as<{ auditEvents: { edges: Array<{ node: { caseNumber: string; caseScope: string | null } }> } }>(
        { agency: 'suzhou-transport', roles: ['auditor'] },
        '{ auditEvents(first: 3, filter: { agency: "suzhou-psb" }) { edges { node { caseNumber caseScope } } } }',
        {},
      );
      expect(events.data!.auditEvents.edges[0].node).toEqual({ caseNumber: bound.case.caseNumber, caseScope: 'ALL_PLATES' });
    } finally {
      await t.hub.db.pool.query('update enforcement_case set transferred_to_police = false where case_number = $1', [bound.case.caseNumber]);
    }
  });
});

describe('which agency holds which case comes from the agreements file', () => {
  it('the police hold only cases transferred to them; the transport bureau its own', async () => {
    const police: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], purpose: 'case-investigation', caseNumber: bound.case.caseNumber };
    const mine = bound.captures[0];
    const untransferred = await as(police, BY_PLATE, { ...WINDOW, plate: mine.plateNumber });
    expect(untransferred.errors?.[0].extensions).toEqual({ code: 'CASE_NOT_VALID', caseNumber: bound.case.caseNumber });
    // An agency whose agreement has no case rules holds no case, whatever it declares.
    const amr = await as({ agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection', caseNumber: bound.case.caseNumber }, BY_PLATE, {
      ...WINDOW,
      plate: mine.plateNumber,
    });
    expect(amr.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
