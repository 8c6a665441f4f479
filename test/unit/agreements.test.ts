import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { AgreementsError, parseAgreements } from '../../src/access/agreements';
import { projectRoot } from '../../src/config';
import { buildHubSchema } from '../../src/graphql/schema';

let schema: GraphQLSchema;
beforeAll(async () => { schema = await buildHubSchema(); });

const committed = JSON.parse(fs.readFileSync(path.join(projectRoot, 'schema/agreements.json'), 'utf8'));
const base = {
  id: 'T-1', title: 't', consumer: { agency: 'suzhou-amr', roles: ['officer'] }, legalBasis: 'b', purposes: ['statistics'],
  validFrom: '2026-01-01T00:00:00+08:00', validUntil: '2027-01-01T00:00:00+08:00', introspection: false,
  fields: { Query: { enterprises: 'full' }, Enterprise: { '*': 'full' } },
};
const parseOne = (agreement: Record<string, unknown>) =>
  parseAgreements({ purposes: committed.purposes, agreements: [agreement] }, schema, undefined, path.join(projectRoot, 'schema'));

describe('agreements', () => {
  it('the committed file parses against the schema', () => {
    const agreements = parseAgreements(committed, schema, undefined, path.join(projectRoot, 'schema'));
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
  ])('refuses %s, naming it', (_label, change, message) => {
    expect(() => parseOne({ ...base, ...change })).toThrow(AgreementsError);
    expect(() => parseOne({ ...base, ...change })).toThrow(message);
  });

  it('refuses two agreements for the same agency and role', () => {
    expect(() => parseAgreements({ purposes: committed.purposes, agreements: [base, { ...base, id: 'T-2' }] }, schema))
      .toThrow(/both cover suzhou-amr officer/);
  });
});
