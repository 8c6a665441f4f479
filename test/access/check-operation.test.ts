import 'reflect-metadata';
import { getOperationAST, isEnumType, parse, type GraphQLEnumType, type GraphQLSchema } from 'graphql';
import { AccessGrant } from '../../src/access/access-grant';
import { checkOperation } from '../../src/access/check-operation';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { analystAgreement } from '../support/analyst-agreement';

let schema: GraphQLSchema;
let grant: AccessGrant;
beforeAll(async () => {
  schema = await buildHubSchema(HUB_PARTS);
  const agreement = analystAgreement(schema, {
    Query: { vehicles: 'full' },
    VehicleConnection: { '*': 'full' },
    VehicleEdge: { '*': 'full' },
    Vehicle: { '*': 'full', ratedTotalMassKg: 'none' },
  });
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
