import 'reflect-metadata';
import { getNamedType, isLeafType, isObjectType, type GraphQLSchema } from 'graphql';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { bookkeepingOf, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import { readPolicy, type RawAgreement } from './policy-oracle';

/**
 * A request is judged under ONE agreement (issue 9, item 5): the one in force that covers the
 * caller's agency and one of its roles and permits the declared purpose. A token with two roles
 * never reads one agreement's fields with the other's row scope: when both fit, the request must
 * name one. Expectations come from the agreements file as the tests read it (policy-oracle.ts).
 */

let t: TestHub;
let schema: GraphQLSchema;
beforeAll(async () => {
  [t, schema] = await Promise.all([startTestHub('one_agreement'), buildHubSchema(HUB_PARTS)]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

interface Answer<D = Record<string, unknown>> {
  status: number;
  data?: D | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Posts `query` as `caller`; purpose, case and agreement in the request's `extensions` when `inExtensions`. */
async function post<D = Record<string, unknown>>(caller: TestCaller, query: string, inExtensions = false): Promise<Answer<D>> {
  const { purpose, caseNumber, agreement, ...token } = caller;
  const declared = { purpose, caseNumber, agreement };
  const headers = await t.headersAs(inExtensions ? token : caller);
  const extensions = inExtensions ? Object.fromEntries(Object.entries(declared).filter(([, v]) => v !== undefined)) : undefined;
  const response = await fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, ...(extensions ? { extensions } : {}) }),
  });
  // The combinations of one agency come faster than its agreements' rates (20/s, bursts of 40):
  // waited out as a client honouring Retry-After does, since which agreement judges is the point here.
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 429 && retryAfter > 0) {
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    return post(caller, query, inExtensions);
  }
  return { status: response.status, ...((await response.json()) as Omit<Answer<D>, 'status'>) };
}

const FULL_ID = /^\d{17}[\dX]$/;
const inForce = (a: RawAgreement, now = new Date()) => new Date(a.validFrom) <= now && now <= new Date(a.validUntil);

