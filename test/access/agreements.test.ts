import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { AccessPolicy } from '../../src/access/access-grant';
import { AgreementsError, parseAgreements, parseAgreementsFile } from '../../src/access/agreements';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { projectRoot } from '../../src/config';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildHubSchema(HUB_PARTS);
});

const committed = JSON.parse(fs.readFileSync(path.join(projectRoot, 'schema/policy/agreements.json'), 'utf8'));
const base = {
  id: 'T-1',
  title: 't',
  consumer: { agency: 'suzhou-amr', roles: ['officer'] },
  legalBasis: 'b',
  purposes: ['statistics'],
  validFrom: '2026-01-01T00:00:00+08:00',
  validUntil: '2027-01-01T00:00:00+08:00',
  introspection: false,
  fields: { Query: { enterprises: 'full' }, Enterprise: { '*': 'full' } },
};
const parseOne = (agreement: Record<string, unknown>) =>
  parseAgreements(
    { purposes: committed.purposes, agencies: committed.agencies, agreements: [agreement] },
    schema,
    undefined,
    path.join(projectRoot, 'schema', 'policy'),
  );

describe('agreements', () => {
  it('the committed file parses against the schema', () => {
    const agreements = parseAgreements(committed, schema, undefined, path.join(projectRoot, 'schema', 'policy'));
    expect(agreements.length).toBeGreaterThan(5);
  });

  it('"*" grants public and internal fields only; personal ones must be named', () => {
    const [a] = parseOne(base);
    expect(a.fields.get('Enterprise')!.get('name')).toEqual({ kind: 'full' });
    expect(a.fields.get('Enterprise')!.has('legalRepresentative')).toBe(false);
    const [b] = parseOne({ ...base, fields: { ...base.fields, Enterprise: { '*': 'full', legalRepresentative: 'masked' } } });
    expect(b.fields.get('Enterprise')!.get('legalRepresentative')).toEqual({ kind: 'masked', mask: 'PERSON_NAME' });
  });

  it.each([
    ['an unknown type', { fields: { Spaceship: { '*': 'full' } } }, /Spaceship: no such object type/],
    ['an unknown field', { fields: { Enterprise: { warpDrive: 'full' } } }, /Enterprise.warpDrive: no such field/],
    ['"*" on a root type', { fields: { Query: { '*': 'full' } } }, /not allowed on root types/],
    ['an unknown mask', { fields: { Enterprise: { legalRepresentative: 'masked:BLUR' } } }, /unknown mask "BLUR"/],
    ['a masked object field', { fields: { Enterprise: { vehicles: 'masked' } } }, /only scalar fields can be masked/],
    ['an unknown purpose', { purposes: ['fishing'] }, /unknown fishing/],
    ['a window that ends before it starts', { validUntil: '2025-01-01T00:00:00+08:00' }, /not after validFrom/],
    ['an instant without a zone', { validFrom: '2026-01-01T00:00:00' }, /with a zone/],
    ['a row scope on a missing field', { rowScopes: { Vehicle: [{ field: 'colour', startsWithAny: ['苏'] }] } }, /no field "colour"/],
    ['a persisted operation that does not validate', { allowedOperations: ['operations/../agreements.json'] }, /allowedOperations/],
    [
      'a jurisdiction scope on a type without one',
      { rowScopes: { Practitioner: [{ inJurisdictionOf: '$viewer.divisions' }] } },
      /no jurisdiction for Practitioner/,
    ],
    ['case rules on a missing field', { cases: { holds: [{ field: 'handedOver', equals: true }], allPlates: false } }, /no field EnforcementCase.handedOver/],
    ['case rules without allPlates', { cases: { holds: [] } }, /allPlates must be true or false/],
    ['an empty anyOf', { rowScopes: { EnforcementCase: [{ anyOf: [] }] } }, /EnforcementCase\[0\]\.anyOf must be a non-empty list/],
    [
      'a via condition on a missing field',
      { rowScopes: { EnforcementCase: [{ anyOf: [{ via: 'CaseTransfer', on: { caseNumber: 'caseNumber' }, field: 'sight', startsWithAny: ['X'] }] }] } },
      /no field CaseTransfer\.sight/,
    ],
    [
      'a via condition joined on a missing field',
      { rowScopes: { EnforcementCase: [{ via: 'CaseTransfer', on: { number: 'caseNumber' }, field: 'policeSight', startsWithAny: ['INVITED'] }] } },
      /no field EnforcementCase\.number/,
    ],
  ])('refuses %s, naming it', (_label, change, message) => {
    expect(() => parseOne({ ...base, ...change })).toThrow(AgreementsError);
    expect(() => parseOne({ ...base, ...change })).toThrow(message);
  });

  it('refuses two agreements for the same agency and role', () => {
    expect(() => parseAgreements({ purposes: committed.purposes, agencies: committed.agencies, agreements: [base, { ...base, id: 'T-2' }] }, schema)).toThrow(
      /both cover suzhou-amr officer/,
    );
  });

  it.each([
    ['a field the type lacks', { Vehicle: [{ field: 'depot' }] }, /no field Vehicle.depot/],
    ['a relation to an unknown type', { Vehicle: [{ via: 'Garage', on: { ownerUscc: 'uscc' }, field: 'divisionCode' }] }, /no such object type Garage/],
    ['a join on a missing field', { Vehicle: [{ via: 'Enterprise', on: { ownerUscc: 'code' }, field: 'divisionCode' }] }, /no field Enterprise.code/],
  ])('refuses jurisdictions with %s', (_label, jurisdictions, message) => {
    expect(() => parseAgreementsFile({ purposes: committed.purposes, agencies: committed.agencies, jurisdictions, agreements: [] }, schema)).toThrow(message);
  });
});

