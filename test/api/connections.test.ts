import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import {
  CheckpointCapturesDocument,
  type CheckpointCapturesQuery,
  EnforcementCasesDocument,
  type EnterprisesQuery,
  EnterprisesDocument,
  PractitionersDocument,
  VehicleCapturesDocument,
  VehiclesDocument,
  WeighingsDocument,
} from '../generated/graphql';
import { encodeCursor } from '../../src/read-kit/pagination';
import { execute, query } from '../support/graphql-client';
import { policeWithAllPlates } from '../support/all-plates';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

let t: TestHub;
let captures: CaptureRecord[];
beforeAll(async () => {
  t = await startTestHub('connections');
  captures = [...t.world.captures()].flat();
});
afterAll(async () => {
  await t?.close();
});

async function walkEnterprises(first: number, orderBy: 'NAME_ASC' | 'USCC_ASC' | 'ESTABLISHED_ON_DESC') {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const data: EnterprisesQuery = await query(t.hub.graphqlUrl, EnterprisesDocument, { first, after, orderBy });
    seen.push(...data.enterprises.edges.map((e) => e.node.uscc));
    if (!data.enterprises.pageInfo.hasNextPage) return seen;
    after = data.enterprises.pageInfo.endCursor ?? null;
  }
  throw new Error('pagination did not end');
}

describe('Relay connections', () => {
  it.each(['NAME_ASC', 'USCC_ASC', 'ESTABLISHED_ON_DESC'] as const)('walking %s page by page yields every row once, in the one-page order', async (orderBy) => {
    const all = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, orderBy });
    const onePage = all.enterprises.edges.map((e) => e.node.uscc);
    expect(all.enterprises.totalCount).toBe(t.world.enterprises.length);
    expect(new Set(onePage)).toEqual(new Set(t.world.enterprises.map((e) => e.uscc)));
    expect(await walkEnterprises(3, orderBy)).toEqual(onePage);
  });

  it('orders as asked', async () => {
    const data = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, orderBy: 'USCC_ASC' });
    const usccs = data.enterprises.edges.map((e) => e.node.uscc);
    expect(usccs).toEqual([...usccs].sort());
    const byDate = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, orderBy: 'ESTABLISHED_ON_DESC' });
    const dates = byDate.enterprises.edges.map((e) => e.node.establishedOn);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('an empty page (first: 0) still counts, and says whether rows follow', async () => {
    const data = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 0 });
    expect(data.enterprises.edges).toEqual([]);
    expect(data.enterprises.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
    const none = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 0, filter: { nameContains: '没有这样的企业' } });
    expect(none.enterprises.pageInfo.hasNextPage).toBe(false);
    expect(data.enterprises.totalCount).toBe(t.world.enterprises.length);
  });

  it('the last page says there is no next page', async () => {
    const n = t.world.enterprises.length;
    const data = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: n });
    expect(data.enterprises.edges).toHaveLength(n);
    expect(data.enterprises.pageInfo.hasNextPage).toBe(false);
    const short = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: n - 1 });
    expect(short.enterprises.pageInfo.hasNextPage).toBe(true);
    const after = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 5, after: short.enterprises.pageInfo.endCursor });
    expect(after.enterprises.edges).toHaveLength(1);
    expect(after.enterprises.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    ['garbage', 'zzz'],
    ['a cursor of another ordering', encodeCursor('USCC_ASC', ['x'])],
  ])('a bad cursor (%s) is BAD_USER_INPUT naming "after"', async (_label, after) => {
    const result = await execute(t.hub.graphqlUrl, EnterprisesDocument, { first: 5, after });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(result.data).toBeNull();
  });

  it('first above the cap is refused, not cut', async () => {
    const result = await execute(t.hub.graphqlUrl, EnterprisesDocument, { first: 501 });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});