describe("the review's scenario: officer + analyst declaring random-inspection", () => {
  const CASES = '{ enforcementCases(first: 100) { totalCount edges { node { caseNumber divisionCode partyPractitioner { idNumber phone } } } } }';
  type Cases = {
    enforcementCases: {
      totalCount: number;
      edges: Array<{ node: { caseNumber: string; divisionCode: string; partyPractitioner: { idNumber: string; phone: string | null } | null } }>;
    };
  };
  const district = () => t.world.enforcementCases[0].divisionCode;
  const both = (extra: Partial<TestCaller> = {}): TestCaller => ({
    agency: 'suzhou-transport',
    roles: ['officer', 'analyst'],
    divisions: [district()],
    purpose: 'random-inspection',
    ...extra,
  });

  it("is refused as ambiguous, naming both agreements, instead of mixing the officer's fields with the analyst's row scope", async () => {
    const answer = await post<Cases>(both(), CASES);
    // What the review found: unmasked ID numbers on cases outside the token's district.
    const leaked = (answer.data?.enforcementCases.edges ?? []).filter(
      (e) => !e.node.divisionCode.startsWith(district()) && FULL_ID.test(e.node.partyPractitioner?.idNumber ?? ''),
    );
    expect(leaked).toEqual([]);
    expect(answer.status).toBe(403);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0].extensions).toEqual({ code: 'AGREEMENT_AMBIGUOUS', purpose: 'random-inspection', candidates: ['SZJT-2026-01', 'SZJT-2026-02'] });
  });

  it.each([false, true])("naming the officer's agreement reads its district only, in full (in extensions: %s)", async (inExtensions) => {
    const answer = await post<Cases>(both({ agreement: 'SZJT-2026-01' }), CASES, inExtensions);
    expect(answer.errors).toBeUndefined();
    const expected = t.world.enforcementCases.filter((c) => c.divisionCode.startsWith(district()));
    expect(expected.length).toBeLessThan(t.world.enforcementCases.length);
    expect(answer.data!.enforcementCases.totalCount).toBe(expected.length);
    expect(answer.data!.enforcementCases.edges.map((e) => e.node.caseNumber).sort()).toEqual(expected.map((c) => c.caseNumber).sort());
    const ids = answer.data!.enforcementCases.edges.flatMap((e) => (e.node.partyPractitioner ? [e.node.partyPractitioner.idNumber] : []));
    expect(ids.every((id) => FULL_ID.test(id))).toBe(true);
  });

  it("naming the analyst's agreement reads every case, with ID numbers masked", async () => {
    const answer = await post<Cases>(both({ agreement: 'SZJT-2026-02' }), CASES);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.enforcementCases.totalCount).toBe(t.world.enforcementCases.length);
    const ids = answer.data!.enforcementCases.edges.flatMap((e) => (e.node.partyPractitioner ? [e.node.partyPractitioner.idNumber] : []));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.some((id) => FULL_ID.test(id))).toBe(false);
  });

  it('a named agreement that does not fit is refused with its reason', async () => {
    const other = await post(both({ agreement: 'SZSJ-2026-01' }), CASES);
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'NO_AGREEMENT', agreement: 'SZSJ-2026-01', candidates: ['SZJT-2026-01', 'SZJT-2026-02'] });
    const purpose = await post(both({ agreement: 'SZJT-2026-02', purpose: 'case-investigation' }), CASES);
    expect(purpose.errors?.[0].extensions).toEqual({
      code: 'PURPOSE_NOT_PERMITTED',
      purpose: 'case-investigation',
      permitted: ['statistics', 'random-inspection'],
      agreement: 'SZJT-2026-02',
    });
  });

  it('without a purpose, two agreements in force are ambiguous; myAccess stays open and shows both', async () => {
    const plain = await post(both({ purpose: undefined }), '{ enterprises(first: 1) { totalCount } }');
    expect(plain.errors?.[0].extensions).toEqual({ code: 'AGREEMENT_AMBIGUOUS', purpose: null, candidates: ['SZJT-2026-01', 'SZJT-2026-02'] });
    const me = await post<{ myAccess: { judgedUnder: string | null; agreements: Array<{ id: string }>; types: unknown[] } }>(
      both({ purpose: undefined }),
      '{ myAccess { judgedUnder agreements { id } types { type } } }',
    );
    expect(me.errors).toBeUndefined();
    expect(me.data!.myAccess).toEqual({ judgedUnder: null, agreements: [{ id: 'SZJT-2026-01' }, { id: 'SZJT-2026-02' }], types: [] });
    const named = await post<{ myAccess: { judgedUnder: string | null; agreements: Array<{ id: string }> } }>(
      both({ agreement: 'SZJT-2026-02' }),
      '{ myAccess { judgedUnder agreements { id } } }',
    );
    expect(named.data!.myAccess).toEqual({ judgedUnder: 'SZJT-2026-02', agreements: [{ id: 'SZJT-2026-01' }, { id: 'SZJT-2026-02' }] });
  });

  it('the audit event records the one agreement the request was judged under', async () => {
    const answer = await post(both({ agreement: 'SZJT-2026-01' }), '{ enterprises(first: 1) { totalCount } }');
    expect(answer.errors).toBeUndefined();
    const [row] = await bookkeepingOf(t.hub).query<{ content: { agreement: string } }>('select content from audit_event order by seq desc limit 1');
    expect(row.content.agreement).toBe('SZJT-2026-01');
  });
});

// ---------------------------------------------------------------------------------------------
// Every pair of roles of every agency in the agreements file

const LIST_ROOTS = ['enterprises', 'vehicles', 'enforcementCases', 'weighings', 'practitioners'];

interface Combination {
  agency: string;
  roles: [string, string];
  purpose: string | null;
}

function combinations(): Combination[] {
  const { agreements } = readPolicy();
  const out: Combination[] = [];
  for (const agency of [...new Set(agreements.map((a) => a.consumer.agency))]) {
    const roles = [...new Set(agreements.filter((a) => a.consumer.agency === agency).flatMap((a) => a.consumer.roles))].sort();
    for (let i = 0; i < roles.length; i++) {
      for (let j = i + 1; j < roles.length; j++) {
        const pair: [string, string] = [roles[i], roles[j]];
        const purposes = [
          ...new Set(agreements.filter((a) => a.consumer.agency === agency && a.consumer.roles.some((r) => pair.includes(r))).flatMap((a) => a.purposes)),
        ];
        for (const purpose of [null, ...purposes]) out.push({ agency, roles: pair, purpose });
      }
    }
  }
  return out;
}

const COMBINATIONS = combinations();

