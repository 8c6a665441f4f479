import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLScalarType, GraphQLSchema, parse } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { buildSchema, createResolversMap, type ClassType, type NonEmptyArray } from 'type-graphql';
import { CheckpointCaptureResolver, CheckpointResolver, VehicleCapturesResolver } from '../domains/checkpoint';
import { ProvenanceResolver } from '../domains/common/provenance.resolver';
import { CreditListEntryResolver, CreditRatingResolver, EnterpriseCreditResolver } from '../domains/credit';
import {
  EnforcementCaseResolver, EnterpriseCasesResolver, PractitionerCasesResolver, VehicleCasesResolver,
} from '../domains/enforcement';
import { AbnormalOperationResolver, EnterpriseResolver } from '../domains/enterprise';
import { EnterpriseLicencesResolver, LicenceResolver } from '../domains/licence';
import { EnterprisePractitionersResolver, PractitionerResolver } from '../domains/practitioner';
import { EnterpriseVehiclesResolver, VehicleResolver } from '../domains/vehicle';
import { VehicleWeighingsResolver, WeighingResolver } from '../domains/weighing';
import { MyAccessResolver } from '../access/my-access.resolver';
import { SyncResolver } from '../sync/operator';
import { AuditResolver } from '../domains/audit';
import { carryClassifications } from '../read-kit/fields/classification';
import { carryArgumentTests } from '../read-kit/fields/argument-tests';
import { carryOrderings } from './ordering-fields';
import { referenceResolvers } from './reference-resolvers';

const resolvers: NonEmptyArray<ClassType> = [
  EnterpriseResolver, EnterpriseLicencesResolver, EnterpriseVehiclesResolver, EnterprisePractitionersResolver,
  EnterpriseCreditResolver, EnterpriseCasesResolver, LicenceResolver, VehicleResolver, VehicleCasesResolver,
  VehicleWeighingsResolver, VehicleCapturesResolver, PractitionerResolver, PractitionerCasesResolver,
  CheckpointResolver, CheckpointCaptureResolver, EnforcementCaseResolver, WeighingResolver, ProvenanceResolver,
  CreditRatingResolver, CreditListEntryResolver, AbnormalOperationResolver, MyAccessResolver, SyncResolver, AuditResolver,
];

/** Instants travel as ISO 8601 strings with an offset; named `DateTime`, the name clients expect. */
const DateTime = new GraphQLScalarType({ ...DateTimeISOResolver.toConfig(), name: 'DateTime' });

/** Federation v2 features the schema uses; peers' routers read this `@link`. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/**
 * The hub's executable schema: type-graphql's classes are the single source of truth; the result
 * is an Apollo Federation v2 subgraph so peer bureaus' hubs can compose with it.
 */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const typeSchema = await buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    // Input objects are plain data validated by hand at the edge; class-validator is not used.
    validate: false,
    emitSchemaFile: false,
  });
  const subgraph = buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeSchema)}`),
    resolvers: withReferenceResolvers(createResolversMap(typeSchema) as Record<string, object>) as never,
  });
  carryClassifications(typeSchema, subgraph);
  carryArgumentTests(typeSchema, subgraph);
  carryOrderings(subgraph);
  return subgraph;
}

function withReferenceResolvers(map: Record<string, object>): Record<string, object> {
  const merged = { ...map };
  for (const [type, extra] of Object.entries(referenceResolvers)) merged[type] = { ...merged[type], ...extra };
  return merged;
}