describe('filters', () => {
  it('enterprises by division, status and licence scope', async () => {
    const division = t.world.enterprises[0].divisionCode;
    const data = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, filter: { divisionCode: division } });
    const expected = t.world.enterprises.filter((e) => e.divisionCode === division).map((e) => e.uscc);
    expect(data.enterprises.edges.map((e) => e.node.uscc).sort()).toEqual(expected.sort());
    expect(data.enterprises.totalCount).toBe(expected.length);

    const holders = new Set(t.world.licences.filter((l) => l.scopes.includes('FREIGHT_GENERAL' as never)).map((l) => l.holderUscc));
    const freight = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, filter: { licenceScope: 'FREIGHT_GENERAL' } });
    expect(new Set(freight.enterprises.edges.map((e) => e.node.uscc))).toEqual(
      new Set([...holders].filter((u) => t.world.enterprises.some((e) => e.uscc === u))),
    );

    const inBusiness = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 0, filter: { status: 'IN_BUSINESS' } });
    expect(inBusiness.enterprises.totalCount).toBe(t.world.enterprises.filter((e) => e.status === 'IN_BUSINESS').length);
  });

  it('enterprises by a name fragment treats % and _ literally', async () => {
    const e = t.world.enterprises[1];
    const fragment = e.name.slice(2, 5);
    const data = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, filter: { nameContains: fragment } });
    expect(data.enterprises.edges.map((x) => x.node.uscc)).toContain(e.uscc);
    const wildcard = await query(t.hub.graphqlUrl, EnterprisesDocument, { first: 500, filter: { nameContains: '%' } });
    expect(wildcard.enterprises.totalCount).toBe(t.world.enterprises.filter((x) => x.name.includes('%')).length);
  });

  it('a malformed division code is BAD_USER_INPUT naming the filter field', async () => {
    const result = await execute(t.hub.graphqlUrl, EnterprisesDocument, { filter: { divisionCode: '32O5' } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.divisionCode' });
  });

  it('vehicles by owner, plate prefix and colour', async () => {
    const owner = t.world.vehicles.find((v) => v.ownerUscc)!.ownerUscc!;
    const data = await query(t.hub.graphqlUrl, VehiclesDocument, { first: 500, filter: { ownerUscc: owner } });
    const expected = t.world.vehicles.filter((v) => v.ownerUscc === owner);
    expect(data.vehicles.totalCount).toBe(expected.length);
    expect(data.vehicles.edges.every((e) => e.node.ownerUscc === owner)).toBe(true);

    const su = await query(t.hub.graphqlUrl, VehiclesDocument, { first: 0, filter: { plateNumberPrefix: '苏e', plateColor: 'YELLOW' } });
    expect(su.vehicles.totalCount).toBe(t.world.vehicles.filter((v) => v.plateNumber.startsWith('苏E') && v.plateColor === 'YELLOW').length);

    const heavy = await query(t.hub.graphqlUrl, VehiclesDocument, { first: 500, orderBy: 'RATED_TOTAL_MASS_DESC' });
    const masses = heavy.vehicles.edges.map((e) => e.node.ratedTotalMassKg);
    expect(masses).toEqual([...masses].sort((a, b) => b - a));
  });

  it('practitioners by employer', async () => {
    const employer = t.world.practitioners.find((p) => p.employerUscc)!.employerUscc!;
    const data = await query(t.hub.graphqlUrl, PractitionersDocument, { first: 500, filter: { employerUscc: employer } });
    expect(data.practitioners.totalCount).toBe(t.world.practitioners.filter((p) => p.employerUscc === employer).length);
  });

  it("practitioners page in their default, opaque order (a hash of each record): every one once, no field's order", async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    do {
      const data = await query(t.hub.graphqlUrl, PractitionersDocument, { first: 7, after });
      seen.push(...data.practitioners.edges.map((e) => e.node.idNumber));
      after = data.practitioners.pageInfo.hasNextPage ? data.practitioners.pageInfo.endCursor : null;
    } while (after);
    expect([...seen].sort()).toEqual(t.world.practitioners.map((p) => p.idNumber).sort());
    const certificates = seen.map((id) => t.world.practitioners.find((p) => p.idNumber === id)!.certificateNumber);
    expect(seen).not.toEqual([...seen].sort());
    expect(certificates).not.toEqual([...certificates].sort());
  });

  it('enforcement cases by time window, transfer to police and status', async () => {
    const sorted = [...t.world.enforcementCases].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    const from = sorted[Math.floor(sorted.length / 4)].occurredAt;
    const to = sorted[Math.floor((3 * sorted.length) / 4)].occurredAt;
    const data = await query(t.hub.graphqlUrl, EnforcementCasesDocument, { first: 500, filter: { occurredFrom: from, occurredTo: to } });
    const expected = t.world.enforcementCases.filter((c) => Date.parse(c.occurredAt) >= Date.parse(from) && Date.parse(c.occurredAt) < Date.parse(to));
    expect(data.enforcementCases.totalCount).toBe(expected.length);
    const times = data.enforcementCases.edges.map((e) => e.node.occurredAt);
    expect(times).toEqual([...times].sort().reverse());

    const transferred = await query(t.hub.graphqlUrl, EnforcementCasesDocument, { first: 0, filter: { transferredToPolice: true } });
    expect(transferred.enforcementCases.totalCount).toBe(t.world.enforcementCases.filter((c) => c.transferredToPolice).length);

    const backwards = await execute(t.hub.graphqlUrl, EnforcementCasesDocument, { filter: { occurredFrom: to, occurredTo: from } });
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.occurredTo' });
  });

  it('weighings: overloaded only, by ratio, with their vehicles', async () => {
    const data = await query(t.hub.graphqlUrl, WeighingsDocument, { first: 500, filter: { overloadedOnly: true }, orderBy: 'OVERLOAD_RATIO_DESC' });
    const expected = t.world.weighings.filter((w) => w.overloadKg > 0);
    expect(data.weighings.totalCount).toBe(expected.length);
    const ratios = data.weighings.edges.map((e) => e.node.overloadRatio);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
    expect(data.weighings.edges.every((e) => e.node.overloadKg === e.node.measuredTotalMassKg - e.node.limitKg)).toBe(true);
    const negative = await execute(t.hub.graphqlUrl, WeighingsDocument, { filter: { minOverloadRatio: -1 } });
    expect(negative.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.minOverloadRatio' });
  });
});

