import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { getNamedType, isObjectType, Kind, parse, print, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import type { EnforcementCaseRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';
import { startTestHub, type TestHub } from '../support/test-hub';
import { checkOutcome, expectedCode, type Outcome, type Verified } from './matrix-check';
import { planFor, STYLES, targetTypes, type Plan, type Style } from './matrix-plan';
import { agencyRoles, POLICY_FILE, PolicyOracle, readPolicy, type CallerPolicy, type RawPolicy } from './policy-oracle';
import { WorldIndex, type Row } from './world-index';

/**
 * The access matrix: for every agency × role the hub knows and every object type of the schema,
 * one operation over HTTP reaches the type along a path from Query and selects all its fields;
 * the hub's decision (refusal code, deniedPaths, or data masked as agreed) must equal what the
 * tests' own reading of schema/policy/agreements.json (policy-oracle.ts) says. Query shapes rotate
 * (plain, aliases on every field, named fragment, inline fragment) and so does the way purpose
 * and case travel (headers, request extensions). Row-scope tests follow.
 */

// A world with transferred (police-held) cases, several Shanghai-plated vehicles with cases and
// weighings, and Zhejiang ones: seed 7 at the default size has no transferred case at all.
// Hundreds of requests per caller, faster than the peer bureaus' agreements allow (20 a second):
// this file tests decisions, not rate limits (test/api/read-limits.test.ts does).
const WORLD = { seed: 37, size: 0.015, hub: { admission: false } };
/** A Suzhou transport officer covering every registration of the world (divisions claim). */
const ALL_DIVISIONS = ['31', '32', '33', '34'];

const AGENCY_ROLES = agencyRoles(readPolicy());
const CALLERS: Array<[string, string]> = Object.entries(AGENCY_ROLES).flatMap(([agency, roles]) => roles.map((role): [string, string] => [agency, role]));

let t: TestHub;
let schema: GraphQLSchema;
let world: WorldIndex;
let oracle: PolicyOracle;
let targets: GraphQLObjectType[];

beforeAll(async () => {
  [t, schema] = await Promise.all([startTestHub('access-matrix', WORLD), buildHubSchema(HUB_PARTS)]);
  world = new WorldIndex(t.world);
  // Risk grades are the hub's own, graded from the world: the matrix reads them where the hub keeps them.
  await gradeEnterprises(t.hub.db.pool, loadRiskGradeRules(loadConfig({}).riskGradeRulesFile), { full: true });
  const graded = await t.hub.db.pool.query<{ uscc: string; division: string; deductions: unknown[] }>(
    'select uscc, division, deductions from enterprise_risk_grade where deleted_at is null',
  );
  for (const row of graded.rows) world.riskGrades.set(row.uscc, row);
  oracle = new PolicyOracle(schema, readPolicy(), new Date(), (typeName) => world.recordsOf(typeName));
  targets = targetTypes(schema);
  // What the matrix and the row-scope tests need from the world; a different seed may lack it.
  const cases = t.world.enforcementCases;
  if (!openCaseOf('suzhou-transport') || !openCaseOf('suzhou-psb')) throw new Error('the world needs an open case and an open transferred case');
  if (!cases.some((c) => c.transferredToPolice) || !cases.some((c) => c.vehiclePlateNumber?.startsWith('沪')))
    throw new Error('the world needs transferred and 沪 cases');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

// ---------------------------------------------------------------------------------------------
// Sending

type Via = 'headers' | 'extensions';

interface Request {
  agency: string;
  role: string;
  divisions?: string[];
  query: string;
  variables?: Record<string, unknown>;
  purpose?: string | null;
  caseNumber?: string | null;
  via?: Via;
}

/** Posts one operation with a development token; purpose and case in headers or in `extensions`. */
async function send(request: Request): Promise<Outcome> {
  const via = request.via ?? 'headers';
  const reason = { purpose: request.purpose ?? undefined, caseNumber: request.caseNumber ?? undefined };
  const headers = await t.headersAs({
    agency: request.agency,
    roles: [request.role],
    ...(request.divisions ? { divisions: request.divisions } : {}),
    ...(via === 'headers' ? reason : {}),
  });
  const extensions = via === 'extensions' ? Object.fromEntries(Object.entries(reason).filter(([, v]) => v !== undefined)) : undefined;
  const response = await fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: request.query, variables: request.variables, ...(extensions ? { extensions } : {}) }),
  });
  const raw = await response.text();
  let parsed: Partial<Outcome> = {};
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Kept raw for the report.
  }
  return { status: response.status, data: parsed.data, errors: parsed.errors, raw };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

function divisionsOf(agency: string, role: string): string[] | undefined {
  return agency === 'suzhou-transport' && role === 'officer' ? ALL_DIVISIONS : undefined;
}

/**
 * An open case the agency holds, per the agreements file (`cases.holds`, and a case its officer may
 * see), whose named vehicles were captured in the window: a case unlocks only their captures.
 */
function openCaseOf(agency: string): EnforcementCaseRecord | undefined {
  const roles = AGENCY_ROLES[agency] ?? [];
  for (const role of roles) {
    const policy = oracle.caller(agency, role, divisionsOf(agency, role) ?? []);
    const held = t.world.enforcementCases.filter((c) => policy.holds(c as unknown as Row));
    const captured = held.find((c) => [...platesOf(c)].some((k) => (world.capturesByVehicle.get(k) ?? []).length > 0));
    if (captured) return captured;
  }
  return undefined;
}

