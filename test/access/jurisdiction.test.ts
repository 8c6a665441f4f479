import { generateWorld } from '../../src/demo/world';
import { SUZHOU_DISTRICTS } from '../../src/demo/world/suzhou-districts';
import type { EnforcementCaseRecord, EnterpriseRecord, VehicleRecord, WeighingRecord } from '../../connectors/contract/canonical/records';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Jurisdiction that matches how supervision works (issue 9, item 8), as the README states it: a
 * vehicle is supervised where its operator is registered, where its road transport certificate
 * was issued (or where it is registered: the city, for 苏E/苏U), and through a case that names it;
 * an enterprise where it is registered; a weighing where its station stands; a case where it is
 * handled. The expectations below are written from those rules over the world's records.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('jurisdiction', { size: 0.03 });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const under = (code: string | null | undefined, divisions: readonly string[]) => !!code && divisions.some((d) => code.startsWith(d));

function expectedOf(divisions: readonly string[]) {
  const w = t.world;
  const enterpriseDivision = new Map(w.enterprises.map((e) => [e.uscc, e.divisionCode]));
  const cases = w.enforcementCases.filter((c) => under(c.divisionCode, divisions));
  const named = new Set(cases.filter((c) => c.vehiclePlateNumber).map((c) => `${c.vehiclePlateNumber}|${c.vehiclePlateColor}`));
  return {
    vehicles: w.vehicles.filter(
      (v) =>
        under(v.ownerUscc ? enterpriseDivision.get(v.ownerUscc) : null, divisions) ||
        under(v.transportCertificateDivision, divisions) ||
        under(v.registrationDivision, divisions) ||
        named.has(`${v.plateNumber}|${v.plateColor}`),
    ),
    enterprises: w.enterprises.filter((e) => under(e.divisionCode, divisions)),
    weighings: w.weighings.filter((x) => under(x.stationDivisionCode, divisions)),
    cases,
  };
}

const LISTS = {
  vehicles: [
    'vehicles',
    'plateNumber plateColor',
    (v: VehicleRecord) => `${v.plateNumber}|${v.plateColor}`,
    (n: Record<string, string>) => `${n.plateNumber}|${n.plateColor}`,
  ],
  enterprises: ['enterprises', 'uscc', (e: EnterpriseRecord) => e.uscc, (n: Record<string, string>) => n.uscc],
  // Weighings expose no source id: compared by station, plate and time.
  weighings: [
    'weighings',
    'stationDivisionCode stationCode plateNumber measuredAt',
    (x: WeighingRecord) => `${x.stationCode}|${x.plateNumber}|${new Date(x.measuredAt).toISOString()}`,
    (n: Record<string, string>) => `${n.stationCode}|${n.plateNumber}|${new Date(n.measuredAt).toISOString()}`,
  ],
  cases: ['enforcementCases', 'caseNumber', (c: EnforcementCaseRecord) => c.caseNumber, (n: Record<string, string>) => n.caseNumber],
} as const;

/** Every row of a list the caller sees (paged), and the list's totalCount. */
async function listAll(caller: TestCaller, root: string, selection: string): Promise<{ totalCount: number; nodes: Array<Record<string, string>> }> {
  const nodes: Array<Record<string, string>> = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let page = 0; page < 100; page++) {
    type List = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: Record<string, string> }> };
    const result: { data?: Record<string, List> | null; errors?: unknown[] } = await execute<Record<string, List>, unknown>(
      t.hub.graphqlUrl,
      `query($after: String) { ${root}(first: 500, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${selection} } } } }`,
      { after },
      await t.headersAs(caller),
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const list: List = result.data![root];
    totalCount = list.totalCount;
    nodes.push(...list.edges.map((e) => e.node));
    if (!list.pageInfo.hasNextPage) return { totalCount, nodes };
    after = list.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('a district officer sees what is supervised in its district, and nothing else', () => {
  // The first district (虎丘区 320505 when the world has it all) with vehicles, enterprises, weighings and cases.
  let DISTRICT: string;
  let officer: TestCaller;
  beforeAll(() => {
    DISTRICT = SUZHOU_DISTRICTS.map((d) => d.recordCode).find((code) => Object.values(expectedOf([code])).every((rows) => rows.length > 0))!;
    officer = { agency: 'suzhou-transport', roles: ['officer'], divisions: [DISTRICT], purpose: 'random-inspection' };
  });

  it.each(Object.keys(LISTS) as Array<keyof typeof LISTS>)('%s', async (kind) => {
    const [root, selection, keyOfRecord, keyOfNode] = LISTS[kind];
    const expected = (expectedOf([DISTRICT])[kind] as Array<never>).map((r) => (keyOfRecord as (x: never) => string)(r));
    const all = (
      kind === 'cases' ? t.world.enforcementCases : kind === 'weighings' ? t.world.weighings : kind === 'vehicles' ? t.world.vehicles : t.world.enterprises
    ).length;
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all);
    const got = await listAll(officer, root, selection);
    expect(got.totalCount).toBe(expected.length);
    expect(got.nodes.map(keyOfNode as (n: Record<string, string>) => string).sort()).toEqual([...expected].sort());
  });

  it('vehicles come in through their operator, their certificate and cases handled in the district, not their city-level registration', async () => {
    const { vehicles } = expectedOf([DISTRICT]);
    const enterpriseDivision = new Map(t.world.enterprises.map((e) => [e.uscc, e.divisionCode]));
    const byOperator = vehicles.filter((v) => under(v.ownerUscc ? enterpriseDivision.get(v.ownerUscc) : null, [DISTRICT]));
    const byCertificateOnly = vehicles.filter((v) => !byOperator.includes(v) && under(v.transportCertificateDivision, [DISTRICT]));
    const byCaseOnly = vehicles.filter((v) => !byOperator.includes(v) && !byCertificateOnly.includes(v));
    expect(byOperator.length).toBeGreaterThan(0);
    expect(byCertificateOnly.length + byCaseOnly.length).toBeGreaterThan(0);
    expect(vehicles.every((v) => !under(v.registrationDivision, [DISTRICT]))).toBe(true);
    // A vehicle outside every rule is not found by lookup either.
    const outside = t.world.vehicles.find((v) => !vehicles.includes(v))!;
    const lookup = await execute(
      t.hub.graphqlUrl,
      `{ vehicle(plateNumber: "${outside.plateNumber}", plateColor: ${outside.plateColor}) { plateNumber } }`,
      {},
      await t.headersAs(officer),
    );
    expect(lookup.data).toEqual({ vehicle: null });
    const found = vehicles[0];
    const seen = await execute(
      t.hub.graphqlUrl,
      `{ vehicle(plateNumber: "${found.plateNumber}", plateColor: ${found.plateColor}) { plateNumber transportCertificateDivision } }`,
      {},
      await t.headersAs(officer),
    );
    expect(seen.data).toEqual({ vehicle: { plateNumber: found.plateNumber, transportCertificateDivision: found.transportCertificateDivision } });
  });
});

