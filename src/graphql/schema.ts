import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLScalarType, GraphQLSchema, parse } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { buildSchema, createResolversMap, type ClassType, type NonEmptyArray } from 'type-graphql';
import { relationsOf, type DomainDescriptor } from '../read-kit/domain-descriptor';
import { carryClassifications } from '../read-kit/fields/classification';
import { carryArgumentTests } from '../read-kit/fields/argument-tests';
import { carryAggregates } from '../read-kit/aggregate/aggregate-spec';
import { carryOrderings } from '../read-kit/pagination';
import { referenceResolvers } from './reference-resolvers';

/**
 * What a schema is built from: the domains (their resolvers, relation fields and ordering enums)
 * and the resolvers of what is no domain (access, sync, the audit trail).
 */
export interface SchemaParts {
  domains: readonly DomainDescriptor[];
  resolvers: readonly ClassType[];
}

/** Instants travel as ISO 8601 strings with an offset; named `DateTime`, the name clients expect. */
const DateTime = new GraphQLScalarType({ ...DateTimeISOResolver.toConfig(), name: 'DateTime' });

const NO_PUB_SUB = {
  publish(): void {
    throw new Error('events are published through the hub_event outbox, not a PubSub');
  },
  subscribe(): never {
    throw new Error('subscriptions are delivered by the live layer (src/live)');
  },
};

/** Federation v2 features the schema uses; peers' routers read this `@link`. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/**
 * The hub's executable schema: type-graphql's classes and the domains' declarations are the
 * single source of truth; the result is an Apollo Federation v2 subgraph so peer bureaus' hubs
 * can compose with it.
 */
export async function buildHubSchema(parts: SchemaParts): Promise<GraphQLSchema> {
  const orderings = parts.domains.flatMap((d) => d.orderings);
  for (const ordering of orderings) ordering.registerEnum();
  const resolvers = [...parts.domains.flatMap((d) => d.resolvers), ...relationsOf(parts.domains).resolvers(), ...parts.resolvers];
  const typeSchema = await buildSchema({
    resolvers: resolvers as NonEmptyArray<ClassType>,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    // Input objects are plain data validated by hand at the edge; class-validator is not used.
    validate: false,
    // type-graphql wants a PubSub wherever a Subscription exists. The hub never subscribes through
    // graphql's subscribe: the live layer (src/live) executes each outbox event as an operation.
    pubSub: NO_PUB_SUB,
    emitSchemaFile: false,
  });
  const subgraph = buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeSchema)}`),
    resolvers: withReferenceResolvers(createResolversMap(typeSchema) as Record<string, object>) as never,
  });
  carryClassifications(typeSchema, subgraph);
  carryArgumentTests(typeSchema, subgraph);
  carryAggregates(typeSchema, subgraph);
  carryOrderings(subgraph, orderings);
  return subgraph;
}

function withReferenceResolvers(map: Record<string, object>): Record<string, object> {
  const merged = { ...map };
  for (const [type, extra] of Object.entries(referenceResolvers)) merged[type] = { ...merged[type], ...extra };
  return merged;
}
