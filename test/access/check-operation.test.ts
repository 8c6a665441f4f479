import 'reflect-metadata';
import path from 'node:path';
import { getOperationAST, isEnumType, parse, type GraphQLEnumType, type GraphQLSchema } from 'graphql';
import { AccessGrant } from '../../src/access/access-grant';
import { parseAgreements } from '../../src/access/agreements';
import { COMMITTED_AGENCIES } from '../support/committed-agencies';
import { checkOperation } from '../../src/access/check-operation';
import { projectRoot } from '../../src/config';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';

let schema: GraphQLSchema;
let grant: AccessGrant;
beforeAll(async () => {
  schema = await buildHubSchema(HUB_PARTS);
  const [agreement] = parseAgreements(
    {
      purposes: ['statistics'],
      agencies: COMMITTED_AGENCIES,
      agreements: [
        {
          id: 'T',
          title: 't',
          consumer: { agency: 'suzhou-amr', roles: ['analyst'] },
          legalBasis: 'b',
          purposes: ['statistics'],
          validFrom: '2026-01-01T00:00:00+08:00',
          validUntil: '2030-01-01T00:00:00+08:00',
          introspection: false,
          fields: {
            Query: { vehicles: 'full' },
            VehicleConnection: { '*': 'full' },
            VehicleEdge: { '*': 'full' },
            Vehicle: { '*': 'full', ratedTotalMassKg: 'none' },
          },
        },
      ],
    },
    schema,
    undefined,
    path.join(projectRoot, 'schema', 'policy'),
  );
  grant = new AccessGrant({ agency: 'suzhou-amr', subject: 's', roles: ['analyst'], divisions: [] }, [agreement]);
});

const check = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return checkOperation(schema, document, getOperationAST(document)!, grant, variables).deniedPaths;
};

describe('sorting counts as reading the fields sorted by', () => {
  it('refuses an ordering on a field the grant denies, literal or in a variable; allows the default', () => {
    expect(check('{ vehicles(orderBy: RATED_TOTAL_MASS_DESC) { totalCount } }')).toEqual(['vehicles(orderBy:RATED_TOTAL_MASS_DESC)']);
    expect(check('query($o: VehicleOrder!) { vehicles(orderBy: $o) { totalCount } }', { o: 'RATED_TOTAL_MASS_DESC' })).toEqual([
      'vehicles(orderBy:RATED_TOTAL_MASS_DESC)',
    ]);
    expect(check('{ vehicles { totalCount } }')).toEqual([]);
    expect(check('{ vehicles(orderBy: PLATE_ASC) { edges { node { plateNumber } } } }')).toEqual([]);
  });

  it("reads what each ordering sorts by from the schema, where the build wrote it from the ordering's declaration", () => {
    const orderEnums = Object.values(schema.getTypeMap()).filter((t) => isEnumType(t) && t.name.endsWith('Order'));
    expect(orderEnums.length).toBeGreaterThanOrEqual(6);
    for (const type of orderEnums) {
      for (const value of (type as GraphQLEnumType).getValues()) expect(Array.isArray(value.extensions.sortsBy)).toBe(true);
    }
    const sortsBy = (enumName: string, value: string) => (schema.getType(enumName) as GraphQLEnumType).getValue(value)?.extensions.sortsBy;
    expect(sortsBy('VehicleOrder', 'RATED_TOTAL_MASS_DESC')).toEqual(['Vehicle.ratedTotalMassKg', 'Vehicle.plateNumber', 'Vehicle.plateColor']);
    // An opaque key (a content hash) is no field's value: sorting by it reveals nothing.
    expect(sortsBy('PractitionerOrder', 'RECORD_HASH')).toEqual([]);
    expect(sortsBy('CaptureOrder', 'CAPTURED_AT_DESC')).toEqual(['CheckpointCapture.capturedAt']);
  });
});
