import { execute, type GraphQLResponse } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Access refusals over real HTTP against a real hub: each has its own code and HTTP 403, returns
 * no `data`, and is decided before any data is read (no statement on the read client, except the
 * one lookup of the case a request names). Then masks, and the two ways to state purpose and case.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('refusals');
});
afterAll(async () => {
  await t?.close();
});

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'] };
const OFFICER: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['32'] };
const PSB: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'] };
const ANALYST_PURPOSES = ['statistics', 'random-inspection'];
/** A window inside the world's 30 days of captures (at most 31 days are allowed). */
const WINDOW = { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' };
const CAPTURES =
  'query Captures($from: DateTime!, $to: DateTime!) { checkpointCaptures(first: 5, filter: { from: $from, to: $to }) { totalCount edges { node { plateNumber capturedAt } } } }';

type Errors = NonNullable<GraphQLResponse<unknown>['errors']>;

/** Runs one request and expects it refused with `code`: HTTP 403, one error, no data, `statements` read statements. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
  code: string,
  statements = 0,
): Promise<Errors[number]> {
  const measured = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, query, variables, headers));
  const { result } = measured;
  expect({ status: result.status, code: result.errors?.[0]?.extensions?.code, errors: result.errors?.length }).toEqual({ status: 403, code, errors: 1 });
  expect(result.data).toBeUndefined();
  expect(result.raw).not.toContain('"data"');
  expect(measured.statements).toBe(statements);
  return result.errors![0];
}

/** POSTs a GraphQL request body as given (for request `extensions`), with headers. */
async function post(body: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResponse<Record<string, unknown>>> {
  const response = await fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const raw = await response.text();
  const parsed = JSON.parse(raw) as { data?: Record<string, unknown> | null; errors?: Errors };
  return { status: response.status, data: parsed.data, errors: parsed.errors, raw };
}

const as = (caller: TestCaller) => t.headersAs(caller);
const openCases = () => t.world.enforcementCases.filter((c) => c.status !== 'CLOSED');
/** The plates a case names: its vehicle and its party enterprise's fleet. */
const platesOfCase = (c: { vehiclePlateNumber: string | null; partyUscc: string | null }) =>
  new Set([
    ...(c.vehiclePlateNumber ? [c.vehiclePlateNumber] : []),
    ...t.world.vehicles.filter((v) => c.partyUscc && v.ownerUscc === c.partyUscc).map((v) => v.plateNumber),
  ]);
const closedCase = () => t.world.enforcementCases.find((c) => c.status === 'CLOSED')!;

/** The documented masks, written out independently of src/read-kit/fields/masks.ts. */
const masked = {
  idNumber: (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`,
  name: (name: string) => {
    const chars = Array.from(name);
    return chars.length === 2 ? `${chars[0]}*` : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  },
  phone: (phone: string | null) => (phone === null ? null : `${phone.slice(0, 3)}****${phone.slice(-4)}`),
  certificate: (n: string) => `${n.slice(0, 4)}${'*'.repeat(n.length - 6)}${n.slice(-2)}`,
};

describe('FORBIDDEN: fields the agreement does not grant', () => {
  it('lists every denied path of one operation: a root field and a nested one (suzhou-transport analyst, captures)', async () => {
    const v = t.world.vehicles[0];
    const error = await refused(
      `query Q($from: DateTime!, $to: DateTime!, $plate: String!, $color: PlateColor!) {
        checkpointCaptures(filter: { from: $from, to: $to }) { totalCount }
        vehicle(plateNumber: $plate, plateColor: $color) { plateNumber captures(from: $from, to: $to) { totalCount } }
      }`,
      { ...WINDOW, plate: v.plateNumber, color: v.plateColor },
      await as({ ...ANALYST, purpose: 'statistics' }),
      'FORBIDDEN',
    );
    expect(error).toEqual({
      message: 'Not granted to suzhou-transport (analyst): checkpointCaptures, vehicle.captures',
      extensions: { code: 'FORBIDDEN', deniedPaths: ['checkpointCaptures', 'vehicle.captures'] },
    });
  });

  it('names paths as sent: through aliases, named fragments and inline fragments, deep in connections', async () => {
    const v = t.world.vehicles[0];
    const error = await refused(
      `query Q($from: DateTime!, $to: DateTime!, $plate: String!, $color: PlateColor!) {
        recent: checkpointCaptures(filter: { from: $from, to: $to }) { totalCount }
        truck: vehicle(plateNumber: $plate, plateColor: $color) { plateNumber ...Seen }
        fleet: vehicles(first: 2) { edges { node { ... on Vehicle { plateNumber seen: captures(from: $from, to: $to) { totalCount } } } } }
        staff: practitioners(first: 1) { edges { node { name cases: enforcementCases { caseNumber } } } }
      }
      fragment Seen on Vehicle { captures(from: $from, to: $to) { totalCount } }`,
      { ...WINDOW, plate: v.plateNumber, color: v.plateColor },
      await as({ ...ANALYST, purpose: 'statistics' }),
      'FORBIDDEN',
    );
    expect(error.extensions).toEqual({
      code: 'FORBIDDEN',
      deniedPaths: ['fleet.edges.node.seen', 'recent', 'staff.edges.node.cases', 'truck.captures'],
    });
  });

  it('refuses the whole operation, granted fields included: nothing partial comes back', async () => {
    const e = t.world.enterprises[0];
    const error = await refused(
      `{ enterprise(uscc: "${e.uscc}") { name } checkpointCaptures(filter: { from: "${WINDOW.from}", to: "${WINDOW.to}" }) { totalCount } }`,
      {},
      await as({ ...ANALYST, purpose: 'statistics' }),
      'FORBIDDEN',
    );
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', deniedPaths: ['checkpointCaptures'] });
    // The granted half alone is answered.
    const alone = await execute(t.hub.graphqlUrl, `{ enterprise(uscc: "${e.uscc}") { name } }`, {}, await as(ANALYST));
    expect({ status: alone.status, data: alone.data }).toEqual({ status: 200, data: { enterprise: { name: e.name } } });
  });
});

describe('PURPOSE_REQUIRED and PURPOSE_NOT_PERMITTED', () => {
  it('refuses personal data without a declared purpose, naming the permitted ones', async () => {
    const error = await refused('{ practitioners(first: 1) { edges { node { name } } } }', {}, await as(ANALYST), 'PURPOSE_REQUIRED');
    expect(error.extensions).toEqual({ code: 'PURPOSE_REQUIRED', permitted: ANALYST_PURPOSES });
    // A personal field nested under public data needs it just the same.
    const e = t.world.enterprises[0];
    const nested = await refused(`{ enterprise(uscc: "${e.uscc}") { name legalRepresentative } }`, {}, await as(ANALYST), 'PURPOSE_REQUIRED');
    expect(nested.extensions).toEqual({ code: 'PURPOSE_REQUIRED', permitted: ANALYST_PURPOSES });
  });

  it("refuses a purpose the agreement does not permit, even another role's purpose of the same agency", async () => {
    for (const purpose of ['case-investigation', 'curiosity']) {
      const error = await refused('{ practitioners(first: 1) { edges { node { name } } } }', {}, await as({ ...ANALYST, purpose }), 'PURPOSE_NOT_PERMITTED');
      expect(error.extensions).toEqual({ code: 'PURPOSE_NOT_PERMITTED', purpose, permitted: ANALYST_PURPOSES });
    }
  });

  it('answers with a permitted purpose (the control)', async () => {
    const result = await execute(
      t.hub.graphqlUrl,
      '{ practitioners(first: 1) { edges { node { status } } } }',
      {},
      await as({ ...ANALYST, purpose: 'statistics' }),
    );
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });
});

describe('CASE_REQUIRED and CASE_NOT_VALID', () => {
  it('refuses captures without a case number, at the root and nested under a vehicle', async () => {
    const error = await refused(CAPTURES, WINDOW, await as({ ...OFFICER, purpose: 'case-investigation' }), 'CASE_REQUIRED');
    expect(error.extensions).toEqual({ code: 'CASE_REQUIRED' });
    const v = t.world.vehicles.find((x) => x.registrationDivision.startsWith('32'))!;
    const nested = await refused(
      `query V($from: DateTime!, $to: DateTime!) { vehicle(plateNumber: "${v.plateNumber}", plateColor: ${v.plateColor}) { captures(from: $from, to: $to) { totalCount } } }`,
      WINDOW,
      await as({ ...OFFICER, purpose: 'case-investigation' }),
      'CASE_REQUIRED',
    );
    expect(nested.extensions).toEqual({ code: 'CASE_REQUIRED' });
  });

  /** A CASE_NOT_VALID refusal reads exactly one statement: the named case, never a capture. */
  async function caseNotValid(caller: TestCaller, caseNumber: string): Promise<void> {
    const error = await refused(CAPTURES, WINDOW, await as({ ...caller, purpose: 'case-investigation', caseNumber }), 'CASE_NOT_VALID', 1);
    expect(error.extensions).toEqual({ code: 'CASE_NOT_VALID', caseNumber });
    const last = t.hub.db.counter.recent[t.hub.db.counter.recent.length - 1];
    expect(last).toMatch(/^\s*select k\.status, .* from enforcement_case k where k\.case_number = \$1/s);
  }

  it('refuses a CLOSED case', async () => {
    await caseNotValid(OFFICER, closedCase().caseNumber);
  });

  it('refuses a case number that names no case', async () => {
    const unknown = '苏E交执〔2099〕99999号';
    expect(t.world.enforcementCases.some((c) => c.caseNumber === unknown)).toBe(false);
    await caseNotValid(OFFICER, unknown);
  });

  it('answers the transport officer under an open case (the control): the captures of the vehicles it names', async () => {
    const result = await execute<{ checkpointCaptures: { totalCount: number; edges: Array<{ node: { plateNumber: string } }> } }, unknown>(
      t.hub.graphqlUrl,
      CAPTURES,
      WINDOW,
      await as({ ...OFFICER, purpose: 'case-investigation', caseNumber: openCases()[0].caseNumber }),
    );
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const named = platesOfCase(openCases()[0]);
    expect(result.data!.checkpointCaptures.edges.every((e) => named.has(e.node.plateNumber))).toBe(true);
  });

  it('refuses suzhou-psb an open case not transferred to the police, and answers once it is', async () => {
    const open = openCases()[0];
    expect(open.transferredToPolice).toBe(false);
    await caseNotValid(PSB, open.caseNumber);
    await t.hub.db.pool.query('update enforcement_case set transferred_to_police = true where case_number = $1', [open.caseNumber]);
    try {
      const result = await execute(t.hub.graphqlUrl, CAPTURES, WINDOW, await as({ ...PSB, purpose: 'case-investigation', caseNumber: open.caseNumber }));
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      // Transferred but closed is still refused.
      await caseNotValid(PSB, closedCase().caseNumber);
    } finally {
      await t.hub.db.pool.query('update enforcement_case set transferred_to_police = false where case_number = $1', [open.caseNumber]);
    }
  });
});

describe('AGREEMENT_EXPIRED and NO_AGREEMENT', () => {
  it('refuses anhui-transport, whose only agreement lapsed, naming it and its validity', async () => {
    const error = await refused(
      '{ vehicles(first: 1) { totalCount } }',
      {},
      await as({ agency: 'anhui-transport', roles: ['officer'], purpose: 'cross-region-enforcement' }),
      'AGREEMENT_EXPIRED',
    );
    expect(error).toEqual({
      message: 'Agreement CSJ-AH-2025-01 is not in force (valid 2024-12-31T16:00:00.000Z to 2026-06-30T15:59:59.000Z)',
      extensions: { code: 'AGREEMENT_EXPIRED', agreement: 'CSJ-AH-2025-01', validFrom: '2024-12-31T16:00:00.000Z', validUntil: '2026-06-30T15:59:59.000Z' },
    });
  });

  it('refuses a caller no agreement names (the sync connector), whatever it asks', async () => {
    for (const query of ['{ vehicles(first: 1) { totalCount } }', '{ enterprises(first: 1) { totalCount } }']) {
      const error = await refused(query, {}, await as({ agency: 'xietong-sync', roles: ['connector'], purpose: 'hub-operations' }), 'NO_AGREEMENT');
      expect(error).toEqual({
        message: 'No data-sharing agreement covers xietong-sync (connector)',
        extensions: { code: 'NO_AGREEMENT', agency: 'xietong-sync', roles: ['connector'] },
      });
    }
  });

  it('still answers myAccess: anhui sees its lapsed agreement with inForce false and nothing granted', async () => {
    const result = await execute(
      t.hub.graphqlUrl,
      '{ myAccess { agency roles purposes introspection agreements { id purposes validFrom validUntil inForce } types { type } } }',
      {},
      await as({ agency: 'anhui-transport', roles: ['officer'] }),
    );
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      myAccess: {
        agency: 'anhui-transport',
        roles: ['officer'],
        purposes: [],
        introspection: false,
        agreements: [
          {
            id: 'CSJ-AH-2025-01',
            purposes: ['cross-region-enforcement'],
            validFrom: '2024-12-31T16:00:00.000Z',
            validUntil: '2026-06-30T15:59:59.000Z',
            inForce: false,
          },
        ],
        types: [],
      },
    });
    // myAccess and anything else together: the rest makes it AGREEMENT_EXPIRED as a whole.
    await refused(
      '{ myAccess { agency } vehicles(first: 1) { totalCount } }',
      {},
      await as({ agency: 'anhui-transport', roles: ['officer'] }),
      'AGREEMENT_EXPIRED',
    );
  });

  it('shows an agreement in force as inForce true (the control), and none for the connector', async () => {
    const analyst = await execute<{ myAccess: { agreements: Array<{ id: string; inForce: boolean }>; purposes: string[] } }, unknown>(
      t.hub.graphqlUrl,
      '{ myAccess { purposes agreements { id inForce } } }',
      {},
      await as(ANALYST),
    );
    expect(analyst.data).toEqual({ myAccess: { purposes: ANALYST_PURPOSES, agreements: [{ id: 'SZJT-2026-02', inForce: true }] } });
    const connector = await execute(
      t.hub.graphqlUrl,
      '{ myAccess { agency purposes agreements { id } types { type } } }',
      {},
      await as({ agency: 'xietong-sync', roles: ['connector'] }),
    );
    expect({ status: connector.status, data: connector.data }).toEqual({
      status: 200,
      data: { myAccess: { agency: 'xietong-sync', purposes: [], agreements: [], types: [] } },
    });
  });
});

describe('masks over HTTP', () => {
  interface Node {
    idNumber: string;
    name: string;
    phone: string | null;
    certificateNumber: string;
    __typename: string;
  }
  const PRACTITIONERS = '{ practitioners(first: 500) { totalCount edges { node { __typename idNumber name phone certificateNumber } } } }';
  const BY_CERTIFICATE = PRACTITIONERS.replace('first: 500', 'first: 500, orderBy: CERTIFICATE_NUMBER_ASC');
  /** The world's practitioners in certificate-number order (then ID). */
  const inOrder = () =>
    [...t.world.practitioners].sort((a, b) => a.certificateNumber.localeCompare(b.certificateNumber) || a.idNumber.localeCompare(b.idNumber));

  it('gives the suzhou-transport analyst practitioners with ID, name, phone and certificate masked as documented', async () => {
    const result = await execute<{ practitioners: { totalCount: number; edges: Array<{ node: Node }> } }, unknown>(
      t.hub.graphqlUrl,
      PRACTITIONERS,
      {},
      await as({ ...ANALYST, purpose: 'statistics' }),
    );
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.practitioners.edges.map((e) => e.node);
    const world = inOrder();
    expect(nodes).toHaveLength(world.length);
    expect(nodes.length).toBeGreaterThan(20);
    for (const node of nodes) {
      expect(node.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(node.name).toMatch(/^\p{Script=Han}\*+\p{Script=Han}?$/u);
      if (node.phone !== null) expect(node.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(node.certificateNumber).toMatch(/^\d{4}\*{10}\d{2}$/);
    }
    // In the default order, a hash of each record: nothing of the masked values can be read from it.
    expect(nodes).toEqual(
      expect.arrayContaining(
        world.map((p) => ({
          __typename: 'Practitioner',
          idNumber: masked.idNumber(p.idNumber),
          name: masked.name(p.name),
          phone: masked.phone(p.phone),
          certificateNumber: masked.certificate(p.certificateNumber),
        })),
      ),
    );
    // Both name shapes occur: 张* (two characters) and 张*明 (three).
    expect(nodes.some((n) => /^\p{Script=Han}\*$/u.test(n.name))).toBe(true);
    expect(nodes.some((n) => /^\p{Script=Han}\*\p{Script=Han}$/u.test(n.name))).toBe(true);
    // No raw value of a masked field is in the response.
    for (const p of world) {
      expect(result.raw).not.toContain(`"${p.name}"`);
      if (p.phone) expect(result.raw).not.toContain(p.phone);
    }
  });

  it('refuses the analyst paging in certificate-number order: the order of masked values would rebuild them', async () => {
    const error = await refused(BY_CERTIFICATE, {}, await as({ ...ANALYST, purpose: 'statistics' }), 'FORBIDDEN');
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', deniedPaths: ['practitioners(orderBy:CERTIFICATE_NUMBER_ASC)'] });
  });

  it('gives the officer the same practitioners unmasked (masks are per agreement), in certificate-number order if asked', async () => {
    const result = await execute<{ practitioners: { edges: Array<{ node: Node }> } }, unknown>(
      t.hub.graphqlUrl,
      BY_CERTIFICATE,
      {},
      await as({ ...OFFICER, purpose: 'case-investigation' }),
    );
    expect(result.data!.practitioners.edges.map((e) => e.node)).toEqual(
      inOrder().map((p) => ({
        __typename: 'Practitioner',
        idNumber: p.idNumber,
        name: p.name,
        phone: p.phone,
        certificateNumber: p.certificateNumber,
      })),
    );
  });

  it("masks an enterprise's legal representative for the analyst, and its practitioners nested under it", async () => {
    const e = t.world.enterprises.find((x) => t.world.practitioners.some((p) => p.employerUscc === x.uscc))!;
    const result = await execute<
      { enterprise: { uscc: string; legalRepresentative: string; practitioners: Array<{ idNumber: string; name: string }> } },
      unknown
    >(
      t.hub.graphqlUrl,
      `{ enterprise(uscc: "${e.uscc}") { uscc legalRepresentative practitioners { idNumber name } } }`,
      {},
      await as({ ...ANALYST, purpose: 'random-inspection' }),
    );
    expect(result.status).toBe(200);
    expect(result.data!.enterprise.uscc).toBe(e.uscc);
    expect(result.data!.enterprise.legalRepresentative).toBe(masked.name(e.legalRepresentative));
    expect(result.data!.enterprise.legalRepresentative).not.toBe(e.legalRepresentative);
    const staff = t.world.practitioners.filter((p) => p.employerUscc === e.uscc);
    expect(result.data!.enterprise.practitioners.map((p) => p.idNumber).sort()).toEqual(staff.map((p) => masked.idNumber(p.idNumber)).sort());
    expect(result.data!.enterprise.practitioners.map((p) => p.name).sort()).toEqual(staff.map((p) => masked.name(p.name)).sort());
  });

  it("keeps a masked field's GraphQL type: non-null strings stay non-null strings, a null phone stays null", async () => {
    const result = await execute<
      {
        __type: { fields: Array<{ name: string; type: { kind: string; name: string | null; ofType: { name: string } | null } }> };
        practitioners: { edges: Array<{ node: Node }> };
      },
      unknown
    >(
      t.hub.graphqlUrl,
      `{ __type(name: "Practitioner") { fields { name type { kind name ofType { name } } } }
        practitioners(first: 500) { edges { node { __typename idNumber name phone certificateNumber } } } }`,
      {},
      await as({ ...ANALYST, purpose: 'statistics' }),
    );
    expect(result.errors).toBeUndefined();
    const typeOf = (field: string) => result.data!.__type.fields.find((f) => f.name === field)!.type;
    expect(typeOf('idNumber')).toEqual({ kind: 'NON_NULL', name: null, ofType: { name: 'String' } });
    expect(typeOf('name')).toEqual({ kind: 'NON_NULL', name: null, ofType: { name: 'String' } });
    expect(typeOf('phone')).toEqual({ kind: 'SCALAR', name: 'String', ofType: null });
    const nodes = result.data!.practitioners.edges.map((e) => e.node);
    for (const node of nodes) {
      expect(typeof node.idNumber).toBe('string');
      expect(typeof node.name).toBe('string');
      expect(typeof node.certificateNumber).toBe('string');
    }
    const withoutPhone = t.world.practitioners.filter((p) => p.phone === null).length;
    expect(withoutPhone).toBeGreaterThan(0);
    expect(nodes.filter((n) => n.phone === null)).toHaveLength(withoutPhone);
  });

  it('myAccess tells the analyst which fields are masked and how', async () => {
    const result = await execute<
      { myAccess: { types: Array<{ type: string; fields: Array<{ field: string; mode: string; mask: string | null; requiresPurpose: boolean }> }> } },
      unknown
    >(t.hub.graphqlUrl, '{ myAccess { types { type fields { field mode mask requiresPurpose } } } }', {}, await as(ANALYST));
    const practitioner = result.data!.myAccess.types.find((x) => x.type === 'Practitioner')!.fields;
    const enterprise = result.data!.myAccess.types.find((x) => x.type === 'Enterprise')!.fields;
    expect(practitioner.filter((f) => ['idNumber', 'name', 'phone', 'certificateNumber'].includes(f.field))).toEqual([
      { field: 'certificateNumber', mode: 'MASKED', mask: 'CERTIFICATE', requiresPurpose: true },
      { field: 'idNumber', mode: 'MASKED', mask: 'RESIDENT_ID', requiresPurpose: true },
      { field: 'name', mode: 'MASKED', mask: 'PERSON_NAME', requiresPurpose: true },
      { field: 'phone', mode: 'MASKED', mask: 'PHONE', requiresPurpose: true },
    ]);
    expect(enterprise.find((f) => f.field === 'legalRepresentative')).toEqual({
      field: 'legalRepresentative',
      mode: 'MASKED',
      mask: 'PERSON_NAME',
      requiresPurpose: true,
    });
  });
});

describe('purpose and case: in headers or in the request extensions', () => {
  const PRACTITIONER_NAMES = '{ practitioners(first: 1) { edges { node { name } } } }';

  it('takes the purpose from the x-purpose header', async () => {
    const result = await post({ query: PRACTITIONER_NAMES }, { ...(await as(ANALYST)), 'x-purpose': 'statistics' });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('takes the purpose from extensions.purpose', async () => {
    const result = await post({ query: PRACTITIONER_NAMES, extensions: { purpose: 'statistics' } }, await as(ANALYST));
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    // And refuses one the agreement does not permit, stated the same way.
    const refusedThere = await post({ query: PRACTITIONER_NAMES, extensions: { purpose: 'case-investigation' } }, await as(ANALYST));
    expect(refusedThere.status).toBe(403);
    expect(refusedThere.data).toBeUndefined();
    expect(refusedThere.errors?.[0].extensions).toEqual({ code: 'PURPOSE_NOT_PERMITTED', purpose: 'case-investigation', permitted: ANALYST_PURPOSES });
  });

  it('lets extensions win over headers, both ways', async () => {
    const permittedInBody = await post(
      { query: PRACTITIONER_NAMES, extensions: { purpose: 'statistics' } },
      await as({ ...ANALYST, purpose: 'case-investigation' }),
    );
    expect(permittedInBody.status).toBe(200);
    const refusedInBody = await post(
      { query: PRACTITIONER_NAMES, extensions: { purpose: 'case-investigation' } },
      await as({ ...ANALYST, purpose: 'statistics' }),
    );
    expect(refusedInBody.status).toBe(403);
    expect(refusedInBody.errors?.[0].extensions?.code).toBe('PURPOSE_NOT_PERMITTED');
  });

  it('takes the case number from the percent-encoded x-case-number header', async () => {
    const open = openCases()[0].caseNumber;
    const headers = await as({ ...OFFICER, purpose: 'case-investigation', caseNumber: open });
    expect(headers['x-case-number']).toBe(encodeURIComponent(open));
    const result = await post({ query: CAPTURES, variables: WINDOW }, headers);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    // Decoded before it is checked: a closed case sent the same way is refused by its own number.
    const closed = closedCase().caseNumber;
    const refusedClosed = await post({ query: CAPTURES, variables: WINDOW }, await as({ ...OFFICER, purpose: 'case-investigation', caseNumber: closed }));
    expect(refusedClosed.status).toBe(403);
    expect(refusedClosed.errors?.[0].extensions).toEqual({ code: 'CASE_NOT_VALID', caseNumber: closed });
  });

  it('takes the case number (and purpose) from extensions, in UTF-8, winning over the header', async () => {
    const open = openCases()[0].caseNumber;
    const result = await post({ query: CAPTURES, variables: WINDOW, extensions: { purpose: 'case-investigation', caseNumber: open } }, await as(OFFICER));
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const closed = closedCase().caseNumber;
    const overridden = await post(
      { query: CAPTURES, variables: WINDOW, extensions: { caseNumber: closed } },
      await as({ ...OFFICER, purpose: 'case-investigation', caseNumber: open }),
    );
    expect(overridden.status).toBe(403);
    expect(overridden.errors?.[0].extensions).toEqual({ code: 'CASE_NOT_VALID', caseNumber: closed });
    const missing = await post({ query: CAPTURES, variables: WINDOW, extensions: { purpose: 'case-investigation' } }, await as(OFFICER));
    expect(missing.errors?.[0].extensions).toEqual({ code: 'CASE_REQUIRED' });
  });
});