describe('the one agreement a request is judged under', () => {
  const two = () => {
    const file = parseAgreementsFile(committed, schema, undefined, path.join(projectRoot, 'schema', 'policy'));
    return new AccessPolicy(file.agreements, file.jurisdictions);
  };
  const viewer = { agency: 'suzhou-transport', subject: 's', roles: ['officer', 'analyst'], divisions: ['320505'] };
  const now = new Date('2026-11-01T00:00:00+08:00');

  it('is the only one permitting the purpose', () => {
    expect(two().agreementFor(viewer, now, 'statistics').id).toBe('SZJT-2026-02');
    expect(two().agreementFor(viewer, now, 'case-investigation').id).toBe('SZJT-2026-01');
  });

  it('is ambiguous when two permit it, or without a purpose, unless one is named', () => {
    expect(() => two().agreementFor(viewer, now, 'random-inspection')).toThrow(
      expect.objectContaining({ code: 'AGREEMENT_AMBIGUOUS', details: { purpose: 'random-inspection', candidates: ['SZJT-2026-01', 'SZJT-2026-02'] } }),
    );
    expect(() => two().agreementFor(viewer, now, null)).toThrow(expect.objectContaining({ code: 'AGREEMENT_AMBIGUOUS' }));
    expect(two().agreementFor(viewer, now, 'random-inspection', 'SZJT-2026-02').id).toBe('SZJT-2026-02');
    expect(two().agreementFor(viewer, now, null, 'SZJT-2026-01').id).toBe('SZJT-2026-01');
    expect(two().agreementFor({ ...viewer, roles: ['analyst'] }, now, null).id).toBe('SZJT-2026-02');
  });

  it('refuses a named agreement that does not fit, with its reason', () => {
    expect(() => two().agreementFor(viewer, now, null, 'SZGA-2026-01')).toThrow(expect.objectContaining({ code: 'NO_AGREEMENT' }));
    expect(() => two().agreementFor(viewer, now, 'case-investigation', 'SZJT-2026-02')).toThrow(expect.objectContaining({ code: 'PURPOSE_NOT_PERMITTED' }));
    const anhui = { agency: 'anhui-transport', subject: 's', roles: ['officer'], divisions: [] };
    expect(() => two().agreementFor(anhui, now, null, 'CSJ-AH-2025-01')).toThrow(expect.objectContaining({ code: 'AGREEMENT_EXPIRED' }));
  });
});

describe('rate limits in the agreements file', () => {
  it('is optional, and read when given', () => {
    expect(parseOne(base)[0].rateLimit).toBeNull();
    expect(parseOne({ ...base, rateLimit: { requestsPerSecond: 0.5, burst: 2 } })[0].rateLimit).toEqual({ requestsPerSecond: 0.5, burst: 2 });
    const peers = parseAgreements(committed, schema, undefined, path.join(projectRoot, 'schema', 'policy')).filter((a) => a.id.startsWith('CSJ-'));
    expect(peers.map((a) => a.rateLimit)).toEqual(peers.map(() => ({ requestsPerSecond: 20, burst: 40 })));
  });

  it.each([
    [{ requestsPerSecond: 0, burst: 2 }, /requestsPerSecond must be a number above 0/],
    [{ requestsPerSecond: 5, burst: 0.5 }, /burst must be a whole number/],
    [{ requestsPerSecond: 5 }, /burst must be a whole number/],
    [{ requestsPerSecond: 5, burst: 5, perMinute: 3 }, /unknown perMinute/],
    ['fast', /rateLimit must be an object/],
  ])('refuses %j, naming it', (rateLimit, message) => {
    expect(() => parseOne({ ...base, rateLimit })).toThrow(AgreementsError);
    expect(() => parseOne({ ...base, rateLimit })).toThrow(message);
  });
});

