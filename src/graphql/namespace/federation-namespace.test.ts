import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { FederationNamespace } from './federation-namespace';
import { NamespacedSubgraph } from './namespaced-subgraph';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/** `sdl` under two hubs' namespaces composed as a peer's router would: the composition's errors, none when it composes. */
function composed(sdl: string): string[] {
  const services = ['sz', 'sh'].map((prefix) => ({
    name: prefix,
    url: `http://${prefix}.invalid/graphql`,
    typeDefs: parse(new FederationNamespace(prefix, sdl).sdl),
  }));
  return (composeServices(services).errors ?? []).map((e) => e.message);
}

/** The namespaced SDL's definition of `name` (its first line). */
const definitionOf = (sdl: string, name: string) =>
  sdl.split('\n').find((line) => new RegExp(`^(extend )?(type|interface|union|enum|input|scalar) ${name}\\b`).test(line));

describe('FederationNamespace', () => {
  it("renames a hub's type already named with the prefix apart from the one the prefix names, and maps each back", () => {
    const sdl = `${LINK}
      type Query { reports: [Report!]! sz_reports: [sz_Report!]! }
      type Report { id: ID! draft: sz_Report }
      type sz_Report { id: ID! }`;
    const namespace = new FederationNamespace('sz', sdl);
    expect(definitionOf(namespace.sdl, 'sz_Report')).toBeDefined();
    expect(definitionOf(namespace.sdl, 'sz_sz_Report')).toBeDefined();
    expect(namespace.sdl).toContain('sz_sz_reports: [sz_sz_Report!]!');
    expect(namespace.typeName('sz_Report')).toBe('sz_sz_Report');
    expect(namespace.realTypeName('sz_sz_Report')).toBe('sz_Report');
    expect(namespace.realTypeName('sz_Report')).toBe('Report');
    expect(namespace.realFieldName('Query', 'sz_sz_reports')).toBe('sz_reports');
    expect(composed(sdl)).toEqual([]);
    const translated = new NamespacedSubgraph(namespace, sdl, 1000).translate('{ sz_sz_reports { id } sz_reports { draft { id } } }', undefined);
    expect(translated && 'query' in translated && translated.query.replace(/\s+/g, ' ')).toBe(
      '{ sz_sz_reports: sz_reports { id } sz_reports: reports { draft { id } } }',
    );
  });

  it('refuses names that the namespace would give two of its types or two fields of an entity', () => {
    const types = `${LINK}
      type Query { vehicles: [sz_Vehicle!]! owners: [Vehicle!]! }
      type sz_Vehicle @key(fields: "id") { id: ID! }
      type Vehicle { id: ID! }`;
    expect(() => new FederationNamespace('sz', types)).toThrow(/sz_Vehicle .*Vehicle|Vehicle .*sz_Vehicle/);
    const fields = `${LINK}
      type Query { vehicles: [Vehicle!]! }
      type Vehicle @key(fields: "sz_code") { sz_code: ID! code: String }`;
    expect(() => new FederationNamespace('sz', fields)).toThrow(/Vehicle\.sz_code/);
  });

  it('renames interfaces and unions, their extensions and members, keeping the entities among them', () => {
    const sdl = `${LINK}
      type Query { records: [Record!]! found: [Found!]! }
      interface Record { id: ID! }
      extend interface Record { issuedAt: String }
      type Licence implements Record { id: ID! issuedAt: String holder: String }
      type Permit implements Record { id: ID! issuedAt: String }
      type Vehicle @key(fields: "plateNumber") { plateNumber: String! vin: String }
      union Found = Licence | Vehicle
      extend union Found = Permit`;
    const namespace = new FederationNamespace('sz', sdl);
    expect(definitionOf(namespace.sdl, 'sz_Record')).toBeDefined();
    expect(definitionOf(namespace.sdl, 'sz_Licence')).toContain('implements sz_Record');
    expect(namespace.sdl).toMatch(/union sz_Found = sz_Licence \| Vehicle/);
    expect(namespace.sdl).toMatch(/extend union sz_Found = sz_Permit/);
    expect(namespace.sdl).toMatch(/extend interface sz_Record \{/);
    expect(namespace.realTypeName('sz_Found')).toBe('Found');
    expect(composed(sdl)).toEqual([]);
  });

  it('renames input types and enums, their extensions too, keeping their fields, values and the arguments that take them', () => {
    const sdl = `${LINK}
      type Query { licences(filter: LicenceFilter, status: LicenceStatus = VALID): [Licence!]! }
      type Licence { number: String! status: LicenceStatus! }
      input LicenceFilter { holder: String status: LicenceStatus }
      extend input LicenceFilter { number: String }
      enum LicenceStatus { VALID REVOKED }
      extend enum LicenceStatus { SUSPENDED }`;
    const namespace = new FederationNamespace('sz', sdl);
    expect(namespace.sdl).toContain('sz_licences(filter: sz_LicenceFilter, status: sz_LicenceStatus = VALID): [sz_Licence!]!');
    expect(namespace.sdl).toMatch(/input sz_LicenceFilter \{\s+holder: String\s+status: sz_LicenceStatus\s+\}/);
    expect(namespace.sdl).toMatch(/extend input sz_LicenceFilter \{\s+number: String\s+\}/);
    expect(namespace.sdl).toMatch(/enum sz_LicenceStatus \{\s+VALID\s+REVOKED\s+\}/);
    expect(namespace.sdl).toMatch(/extend enum sz_LicenceStatus \{\s+SUSPENDED\s+\}/);
    expect(composed(sdl)).toEqual([]);
    const translated = new NamespacedSubgraph(namespace, sdl, 1000).translate(
      'query L($f: sz_LicenceFilter) { sz_licences(filter: $f, status: SUSPENDED) { number } }',
      undefined,
    );
    expect(translated && 'query' in translated && translated.query.replace(/\s+/g, ' ')).toBe(
      'query L($f: LicenceFilter) { sz_licences: licences(filter: $f, status: SUSPENDED) { number } }',
    );
  });

  it('keeps the names of every key field of an entity, of several keys, of its extensions, and of the types along a nested key', () => {
    const sdl = `${LINK}
      type Query { vehicles: [Vehicle!]! }
      type Vehicle @key(fields: "plateNumber plateColor") @key(fields: "registration { number kind }") {
        plateNumber: String!
        plateColor: PlateColor!
        registration: Registration!
        vin: String!
      }
      extend type Vehicle @key(fields: "engineNumber") { engineNumber: String! }
      type Registration { number: String! kind: RegistrationKind! issuer: String }
      enum RegistrationKind { LOCAL NONLOCAL }
      enum PlateColor { BLUE YELLOW }`;
    const namespace = new FederationNamespace('sz', sdl);
    for (const key of ['plateNumber: String!', 'plateColor: PlateColor!', 'registration: Registration!', 'engineNumber: String!'])
      expect(namespace.sdl).toContain(`  ${key}\n`);
    expect(namespace.sdl).toContain('  sz_vin: String\n');
    // Registration is each hub's alike as far as the key selects it; its issuer is each hub's own.
    expect(namespace.sdl).toMatch(/type Registration \{\s+number: String!\s+kind: RegistrationKind!\s+sz_issuer: String\s+\}/);
    expect(namespace.realFieldName('Registration', 'sz_issuer')).toBe('issuer');
    const translated = new NamespacedSubgraph(namespace, sdl, 1000).translate('{ sz_vehicles { registration { number sz_issuer } } }', undefined);
    expect(translated && 'query' in translated && translated.query.replace(/\s+/g, ' ')).toBe(
      '{ sz_vehicles: vehicles { registration { number sz_issuer: issuer } } }',
    );
    expect(definitionOf(namespace.sdl, 'RegistrationKind')).toBeDefined();
    expect(definitionOf(namespace.sdl, 'PlateColor')).toBeDefined();
    expect(composed(sdl)).toEqual([]);
  });

  it('refuses a key naming a field its type does not have, at any depth', () => {
    const top = `${LINK} type Query { v: Vehicle } type Vehicle @key(fields: "id") { vin: String }`;
    expect(() => new FederationNamespace('sz', top)).toThrow(/Vehicle's @key names id/);
    const nested = `${LINK} type Query { v: Vehicle } type Vehicle @key(fields: "owner { id }") { owner: Owner! } type Owner { name: String }`;
    expect(() => new FederationNamespace('sz', nested)).toThrow(/names Owner\.id|names id/);
  });
});