describe('every pair of roles reads exactly what one agreement gives, never a mix', () => {
  it('covers every agency with two or more roles in the file', () => {
    const agencies = new Set(COMBINATIONS.map((c) => c.agency));
    expect([...agencies].sort()).toEqual(['anhui-transport', 'shanghai-transport', 'suzhou-amr', 'suzhou-psb', 'suzhou-transport', 'zhejiang-transport']);
    expect(COMBINATIONS.filter((c) => c.agency === 'suzhou-transport').map((c) => c.roles.join('+'))).toEqual(
      expect.arrayContaining(['analyst+officer', 'administrator+auditor', 'auditor+officer']),
    );
  });

  /** One read per list root the agreement grants, selecting every leaf field it grants there. */
  function readFor(
    agreement: RawAgreement,
    types: Array<{ type: string; fields: Array<{ field: string; requiresPurpose: boolean; requiresCase: boolean }> }>,
    purpose: string | null,
  ): string | null {
    const granted = new Map(
      types.map((ty) => [ty.type, ty.fields.filter((f) => !f.requiresCase && (purpose !== null || !f.requiresPurpose)).map((f) => f.field)]),
    );
    const parts: string[] = [];
    for (const root of LIST_ROOTS) {
      if (!granted.get('Query')?.includes(root)) continue;
      const connection = getNamedType(schema.getQueryType()!.getFields()[root].type);
      if (!isObjectType(connection)) continue;
      const node = getNamedType(connection.getFields().edges.type);
      const nodeType = isObjectType(node) ? getNamedType(node.getFields().node.type) : null;
      if (!isObjectType(nodeType)) continue;
      const leaves = (granted.get(nodeType.name) ?? []).filter((f) => {
        const field = nodeType.getFields()[f];
        return field && isLeafType(getNamedType(field.type)) && field.args.length === 0;
      });
      const count = granted.get(connection.name)?.includes('totalCount') ? 'totalCount' : '';
      if (leaves.length && granted.get(connection.name)?.includes('edges'))
        parts.push(`${root}(first: 15) { ${count} edges { node { ${leaves.join(' ')} } } }`);
    }
    return parts.length && !agreement.allowedOperations ? `{ ${parts.join(' ')} }` : null;
  }

  const MY_ACCESS = '{ myAccess { judgedUnder types { type fields { field mode mask requiresPurpose requiresCase } } } }';

  it.each(COMBINATIONS.map((c) => [`${c.agency} ${c.roles.join('+')} purpose ${c.purpose ?? '(none)'}`, c] as const))('%s', async (_label, c) => {
    const { agreements } = readPolicy();
    const divisions = [t.world.enforcementCases[0].divisionCode];
    const covering = agreements.filter((a) => a.consumer.agency === c.agency && a.consumer.roles.some((r) => c.roles.includes(r)));
    const valid = covering.filter((a) => inForce(a));
    const fitting = valid.filter((a) => c.purpose === null || a.purposes.includes(c.purpose));
    const both: TestCaller = { agency: c.agency, roles: [...c.roles], divisions, ...(c.purpose ? { purpose: c.purpose } : {}) };
    const probe = '{ myAccess { judgedUnder } }';

    if (valid.length === 0) {
      const refused = await post(both, '{ vehicles(first: 1) { totalCount } }');
      expect(refused.errors?.[0].extensions?.code).toBe('AGREEMENT_EXPIRED');
      return;
    }
    if (fitting.length === 0) {
      const refused = await post(both, '{ vehicles(first: 1) { totalCount } }');
      expect(refused.errors?.[0].extensions?.code).toBe('PURPOSE_NOT_PERMITTED');
      expect((await post<{ myAccess: { judgedUnder: string | null } }>(both, probe)).data!.myAccess.judgedUnder).toBeNull();
      return;
    }
    if (fitting.length > 1) {
      const refused = await post(both, '{ vehicles(first: 1) { totalCount } }');
      expect(refused.errors?.[0].extensions).toEqual({ code: 'AGREEMENT_AMBIGUOUS', purpose: c.purpose, candidates: fitting.map((a) => a.id) });
    }
    // Unnamed when only one fits; otherwise each candidate, named: the same as a token holding only its role.
    for (const agreement of fitting) {
      const named: TestCaller = fitting.length > 1 ? { ...both, agreement: agreement.id } : both;
      const single: TestCaller = { ...both, roles: [c.roles.find((r) => agreement.consumer.roles.includes(r))!] };
      const [mine, alone] = await Promise.all([
        post<{ myAccess: { judgedUnder: string; types: never[] } }>(named, MY_ACCESS),
        post<{ myAccess: { judgedUnder: string; types: never[] } }>(single, MY_ACCESS),
      ]);
      expect(mine.errors).toBeUndefined();
      expect(mine.data!.myAccess.judgedUnder).toBe(agreement.id);
      expect(mine.data!.myAccess).toEqual(alone.data!.myAccess);
      const read = readFor(agreement, alone.data!.myAccess.types, c.purpose);
      if (!read) continue;
      const [withBoth, withOne] = await Promise.all([post(named, read), post(single, read)]);
      expect(withOne.errors).toBeUndefined();
      expect(withBoth).toEqual(withOne);
    }
  });
});