describe('checkpoint captures', () => {
  // Paging over every plate's captures: a police case officer under a case declared ALL_PLATES.
  let police: TestCaller;
  beforeAll(async () => {
    police = await policeWithAllPlates(t);
  });
  const headers = () => t.headersAs(police);
  const read = async <R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> => query(t.hub.graphqlUrl, document, variables, await headers());
  const windowOf = () => {
    const times = captures.map((c) => Date.parse(c.capturedAt));
    const end = Math.max(...times);
    return { from: new Date(end - 7 * 86_400_000).toISOString(), to: new Date(end + 1).toISOString() };
  };

  it('require a window of at most 31 days', async () => {
    const result = await execute(t.hub.graphqlUrl, CheckpointCapturesDocument, {
      filter: { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.to' });
    const missing = await execute(t.hub.graphqlUrl, 'query { checkpointCaptures(filter: { plateNumber: "苏E12345" }) { totalCount } }');
    expect(missing.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('of one checkpoint in a window, newest first, page by page', async () => {
    const { from, to } = windowOf();
    const code = captures[captures.length - 1].checkpointCode;
    const expected = captures.filter(
      (c) => c.checkpointCode === code && Date.parse(c.capturedAt) >= Date.parse(from) && Date.parse(c.capturedAt) < Date.parse(to),
    );
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (;;) {
      const data: CheckpointCapturesQuery = await read(CheckpointCapturesDocument, { filter: { from, to, checkpointCode: code }, first: 7, after });
      total = data.checkpointCaptures.totalCount;
      seen.push(...data.checkpointCaptures.edges.map((e) => e.node.capturedAt));
      if (!data.checkpointCaptures.pageInfo.hasNextPage) break;
      after = data.checkpointCaptures.pageInfo.endCursor ?? null;
    }
    expect(total).toBe(expected.length);
    expect(seen).toHaveLength(expected.length);
    const first = await read(CheckpointCapturesDocument, { filter: { from, to, checkpointCode: code }, first: 1 });
    const node = first.checkpointCaptures.edges[0].node;
    expect(node.provenance).toEqual({
      system: 'CHECKPOINT_EXCHANGE',
      agency: 'suzhou-psb',
      recordId: expect.stringMatching(/^\d+$/),
      sourceUpdatedAt: node.capturedAt,
    });
    expect(seen).toEqual([...seen].sort().reverse());
    const ascending = await read(CheckpointCapturesDocument, { filter: { from, to, checkpointCode: code }, first: 500, orderBy: 'CAPTURED_AT_ASC' });
    expect(ascending.checkpointCaptures.edges.map((e) => e.node.capturedAt)).toEqual([...seen].reverse().slice(0, 500));
  });

  it('of one vehicle (Vehicle.captures), with count and cursor', async () => {
    const { from, to } = windowOf();
    const counts = new Map<string, number>();
    for (const c of captures)
      if (Date.parse(c.capturedAt) >= Date.parse(from))
        counts.set(`${c.plateNumber}|${c.plateColor}`, (counts.get(`${c.plateNumber}|${c.plateColor}`) ?? 0) + 1);
    const v = t.world.vehicles.filter((x) => (counts.get(`${x.plateNumber}|${x.plateColor}`) ?? 0) >= 3)[0];
    expect(v).toBeDefined();
    const expected = counts.get(`${v.plateNumber}|${v.plateColor}`)!;
    const page1 = await read(VehicleCapturesDocument, { plateNumber: v.plateNumber, plateColor: v.plateColor as never, from, to, first: 2 });
    expect(page1.vehicle!.captures.totalCount).toBe(expected);
    expect(page1.vehicle!.captures.edges).toHaveLength(2);
    expect(page1.vehicle!.captures.pageInfo.hasNextPage).toBe(true);
    const rest = await read(VehicleCapturesDocument, {
      plateNumber: v.plateNumber,
      plateColor: v.plateColor as never,
      from,
      to,
      first: 500,
      after: page1.vehicle!.captures.pageInfo.endCursor,
    });
    expect(rest.vehicle!.captures.edges).toHaveLength(expected - 2);
    expect(rest.vehicle!.captures.edges[0].node.checkpoint).not.toBeNull();
    const bad = await execute(
      t.hub.graphqlUrl,
      VehicleCapturesDocument,
      { plateNumber: v.plateNumber, plateColor: v.plateColor as never, from, to, after: 'zzz' },
      await headers(),
    );
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});
