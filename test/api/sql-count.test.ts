import { FleetNestedDocument } from '../generated/graphql';
import { execute } from '../support/graphql-client';
import { policeWithAllPlates } from '../support/all-plates';
import { startTestHub, type TestHub } from '../support/test-hub';
import { loadConfig } from '../../src/config';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('sqlcount', { size: 0.03 });
});
afterAll(async () => {
  await t?.close();
});

describe('relations load through per-request loaders', () => {
  it('a nested query costs the same number of statements for 1 enterprise as for 20', async () => {
    const times = [...t.world.captures()].flat().map((c) => Date.parse(c.capturedAt));
    const to = new Date(Math.max(...times) + 1).toISOString();
    const from = new Date(Math.max(...times) - 30 * 86_400_000).toISOString();
    // Every fleet's captures: a police case officer under a case declared ALL_PLATES.
    const police = await policeWithAllPlates(t);
    const run = async (first: number) => {
      const headers = await t.headersAs(police);
      const measured = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, FleetNestedDocument, { first, from, to }, headers));
      expect(measured.result.errors).toBeUndefined();
      return { ...measured, result: measured.result.data! };
    };

    const small = await run(1);
    const large = await run(20);
    const vehicles = (r: typeof large) => r.result.enterprises.edges.reduce((n, e) => n + e.node.vehicles.length, 0);
    const capturesSeen = (r: typeof large) =>
      r.result.enterprises.edges.reduce((n, e) => n + e.node.vehicles.reduce((m, v) => m + v.captures.edges.length, 0), 0);

    // The larger query really is larger, at every level...
    expect(large.result.enterprises.edges.length).toBeGreaterThan(5);
    expect(vehicles(large)).toBeGreaterThan(vehicles(small) * 3);
    expect(capturesSeen(large)).toBeGreaterThan(0);
    // ...and costs exactly as many statements: one per level and relation, not per row.
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(9);
  });

  it('reads only the columns an operation selects, plus keys and references', async () => {
    const owner = t.world.vehicles.find((v) => v.ownerUscc)!.ownerUscc!;
    const { result } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, `{ enterprise(uscc: "${owner}") { name vehicles { plateNumber } } }`));
    expect((result.data as { enterprise: { vehicles: unknown[] } }).enterprise.vehicles.length).toBeGreaterThan(0);
    const vehicleSql = t.hub.db.counter.recent.filter((s) => s.includes('from vehicle')).pop()!;
    expect(vehicleSql).toMatch(/select plate_number, plate_color, owner_uscc from vehicle/);
    const enterpriseSql = t.hub.db.counter.recent.filter((s) => s.includes('from enterprise')).pop()!;
    expect(enterpriseSql).not.toContain('provenance_');
    expect(enterpriseSql).not.toContain('business_scope');
  });

  it('a lookup by key starts the selected relations its key is enough for together with the parent row', async () => {
    const involved = t.world.enforcementCases.find(
      (c) =>
        c.vehiclePlateNumber &&
        c.vehiclePlateColor &&
        t.world.vehicles.some((v) => v.plateNumber === c.vehiclePlateNumber && v.plateColor === c.vehiclePlateColor && v.ownerUscc),
    )!;
    const { result, statements } = await t.hub.db.counter.measure(() =>
      execute(
        t.hub.graphqlUrl,
        `{
      vehicle(plateNumber: "${involved.vehiclePlateNumber}", plateColor: ${involved.vehiclePlateColor}) {
        plateNumber enforcementCases { caseNumber } owner { name }
      }
    }`,
      ),
    );
    const vehicle = (result.data as { vehicle: { enforcementCases: Array<{ caseNumber: string }>; owner: unknown } }).vehicle;
    expect(vehicle.enforcementCases.map((c) => c.caseNumber)).toContain(involved.caseNumber);
    expect(vehicle.owner).not.toBeNull();
    const issued = t.hub.db.counter.recent.slice(-statements);
    // The statement reading `table` (row scopes name other tables only in subqueries; the reads
    // of one turn are parts of one statement, see `CombinedReads`).
    const position = (table: string) => issued.findIndex((sql) => new RegExp(`(?:^|from \\()select [\\w, ]+ from ${table} `).test(sql));
    // The cases are keyed by the plate the lookup has: they are read with the vehicle (in the same statement), not after it.
    expect(position('enforcement_case')).toBeGreaterThanOrEqual(0);
    expect(position('enforcement_case')).toBe(position('vehicle'));
    // The owner is keyed by a column of the vehicle row: it can only follow it.
    expect(position('enterprise')).toBeGreaterThan(position('vehicle'));
  });

  it('risk grades, their deductions and history cost the same number of statements for 1 enterprise as for 20', async () => {
    await gradeEnterprises(t.hub.db.pool, loadRiskGradeRules(loadConfig({}).riskGradeRulesFile), { full: true });
    const nested = `query GradesNested($first: Int) {
      enterprises(first: $first, filter: { licenceScope: FREIGHT_GENERAL }) {
        edges { node { uscc riskGrade { score grade deductions { factor points evidenceCount } } riskHistory(months: 6) { month grade } } }
      }
    }`;
    const run = async (first: number) => {
      const measured = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, nested, { first }));
      expect(measured.result.errors).toBeUndefined();
      return measured;
    };
    type Nested = { enterprises: { edges: Array<{ node: { riskGrade: { deductions: unknown[] } | null; riskHistory: unknown[] } }> } };
    const small = await run(1);
    const large = await run(20);
    const edges = (r: typeof large) => (r.result.data as Nested).enterprises.edges;
    expect(edges(large).filter((e) => e.node.riskGrade).length).toBeGreaterThan(5);
    expect(edges(large).some((e) => e.node.riskGrade!.deductions.length > 0)).toBe(true);
    expect(edges(large).every((e) => e.node.riskHistory.length === (e.node.riskGrade ? 1 : 0))).toBe(true);
    // One statement for the page, one for the grades, one for the histories, whatever the rows.
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(4);
  });
});