describe('a city-wide officer and the out-of-province vehicle in a case of its own', () => {
  it('reads the vehicle the case names, whatever province its plate is from', async () => {
    const c = t.world.enforcementCases.find((x) => x.vehiclePlateNumber && !x.vehiclePlateNumber.startsWith('苏'));
    expect(c).toBeDefined();
    const officer: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['3205'], purpose: 'case-investigation' };
    const result = await execute<{ enforcementCases: { edges: Array<{ node: { caseNumber: string; vehicle: { plateNumber: string } | null } }> } }, unknown>(
      t.hub.graphqlUrl,
      `{ enforcementCases(first: 500) { edges { node { caseNumber vehicle { plateNumber } } } } }`,
      {},
      await t.headersAs(officer),
    );
    expect(result.errors).toBeUndefined();
    const row = result.data!.enforcementCases.edges.find((e) => e.node.caseNumber === c!.caseNumber)!;
    expect(row.node.vehicle).toEqual({ plateNumber: c!.vehiclePlateNumber });
    // Every vehicle any of its cases names is there, none null.
    expect(
      result.data!.enforcementCases.edges.filter((e) => {
        const record = t.world.enforcementCases.find((x) => x.caseNumber === e.node.caseNumber)!;
        return record.vehiclePlateNumber !== null && e.node.vehicle === null;
      }),
    ).toEqual([]);
  });
});

describe('the demo world carries the divisions supervision follows', () => {
  it('in every Suzhou district, operators and certificates place vehicles; stations place weighings in their districts (seed 20211, size 1)', () => {
    const world = generateWorld({ seed: 20211, size: 1, days: 1 });
    const enterpriseDivision = new Map(world.enterprises.map((e) => [e.uscc, e.divisionCode]));
    for (const district of SUZHOU_DISTRICTS) {
      const code = district.recordCode;
      const byOperator = world.vehicles.filter((v) => v.ownerUscc && enterpriseDivision.get(v.ownerUscc) === code).length;
      const byCertificate = world.vehicles.filter((v) => v.transportCertificateDivision === code).length;
      expect({ code, byOperator: byOperator > 100, byCertificate: byCertificate > 50 }).toEqual({ code, byOperator: true, byCertificate: true });
    }
    // A station stands in one district (its code says which); the old town (姑苏区) has none, its roads ban heavy trucks.
    expect(world.weighings.every((w) => w.stationCode.startsWith(`${w.stationDivisionCode}-`))).toBe(true);
    expect(new Set(world.weighings.map((w) => w.stationDivisionCode)).size).toBeGreaterThanOrEqual(6);
    // Certificates are issued where the operator is registered, except by the districts its branches run in.
    const certified = world.vehicles.filter((v) => v.transportCertificateDivision);
    const elsewhere = certified.filter((v) => v.transportCertificateDivision !== enterpriseDivision.get(v.ownerUscc!)).length;
    expect(elsewhere / certified.length).toBeGreaterThan(0.02);
    expect(elsewhere / certified.length).toBeLessThan(0.15);
  });
});