describe('the agencies in the agreements file', () => {
  const agencies = () => parseAgreementsFile(committed, schema, undefined, path.join(projectRoot, 'schema', 'policy')).agencies;
  const withAgencies = (change: Record<string, unknown>) => () =>
    parseAgreementsFile({ purposes: committed.purposes, agencies: { ...committed.agencies, ...change }, agreements: [] }, schema);

  it('say who exists, the roles their tokens carry, the systems they run and the records they provide', () => {
    const registry = agencies();
    expect(registry.ids).toEqual([
      'suzhou-transport',
      'suzhou-psb',
      'suzhou-amr',
      'jiangsu-credit',
      'suzhou-procuratorate',
      'shanghai-transport',
      'zhejiang-transport',
      'anhui-transport',
      'xietong-sync',
    ]);
    expect(registry.rolesOf('suzhou-psb')).toEqual(['checkpoint-officer', 'case-officer']);
    expect(registry.ownerOf(SourceSystem.CHECKPOINT_EXCHANGE)).toBe('suzhou-psb');
    expect(registry.providerOf('CheckpointCapture')).toBe('suzhou-psb');
    expect(registry.providerOf('Enterprise')).toBe('suzhou-amr');
    expect(registry.providerOf('AuditEvent')).toBeNull();
  });

  it.each([
    ['an agency without roles', { 'moon-police': { roles: [] } }, /agencies.moon-police.roles must name at least one role/],
    ['a role named twice', { 'moon-police': { roles: ['officer', 'officer'] } }, /agencies.moon-police.roles: officer named twice/],
    ['an unknown key', { 'moon-police': { roles: ['officer'], tier: 1 } }, /agencies.moon-police: unknown tier/],
    ['an unknown system', { 'moon-police': { roles: ['officer'], systems: ['TELESCOPE'] } }, /agencies.moon-police.systems: unknown system "TELESCOPE"/],
    [
      'a system run by two agencies',
      { 'moon-police': { roles: ['officer'], systems: ['TRANSPORT'] } },
      /agencies.moon-police.systems: TRANSPORT is run by suzhou-transport/,
    ],
    [
      'a type provided by two agencies',
      { 'moon-police': { roles: ['officer'], provides: ['Vehicle'] } },
      /agencies.moon-police.provides: Vehicle is provided by suzhou-transport/,
    ],
    [
      'a type the schema lacks',
      { 'moon-police': { roles: ['officer'], provides: ['Spaceship'] } },
      /agencies.moon-police.provides: no such object type Spaceship/,
    ],
    ['a system nobody runs', { 'jiangsu-credit': { roles: ['service'] } }, /no agency runs CREDIT_PLATFORM/],
  ])('refuse %s, naming it', (_label, change, message) => {
    expect(withAgencies(change)).toThrow(AgreementsError);
    expect(withAgencies(change)).toThrow(message);
  });

  it('are required', () => {
    expect(() => parseAgreementsFile({ purposes: committed.purposes, agreements: [] }, schema)).toThrow(/Invalid agreements: agencies must be an object/);
  });

  it('bound the agreements: a consumer must be a declared agency with a declared role', () => {
    expect(() => parseOne({ ...base, consumer: { agency: 'moon-police', roles: ['officer'] } })).toThrow(
      /agreement T-1.consumer.agency: "moon-police" is not declared in agencies/,
    );
    expect(() => parseOne({ ...base, consumer: { agency: 'suzhou-amr', roles: ['auditor'] } })).toThrow(
      /agreement T-1.consumer.roles: suzhou-amr has no role auditor \(agencies.suzhou-amr.roles: officer, analyst\)/,
    );
  });
});

describe('whose data-access reports an agreement reads', () => {
  it("is its own agency's unless the agreement says every agency's (the auditors' does)", () => {
    expect(parseOne(base)[0].dataAccessReports).toBe('own-agency');
    expect(parseOne({ ...base, dataAccessReports: 'every-agency' })[0].dataAccessReports).toBe('every-agency');
    const committedAgreements = parseAgreements(committed, schema, undefined, path.join(projectRoot, 'schema', 'policy'));
    expect(committedAgreements.filter((a) => a.dataAccessReports === 'every-agency').map((a) => a.id)).toEqual(['SZJT-2026-04']);
  });

  it('refuses anything else, naming it', () => {
    expect(() => parseOne({ ...base, dataAccessReports: 'all' })).toThrow(/agreement T-1.dataAccessReports must be "own-agency" or "every-agency", got "all"/);
  });
});
