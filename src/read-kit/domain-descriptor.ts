import type { ClassType } from 'type-graphql';
import type { EntityModel } from '../db/orm-options';
import type { LiveTopic } from './live-event';
import type { OrderingEnum } from './pagination/orderings';
import type { Relation } from './relations/relation';
import { Relations } from './relations/relations';
import type { ReadScope } from './rows/read-scope';

/**
 * Everything a domain adds to the hub, exported once from its `index.ts`. The composition is
 * given a list of them and builds the ORM's entity list, the schema (resolvers, relation fields,
 * ordering enums) and each request's loaders from it; a domain registers nothing on import.
 */
export interface DomainDescriptor<N extends string = string, L extends object = object> {
  /** Names the domain's loaders in the request context: `ctx.loaders.<name>`. */
  name: N;
  /** The MikroORM entities and embeddables it maps (typed by the database layer, which alone uses the ORM beyond them). */
  entities: EntityModel['all'];
  /** Its type-graphql resolver classes: root fields, and fields that are no relation. */
  resolvers: readonly ClassType[];
  /** Its loaders for one request, over the request's read scope. */
  loaders?: (scope: ReadScope) => L;
  /** Fields resolved from a parent row's key (see `relations/relation.ts`). */
  relations: readonly Relation[];
  /** The orderings its connections offer (see `pagination/orderings.ts`). */
  orderings: readonly OrderingEnum[];
  /** Its subscription fields as the live layer routes outbox events to them (see `live-event.ts`). */
  liveTopics?: readonly LiveTopic[];
}

/** A domain's descriptor, its name and loaders kept as precise types for the composed context. */
export function domain<const D extends DomainDescriptor>(descriptor: D): D {
  return descriptor;
}

/** The loaders of a list of domains, as the request context holds them: `{ [name]: loaders }`. */
export type LoadersOf<Ds extends readonly DomainDescriptor[]> = {
  [D in Ds[number] as D extends { loaders: (scope: ReadScope) => object } ? D['name'] : never]: D extends { loaders: (scope: ReadScope) => infer L }
    ? L
    : never;
};

/**
 * Each domain's loaders for one request, over that request's read scope, each domain's made when
 * the request first uses it: a request reads a few domains, and making every domain's DataLoaders
 * for each one showed in the profile of small reads.
 */
export function loadersOf<Ds extends readonly DomainDescriptor[]>(domains: Ds, scope: ReadScope): LoadersOf<Ds> {
  const loaders: Record<string, unknown> = {};
  for (const d of domains) {
    const make = d.loaders;
    if (!make) continue;
    let made: unknown;
    Object.defineProperty(loaders, d.name, { enumerable: true, get: () => (made ??= make(scope)) });
  }
  return loaders as LoadersOf<Ds>;
}

/** The relations of a list of domains, in the list's order. */
export function relationsOf(domains: readonly DomainDescriptor[]): Relations {
  return new Relations(domains.flatMap((d) => d.relations));
}