/** The plate keys a case names: its vehicle, and its party enterprise's fleet. */
function platesOf(c: EnforcementCaseRecord): Set<string> {
  const keys = new Set<string>();
  if (c.vehiclePlateNumber) keys.add(WorldIndex.vehicleKey(c.vehiclePlateNumber, String(c.vehiclePlateColor)));
  for (const v of c.partyUscc ? (world.vehiclesByOwner.get(c.partyUscc) ?? []) : []) keys.add(WorldIndex.vehicleKey(v.plateNumber, v.plateColor));
  return keys;
}

/** Sends a plan as the policy allows: a permitted purpose, and an open case when captures are selected. */
function sendPlan(plan: Plan, via: Via): Promise<Outcome> {
  const { caller } = plan;
  return send({
    agency: caller.agency,
    role: caller.role,
    divisions: [...caller.divisions],
    query: plan.query,
    via,
    // A refused caller's purpose is never looked at; a permitted one is declared by every other.
    purpose: caller.purposes[0] ?? 'audit',
    caseNumber: plan.needsCase ? (openCaseOf(caller.agency)?.caseNumber ?? null) : null,
  });
}

// ---------------------------------------------------------------------------------------------
// The matrix

interface Tally {
  callers: number;
  plans: number;
  /** Of which second operations selecting only the granted fields of a partly refused type. */
  grantedOnly: number;
  byStyle: Record<Style, number>;
  /** The styles each caller was sent. */
  stylesOf: Map<string, Set<Style>>;
  byVia: Record<Via, number>;
  /** (agency, role, Type.field) triples whose own decision the hub was asked for. */
  decided: Set<string>;
  /** Triples hidden behind a refused field on the path (only the parent is reported). */
  hidden: Set<string>;
  /** Triples of callers limited to persisted operations: every generated operation is refused whole. */
  persistedOnly: Set<string>;
  /** Triples whose returned value was compared with the world (full or masked). */
  verified: Verified;
  refusals: Record<string, number>;
  /** Granted paths that returned no row (types the synthetic world has none of, e.g. sync runs). */
  empty: Set<string>;
}

const tally: Tally = {
  callers: 0,
  plans: 0,
  grantedOnly: 0,
  byStyle: { plain: 0, aliased: 0, fragment: 0, inline: 0 },
  stylesOf: new Map(),
  byVia: { headers: 0, extensions: 0 },
  decided: new Set(),
  hidden: new Set(),
  persistedOnly: new Set(),
  verified: new Set(),
  refusals: {},
  empty: new Set(),
};

function callerPolicy(agency: string, role: string): CallerPolicy {
  const caller = oracle.caller(agency, role, divisionsOf(agency, role) ?? []);
  const open = openCaseOf(agency);
  caller.casePlates = open ? platesOf(open) : null;
  return caller;
}

/**
 * Plans for every target type, styles rotated so each caller and each type sees every style. When
 * the target is reachable but some of its fields are refused, a second operation selects only the
 * granted ones: it must succeed, and its values are compared with the world.
 */
function plansOf(caller: CallerPolicy, callerIndex: number): Array<{ plan: Plan; via: Via }> {
  return targets.flatMap((target, typeIndex) => {
    const style = STYLES[(callerIndex + typeIndex) % STYLES.length];
    const via: Via = Math.floor((callerIndex + typeIndex) / STYLES.length) % 2 === 0 ? 'headers' : 'extensions';
    const all = planFor(schema, world, caller, target, style);
    const plans = [{ plan: all, via }];
    const refusedBelowTarget = all.reachable && all.expectedDenied.length > 0 && caller.standing === 'OK';
    if (refusedBelowTarget && Object.keys(target.getFields()).some((f) => caller.mode(target.name, f) !== null)) {
      const other = STYLES[(callerIndex + typeIndex + 1) % STYLES.length];
      plans.push({ plan: planFor(schema, world, caller, target, other, true), via: via === 'headers' ? 'extensions' : 'headers' });
    }
    return plans;
  });
}

function record(plan: Plan, via: Via): void {
  const who = `${plan.caller.agency}/${plan.caller.role}`;
  tally.plans += 1;
  if (plan.grantedOnly) tally.grantedOnly += 1;
  tally.byStyle[plan.style] += 1;
  tally.stylesOf.set(who, (tally.stylesOf.get(who) ?? new Set<Style>()).add(plan.style));
  tally.byVia[via] += 1;
  const code = expectedCode(plan) ?? 'OK';
  tally.refusals[code] = (tally.refusals[code] ?? 0) + 1;
  const pathRefused = plan.steps.some((s) => plan.caller.mode(s.parent, s.field) === null);
  if (plan.grantedOnly) return;
  for (const s of plan.selections) {
    if (s.meta) continue;
    const bucket = code === 'OPERATION_NOT_ALLOWED' ? tally.persistedOnly : pathRefused ? tally.hidden : tally.decided;
    bucket.add(`${who} ${plan.target}.${s.field}`);
  }
}

describe('access matrix: every agency × role × type × field, over HTTP', () => {
  it.each(CALLERS)('%s %s: every decision equals the policy', async (agency, role) => {
    const caller = callerPolicy(agency, role);
    const plans = plansOf(
      caller,
      CALLERS.findIndex(([a, r]) => a === agency && r === role),
    );
    const problems = (
      await mapLimit(plans, 6, async ({ plan, via }) => {
        record(plan, via);
        const outcome = await sendPlan(plan, via);
        const found = checkOutcome(schema, world, plan, outcome, tally.verified, tally.empty);
        return found.length ? [...found, `  query (${via}):\n${plan.query}`] : [];
      })
    ).flat();
    tally.callers += 1;
    expect(problems).toEqual([]);
  });

  it.each(CALLERS)('%s %s: myAccess (always open) reports exactly the policy', async (agency, role) => {
    const caller = callerPolicy(agency, role);
    const outcome = await send({
      agency,
      role,
      divisions: divisionsOf(agency, role),
      query: '{ myAccess { agency roles divisions purposes introspection agreements { id inForce } types { type fields { field mode mask } } } }',
    });
    expect(outcome.errors).toBeUndefined();
    const access = outcome.data!.myAccess as {
      agency: string;
      roles: string[];
      divisions: string[];
      purposes: string[];
      introspection: boolean;
      agreements: Array<{ id: string; inForce: boolean }>;
      types: Array<{ type: string; fields: Array<{ field: string; mode: string; mask: string | null }> }>;
    };
    expect(access).toMatchObject({ agency, roles: [role], divisions: divisionsOf(agency, role) ?? [], introspection: caller.introspection });
    expect([...access.purposes].sort()).toEqual([...caller.purposes].sort());
    expect(access.agreements).toEqual(caller.agreement ? [{ id: caller.agreement.id, inForce: caller.standing === 'OK' }] : []);
    const expected: string[] = [];
    if (caller.standing === 'OK') {
      for (const typeName of Object.keys(caller.agreement!.fields)) {
        const type = schema.getType(typeName) as GraphQLObjectType;
        for (const field of Object.values(type.getFields())) {
          const mode = caller.granted(typeName, field.name);
          if (!mode) continue;
          const declared = (field.extensions as Record<string, unknown>).mask;
          const mask = mode.kind === 'masked' ? (mode.mask ?? (typeof declared === 'string' ? declared : 'REDACT')) : null;
          expected.push(`${typeName}.${field.name} ${mode.kind === 'full' ? 'FULL' : 'MASKED'} ${mask}`);
        }
      }
    }
    const reported = access.types.flatMap((ty) => ty.fields.map((f) => `${ty.type}.${f.field} ${f.mode} ${f.mask}`));
    expect(reported.sort()).toEqual(expected.sort());
  });

  it('covered every caller, type, field and query style, and checked values against the world', () => {
    // Runs after the matrix above (tests in a file run in order).
    const fields = targets.reduce((n, type) => n + Object.keys(type.getFields()).length, 0);
    expect(tally.callers).toBe(CALLERS.length);
    expect(tally.plans - tally.grantedOnly).toBe(CALLERS.length * targets.length);
    expect(tally.decided.size + tally.hidden.size + tally.persistedOnly.size).toBe(CALLERS.length * fields);
    for (const [agency, role] of CALLERS) expect([...(tally.stylesOf.get(`${agency}/${role}`) ?? [])].sort()).toEqual([...STYLES].sort());
    // Every field a caller in force is granted, on a type it can reach, had a value compared with the world
    // (values that are null everywhere in the world excepted: those are listed).
    const unverified: string[] = [];
    for (const [agency, role] of CALLERS) {
      const caller = callerPolicy(agency, role);
      // Callers held to persisted operations cannot send the matrix's operations (see their own test).
      if (caller.standing !== 'OK' || caller.allowedOperations) continue;
      for (const target of targets) {
        const records = world.recordsOf(target.name, target.name === 'Provenance' ? 'Enterprise' : undefined);
        if (!records) continue;
        for (const field of Object.values(target.getFields())) {
          const mode = caller.mode(target.name, field.name);
          if (!mode || isObjectType(getNamedType(field.type)) || !(field.name in records[0])) continue;
          const key = `${agency}/${role} ${target.name}.${field.name} ${mode.kind}`;
          if (!tally.decided.has(`${agency}/${role} ${target.name}.${field.name}`)) continue;
          if (!tally.verified.has(key)) unverified.push(key);
        }
      }
    }
    console.log(
      [
        `access matrix: ${CALLERS.length} agency×role callers × ${targets.length} object types (${fields} fields) = ${CALLERS.length * fields} (caller, Type.field) decisions`,
        `  ${tally.plans} operations over HTTP (${tally.grantedOnly} of them the granted fields of a partly refused type); styles ${JSON.stringify(tally.byStyle)}; purpose/case via ${JSON.stringify(tally.byVia)}`,
        `  outcomes expected: ${JSON.stringify(tally.refusals)}`,
        `  ${tally.decided.size} decisions asked of the hub field by field, ${tally.hidden.size} hidden behind a refused parent, ${tally.persistedOnly.size} of callers limited to persisted operations`,
        `  granted, answered without rows (no such rows in a test hub): ${[...tally.empty].length} (${[...new Set([...tally.empty].map((e) => e.split(' ')[1]))].join(', ')})`,
        `  ${tally.verified.size} granted (caller, Type.field, mode) values compared with the world; not compared (null in every row reached): ${unverified.length}`,
        ...unverified.map((u) => `    ${u}`),
      ].join('\n'),
    );
    expect(tally.verified.size).toBeGreaterThan(0);
    // Every masked grant was seen masked on a real value.
    expect(unverified.filter((u) => u.endsWith(' masked'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The matrix can fail: hand-written refusals, and the checker against a policy the hub does not run

/** Runs a plan made from a (possibly altered) policy and returns what the checker finds wrong. */
async function problemsUnder(policy: RawPolicy, agency: string, role: string, targetName: string, grantedOnly = false): Promise<string[]> {
  const caller = new PolicyOracle(schema, policy, new Date(), (typeName) => world.recordsOf(typeName)).caller(agency, role, divisionsOf(agency, role) ?? []);
  const open = openCaseOf(agency);
  caller.casePlates = open ? platesOf(open) : null;
  const plan = planFor(schema, world, caller, schema.getType(targetName) as GraphQLObjectType, 'plain', grantedOnly);
  const outcome = await sendPlan(plan, 'headers');
  return checkOutcome(schema, world, plan, outcome);
}

/** The policy file with one agreement changed: a policy the hub does not run. */
function alteredPolicy(agency: string, role: string, alter: (agreement: RawPolicy['agreements'][number]) => void): RawPolicy {
  const policy = readPolicy();
  const agreement = policy.agreements.find((a) => a.consumer.agency === agency && a.consumer.roles.includes(role));
  if (!agreement) throw new Error(`no agreement for ${agency} ${role}`);
  alter(agreement);
  return policy;
}

describe('the matrix can fail', () => {
  it('a Shanghai officer asking for practitioner(idNumber) is refused with deniedPaths ["practitioner"]', async () => {
    const p = t.world.practitioners[0];
    const outcome = await send({
      agency: 'shanghai-transport',
      role: 'officer',
      purpose: 'cross-region-enforcement',
      query: `{ practitioner(idNumber: "${p.idNumber}") { name } }`,
    });
    expect({ status: outcome.status, data: outcome.data ?? null, errors: outcome.errors?.map((e) => e.extensions) }).toEqual({
      status: 403,
      data: null,
      errors: [expect.objectContaining({ code: 'FORBIDDEN', deniedPaths: ['practitioner'] })],
    });
  });

  it('refusals name every refused path, with aliases as sent, through named and inline fragments, sorted', async () => {
    const outcome = await send({
      agency: 'shanghai-transport',
      role: 'officer',
      purpose: 'cross-region-enforcement',
      query: `{
        v: vehicles(first: 1) { edges { n: node { ... on Vehicle { plateNumber owner { ...Owner } } } } }
        c: enforcementCases(first: 1) { edges { node { ...Case } } }
        practitioners(first: 1) { totalCount }
      }
      fragment Owner on Enterprise { lr: legalRepresentative fleet: vehicles { plateNumber } cases: enforcementCases { caseNumber } }
      fragment Case on EnforcementCase { caseNumber partyPractitioner { name phone ... on Practitioner { employer { uscc } } } }`,
    });
    expect(outcome.status).toBe(403);
    expect(outcome.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      deniedPaths: [
        'c.edges.node.partyPractitioner.employer',
        'c.edges.node.partyPractitioner.phone',
        'practitioners',
        'v.edges.n.owner.cases',
        'v.edges.n.owner.fleet',
      ],
    });
    expect(outcome.data ?? null).toBeNull();
  });

  it('a field granted masked is masked however it is selected: twice under aliases, in a fragment, in an inline fragment', async () => {
    const e = world.world.enterprises.find((x) => Array.from(x.legalRepresentative).length >= 2)!;
    const outcome = await send({
      agency: 'suzhou-transport',
      role: 'analyst',
      purpose: 'statistics',
      query: `{ enterprise(uscc: "${e.uscc}") { a: legalRepresentative b: legalRepresentative ...F ... on Enterprise { c: legalRepresentative } } }
        fragment F on Enterprise { legalRepresentative }`,
    });
    expect(outcome.errors).toBeUndefined();
    const got = outcome.data!.enterprise as Record<string, string>;
    for (const key of ['a', 'b', 'c', 'legalRepresentative']) {
      expect(got[key]).not.toBe(e.legalRepresentative);
      expect(got[key]).toContain('*');
    }
    expect(outcome.raw).not.toContain(e.legalRepresentative);
  });

  it('__typename is open to everyone, even a caller whose agreement has lapsed; everything else is refused with the reason', async () => {
    const typename = await send({ agency: 'anhui-transport', role: 'officer', query: '{ __typename }' });
    expect(typename.data).toEqual({ __typename: 'Query' });
    const lapsed = await send({ agency: 'anhui-transport', role: 'officer', query: '{ __typename vehicles(first: 1) { totalCount } }' });
    expect({ status: lapsed.status, code: lapsed.errors?.[0].extensions?.code }).toEqual({ status: 403, code: 'AGREEMENT_EXPIRED' });
    const none = await send({ agency: 'xietong-sync', role: 'connector', query: '{ vehicles(first: 1) { totalCount } }' });
    expect({ status: none.status, code: none.errors?.[0].extensions?.code }).toEqual({ status: 403, code: 'NO_AGREEMENT' });
    const mine = await send({ agency: 'anhui-transport', role: 'analyst', query: '{ myAccess { agreements { id inForce } types { type } } }' });
    expect(mine.data).toEqual({ myAccess: { agreements: [{ id: 'CSJ-AH-2025-01', inForce: false }], types: [] } });
  });

  it('through federation _entities (an abstract type) refusals and masks hold as on the direct path', async () => {
    const e = t.world.enterprises.find((x) => Array.from(x.legalRepresentative).length >= 2)!;
    const entities = (selection: string) =>
      `{ _entities(representations: [{ __typename: "Enterprise", uscc: "${e.uscc}" }]) { ... on Enterprise { ${selection} } } }`;
    const refused = await send({
      agency: 'shanghai-transport',
      role: 'officer',
      purpose: 'cross-region-enforcement',
      query: entities('uscc fleet: vehicles { plateNumber }'),
    });
    expect({ status: refused.status, errors: refused.errors?.map((x) => x.extensions) }).toEqual({
      status: 403,
      errors: [expect.objectContaining({ code: 'FORBIDDEN', deniedPaths: ['_entities.fleet'] })],
    });
    const masked = await send({
      agency: 'shanghai-transport',
      role: 'officer',
      purpose: 'cross-region-enforcement',
      query: entities('uscc legalRepresentative'),
    });
    expect(masked.errors).toBeUndefined();
    const [got] = masked.data!._entities as Array<{ uscc: string; legalRepresentative: string }>;
    expect(got.uscc).toBe(e.uscc);
    expect(got.legalRepresentative).not.toBe(e.legalRepresentative);
    expect(masked.raw).not.toContain(e.legalRepresentative);
  });

  it('the checker reports a grant the hub does not give (policy altered: Shanghai may look practitioners up)', async () => {
    const policy = alteredPolicy('shanghai-transport', 'officer', (a) => {
      a.fields.Query.practitioner = 'full';
    });
    expect(await problemsUnder(policy, 'shanghai-transport', 'officer', 'Practitioner')).toEqual(
      expect.arrayContaining([expect.stringMatching(/deniedPaths \["practitioner"\], policy says \["practitioner\./)]),
    );
  });

  it('the checker reports a refusal the hub does not make (policy altered: analysts lose legalRepresentative)', async () => {
    const policy = alteredPolicy('suzhou-transport', 'analyst', (a) => {
      delete a.fields.Enterprise.legalRepresentative;
    });
    expect(await problemsUnder(policy, 'suzhou-transport', 'analyst', 'Enterprise')).toEqual(
      expect.arrayContaining([expect.stringMatching(/expected HTTP 403 FORBIDDEN, got 200/)]),
    );
  });

  it('the checker reports a masked value where the policy says full, and a full one where it says masked', async () => {
    const unmasked = alteredPolicy('suzhou-transport', 'analyst', (a) => {
      a.fields.Enterprise.legalRepresentative = 'full';
    });
    expect(await problemsUnder(unmasked, 'suzhou-transport', 'analyst', 'Enterprise')).toEqual(
      expect.arrayContaining([expect.stringMatching(/no world Enterprise matches/)]),
    );
    const masked = alteredPolicy('suzhou-transport', 'officer', (a) => {
      a.fields.Practitioner.name = 'masked';
    });
    expect(await problemsUnder(masked, 'suzhou-transport', 'officer', 'Practitioner')).toEqual(
      expect.arrayContaining([expect.stringMatching(/no world Practitioner matches .* name must be masked/)]),
    );
  });

  it('the checker reports rows the hub hides (policy altered: Shanghai sees Jiangsu plates)', async () => {
    const policy = alteredPolicy('shanghai-transport', 'officer', (a) => {
      a.rowScopes!.Vehicle = [{ field: 'plateNumber', startsWithAny: ['苏'] }];
    });
    expect(await problemsUnder(policy, 'shanghai-transport', 'officer', 'Vehicle', true)).toEqual(
      expect.arrayContaining([expect.stringMatching(/the path returned no Vehicle/)]),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Masked values must not come back through another granted field

describe('a masked value is not readable elsewhere', () => {
  /** Callers and types where the policy masks a field and also grants the type's provenance record id. */
  function maskedWithProvenance(): Array<{ caller: CallerPolicy; target: GraphQLObjectType; masked: string[] }> {
    const found: Array<{ caller: CallerPolicy; target: GraphQLObjectType; masked: string[] }> = [];
    for (const [agency, role] of CALLERS) {
      const caller = callerPolicy(agency, role);
      if (caller.standing !== 'OK' || caller.allowedOperations) continue;
      for (const target of targets) {
        const masked = Object.keys(target.getFields()).filter((f) => caller.mode(target.name, f)?.kind === 'masked');
        const withProvenance = 'provenance' in target.getFields() && caller.mode(target.name, 'provenance') && caller.mode('Provenance', 'recordId');
        if (masked.length && withProvenance && world.recordsOf(target.name)) {
          found.push({ caller, target, masked });
        }
      }
    }
    return found;
  }

  /** The raw values of the masked fields that come back in clear in `provenance.recordId`. */
  async function leaks(caller: CallerPolicy, target: GraphQLObjectType, masked: string[]): Promise<string[]> {
    const plan = planFor(schema, world, caller, target, 'plain', true);
    plan.query = plan.query.replace(/provenance \{ __typename \}/, 'provenance { __typename recordId }');
    const outcome = await sendPlan(plan, 'headers');
    expect(outcome.errors).toBeUndefined();
    const raws = (world.recordsOf(target.name) ?? [])
      .flatMap((r) => masked.map((f) => r[f]))
      .filter((v): v is string => typeof v === 'string' && Array.from(v).length >= 6);
    return [
      ...new Set(
        raws
          .filter((raw) => outcome.raw.includes(raw))
          .map(() => `${caller.agency}/${caller.role} ${target.name}: masked ${masked.join(', ')} readable in provenance.recordId`),
      ),
    ];
  }

  it('for every caller and type, provenance.recordId does not hand out a field the policy masks', async () => {
    const cases = maskedWithProvenance();
    // Practitioners are keyed by resident ID number: at least the Suzhou analyst's case exists.
    expect(cases.map(({ caller, target }) => `${caller.agency}/${caller.role} ${target.name}`)).toContain('suzhou-transport/analyst Practitioner');
    const found = (await Promise.all(cases.map(({ caller, target, masked }) => leaks(caller, target, masked)))).flat();
    expect(found).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Persisted operations

const PERSISTED = readPolicy().agreements.filter((a) => a.allowedOperations?.length);

/** Variables for a persisted operation: required ones filled (instants: a window over the whole world). */
function variablesOf(document: string): Record<string, unknown> {
  const operation = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const variables: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) {
    if (v.type.kind !== Kind.NON_NULL_TYPE || v.defaultValue) continue;
    const name = v.variable.name.value;
    const typeName = v.type.type.kind === Kind.NAMED_TYPE ? v.type.type.name.value : '';
    if (typeName === 'DateTime') variables[name] = /to|until|end/i.test(name) ? '2027-01-01T00:00:00Z' : '2020-01-01T00:00:00Z';
    else throw new Error(`no placeholder for $${name}: ${typeName}`);
  }
  return variables;
}

describe('consumers limited to persisted operations', () => {
  (PERSISTED.length ? it : it.skip)('may send their persisted operations (in any layout), and nothing else', async () => {
    for (const agreement of PERSISTED) {
      const agency = agreement.consumer.agency;
      for (const role of agreement.consumer.roles) {
        for (const file of agreement.allowedOperations!) {
          const text = fs.readFileSync(path.join(path.dirname(POLICY_FILE), file), 'utf8');
          const variables = variablesOf(text);
          const purpose = agreement.purposes[0];
          const sent = await send({ agency, role, query: text, variables, purpose });
          expect({ file, role, status: sent.status, errors: sent.errors }).toEqual({ file, role, status: 200, errors: undefined });
          expect(sent.data).toBeTruthy();
          // The same document printed differently is the same operation.
          const relaid = await send({ agency, role, query: print(parse(text)).replace(/\n\s*/g, ' '), variables, purpose });
          expect(relaid.errors).toBeUndefined();
          // One more field is another operation.
          const widened = await send({ agency, role, query: text.replace('{', '{ __typename '), variables, purpose });
          expect({ status: widened.status, code: widened.errors?.[0].extensions?.code }).toEqual({ status: 403, code: 'OPERATION_NOT_ALLOWED' });
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Row scopes

interface Caller {
  agency: string;
  role: string;
  divisions?: string[];
}

/** One query as `caller` with a purpose its agreement permits; fails the test on errors. */
async function dataAs(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const policy = oracle.caller(caller.agency, caller.role, caller.divisions ?? []);
  const outcome = await send({ ...caller, query, variables, purpose: policy.purposes[0] });
  if (outcome.errors || !outcome.data) throw new Error(`${caller.agency}/${caller.role}: ${outcome.status} ${outcome.raw}`);
  return outcome.data;
}

const VEHICLES = `query Vehicles($first: Int, $after: String) {
  vehicles(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { plateNumber plateColor registrationDivision } } }
}`;
const CASES = `query Cases($filter: EnforcementCaseFilterInput) {
  enforcementCases(first: 500, filter: $filter) { totalCount edges { node { caseNumber vehiclePlateNumber divisionCode transferredToPolice } } }
}`;
const WEIGHINGS = '{ weighings(first: 500) { totalCount edges { node { plateNumber plateColor measuredAt } } } }';

const keyOf = (v: { plateNumber: string; plateColor: string }) => `${v.plateNumber}|${v.plateColor}`;
const nodes = (connection: { edges: Array<{ node: any }> }) => connection.edges.map((e) => e.node);

async function vehiclesOf(caller: Caller): Promise<{ totalCount: number; keys: string[] }> {
  const data = await dataAs(caller, VEHICLES, { first: 500 });
  return { totalCount: data.vehicles.totalCount, keys: nodes(data.vehicles).map(keyOf) };
}

/** Every vehicle the caller sees, `first` at a time through `after` cursors. */
async function walkVehicles(caller: Caller, first: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data = await dataAs(caller, VEHICLES, { first, after });
    expect(data.vehicles.edges.length).toBeLessThanOrEqual(first);
    seen.push(...nodes(data.vehicles).map(keyOf));
    if (!data.vehicles.pageInfo.hasNextPage) return seen;
    after = data.vehicles.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('row scopes: lists that mix visible and hidden rows return only the visible ones, and count only them', () => {
  const SHANGHAI: Caller = { agency: 'shanghai-transport', role: 'officer' };

  it('a Shanghai officer lists only 沪 vehicles, and totalCount is the number of 沪 vehicles in the world', async () => {
    const expected = t.world.vehicles.filter((v) => v.plateNumber.startsWith('沪')).map(keyOf);
    expect(expected.length).toBeGreaterThan(2);
    expect(t.world.vehicles.length).toBeGreaterThan(expected.length);
    const got = await vehiclesOf(SHANGHAI);
    expect(got.totalCount).toBe(expected.length);
    expect(sorted(got.keys)).toEqual(sorted(expected));
  });

  it('paging two at a time walks exactly those vehicles, once each, in the order of one page', async () => {
    const onePage = (await vehiclesOf(SHANGHAI)).keys;
    expect(await walkVehicles(SHANGHAI, 2)).toEqual(onePage);
  });

  it('a Jiangsu plate is null to a Shanghai officer, by lookup and by federation reference; a Shanghai plate is found', async () => {
    const su = t.world.vehicles.find((v) => v.plateNumber.startsWith('苏'))!;
    const hu = t.world.vehicles.find((v) => v.plateNumber.startsWith('沪'))!;
    const lookup = (v: typeof su) => `{ vehicle(plateNumber: "${v.plateNumber}", plateColor: ${v.plateColor}) { plateNumber }
      _entities(representations: [{ __typename: "Vehicle", plateNumber: "${v.plateNumber}", plateColor: "${v.plateColor}" }]) { ... on Vehicle { plateNumber } } }`;
    expect(await dataAs(SHANGHAI, lookup(su))).toEqual({ vehicle: null, _entities: [null] });
    expect(await dataAs(SHANGHAI, lookup(hu))).toEqual({ vehicle: { plateNumber: hu.plateNumber }, _entities: [{ plateNumber: hu.plateNumber }] });
  });

  it('a Shanghai officer lists only cases of 沪 vehicles and weighings of 沪 plates, with matching counts', async () => {
    const cases = t.world.enforcementCases.filter((c) => c.vehiclePlateNumber?.startsWith('沪')).map((c) => c.caseNumber);
    expect(cases.length).toBeGreaterThan(0);
    expect(t.world.enforcementCases.length).toBeGreaterThan(cases.length);
    const gotCases = (await dataAs(SHANGHAI, CASES)).enforcementCases;
    expect(gotCases.totalCount).toBe(cases.length);
    expect(sorted(nodes(gotCases).map((c) => c.caseNumber))).toEqual(sorted(cases));
    // A filter for hidden rows finds nothing rather than being refused.
    const su = t.world.enforcementCases.find((c) => c.vehiclePlateNumber?.startsWith('苏'))!;
    expect((await dataAs(SHANGHAI, CASES, { filter: { plateNumber: su.vehiclePlateNumber } })).enforcementCases).toEqual({ totalCount: 0, edges: [] });

    const weighings = t.world.weighings.filter((w) => w.plateNumber.startsWith('沪'));
    expect(weighings.length).toBeGreaterThan(0);
    const gotWeighings = (await dataAs(SHANGHAI, WEIGHINGS)).weighings;
    expect(gotWeighings.totalCount).toBe(weighings.length);
    expect(nodes(gotWeighings).every((w) => w.plateNumber.startsWith('沪'))).toBe(true);
    expect(nodes(gotWeighings)).toHaveLength(weighings.length);
  });

  it('a Zhejiang analyst lists only 浙 vehicles', async () => {
    const expected = t.world.vehicles.filter((v) => v.plateNumber.startsWith('浙')).map(keyOf);
    expect(expected.length).toBeGreaterThan(0);
    const got = await vehiclesOf({ agency: 'zhejiang-transport', role: 'analyst' });
    expect({ totalCount: got.totalCount, keys: sorted(got.keys) }).toEqual({ totalCount: expected.length, keys: sorted(expected) });
  });

  it('a Suzhou officer sees what is supervised in the divisions of its token (jurisdictions), in lists, pages and nested lists', async () => {
    // The division with most cases: vehicles come into it through their operator, certificate or a case.
    const counts = (xs: string[]) =>
      [...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    const divisions = [counts(t.world.enforcementCases.map((c) => c.divisionCode)).at(-1)![0]];
    const officer: Caller = { agency: 'suzhou-transport', role: 'officer', divisions };
    const policy = oracle.caller('suzhou-transport', 'officer', divisions);
    const sees = (type: string) => (row: object) => policy.sees(type, row as Row);

    const vehicles = t.world.vehicles.filter(sees('Vehicle')).map(keyOf);
    expect(vehicles.length).toBeGreaterThan(0);
    expect(vehicles.length).toBeLessThan(t.world.vehicles.length);
    const got = await vehiclesOf(officer);
    expect({ totalCount: got.totalCount, keys: sorted(got.keys) }).toEqual({ totalCount: vehicles.length, keys: sorted(vehicles) });
    expect(await walkVehicles(officer, 2)).toEqual(got.keys);

    const cases = t.world.enforcementCases.filter(sees('EnforcementCase')).map((c) => c.caseNumber);
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.length).toBeLessThan(t.world.enforcementCases.length);
    const gotCases = (await dataAs(officer, CASES)).enforcementCases;
    expect({ totalCount: gotCases.totalCount, cases: sorted(nodes(gotCases).map((c) => c.caseNumber)) }).toEqual({
      totalCount: cases.length,
      cases: sorted(cases),
    });

    // Nested lists are scoped too: the enterprises of the division, each with its fleet and cases in scope.
    const enterprises = t.world.enterprises.filter(sees('Enterprise'));
    expect(enterprises.length).toBeLessThan(t.world.enterprises.length);
    const fleets = await dataAs(
      officer,
      '{ enterprises(first: 100) { totalCount edges { node { uscc vehicles { plateNumber plateColor } enforcementCases { caseNumber } } } } }',
    );
    expect(fleets.enterprises.totalCount).toBe(enterprises.length);
    const visibleOwners = new Set(enterprises.map((e) => e.uscc));
    const nested = nodes(fleets.enterprises).flatMap((e) => e.vehicles.map(keyOf));
    expect(sorted(nested)).toEqual(sorted(t.world.vehicles.filter((v) => v.ownerUscc && visibleOwners.has(v.ownerUscc) && sees('Vehicle')(v)).map(keyOf)));
    const nestedCases = nodes(fleets.enterprises).flatMap((e) => e.enforcementCases.map((c: { caseNumber: string }) => c.caseNumber));
    expect(sorted(nestedCases)).toEqual(
      sorted(t.world.enforcementCases.filter((c) => c.partyUscc && visibleOwners.has(c.partyUscc) && sees('EnforcementCase')(c)).map((c) => c.caseNumber)),
    );
  });

  it('an officer token without divisions sees no vehicle and no case, and counts 0', async () => {
    const officer: Caller = { agency: 'suzhou-transport', role: 'officer' };
    expect(await vehiclesOf(officer)).toEqual({ totalCount: 0, keys: [] });
    expect((await dataAs(officer, CASES)).enforcementCases).toEqual({ totalCount: 0, edges: [] });
    const v = t.world.vehicles[0];
    expect(await dataAs(officer, `{ vehicle(plateNumber: "${v.plateNumber}", plateColor: ${v.plateColor}) { plateNumber } }`)).toEqual({ vehicle: null });
  });

  it('a police case officer sees only the cases transferred to the police', async () => {
    const psb: Caller = { agency: 'suzhou-psb', role: 'case-officer' };
    const transferred = t.world.enforcementCases.filter((c) => c.transferredToPolice).map((c) => c.caseNumber);
    expect(transferred.length).toBeGreaterThan(0);
    expect(transferred.length).toBeLessThan(t.world.enforcementCases.length);
    const got = (await dataAs(psb, CASES)).enforcementCases;
    expect(got.totalCount).toBe(transferred.length);
    expect(sorted(nodes(got).map((c) => c.caseNumber))).toEqual(sorted(transferred));
    expect(nodes(got).every((c) => c.transferredToPolice === true)).toBe(true);
    expect((await dataAs(psb, CASES, { filter: { transferredToPolice: false } })).enforcementCases).toEqual({ totalCount: 0, edges: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Arguments that filter on a refused field (known gaps: see the comments)

describe('a filter cannot test a field the policy refuses', () => {
  // A filter over a refused field would answer "which rows have this value": market regulation
  // is refused EnforcementCase.vehiclePlateNumber/vehiclePlateColor ("none"), so it may not
  // filter cases by plate. Filters declare the field they test (`@Tests`), checked like a selection.
  it('market regulation cannot find the cases of a vehicle by filtering on its plate', async () => {
    const c = t.world.enforcementCases.find((x) => x.vehiclePlateNumber)!;
    const outcome = await send({
      agency: 'suzhou-amr',
      role: 'officer',
      purpose: 'joint-inspection',
      query: `{ enforcementCases(first: 5, filter: { plateNumber: "${c.vehiclePlateNumber}", plateColor: ${c.vehiclePlateColor} }) { totalCount edges { node { caseNumber } } } }`,
    });
    expect(outcome.status).toBe(403);
  });

  // Hub administrators are refused Enterprise.licences ("none"): enterprises(filter: { licenceScope })
  // would tell them which enterprises hold, say, a dangerous-goods licence.
  it('a hub administrator cannot find the holders of a licence scope by filtering on it', async () => {
    const outcome = await send({
      agency: 'suzhou-transport',
      role: 'administrator',
      purpose: 'hub-operations',
      query: '{ enterprises(first: 50, filter: { licenceScope: FREIGHT_DANGEROUS_GOODS }) { totalCount edges { node { uscc } } } }',
    });
    expect(outcome.status).toBe(403);
  });
});
