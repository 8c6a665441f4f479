import { isEnumType, type GraphQLSchema } from 'graphql';
import { registerEnumType, type ClassType } from 'type-graphql';
import { graphqlTypeName } from '../fields/type-name';
import type { Ordering } from './paginate';

/** One ordering as a domain declares it; its name is its key in the set. */
export interface OrderingDeclaration<T> {
  direction: Ordering<T>['direction'];
  keys: Ordering<T>['keys'];
  /** Shown on the enum value. */
  description?: string;
}

/** An ordering set as the schema build uses it, whatever it orders. */
export interface OrderingEnum {
  readonly enumName: string;
  readonly names: readonly string[];
  registerEnum(): void;
  sortsBy(name: string, fieldExists: (type: string, field: string) => boolean): string[];
}

/**
 * The orderings a connection of `T` offers, declared once: the GraphQL enum (`enum`, registered
 * when a schema is built), the SQL keyset each value pages by (`ordering`) and the fields each
 * sorts by, which the schema build writes on the enum values for access control (`carryOrderings`).
 */
export class OrderingSet<T extends object, N extends string> implements OrderingEnum {
  /** The enum object type-graphql maps to the GraphQL enum: each name to itself. */
  readonly enum: { readonly [K in N]: K };
  private readonly orderings: { readonly [K in N]: Ordering<T> };
  private registered = false;

  constructor(
    readonly enumName: string,
    readonly of: () => ClassType<T>,
    private readonly declared: { readonly [K in N]: OrderingDeclaration<T> },
  ) {
    const names = Object.keys(declared) as N[];
    this.enum = Object.fromEntries(names.map((name) => [name, name])) as { [K in N]: K };
    this.orderings = Object.fromEntries(
      names.map((name): [N, Ordering<T>] => [name, { name, direction: declared[name].direction, keys: declared[name].keys }]),
    ) as unknown as {
      [K in N]: Ordering<T>;
    };
  }

  get names(): readonly N[] {
    return Object.keys(this.declared) as N[];
  }

  /** The ordering an enum value names. */
  ordering(name: N): Ordering<T> {
    return this.orderings[name];
  }

  /**
   * Registers the enum with type-graphql, once per process: its store is process-wide, and every
   * schema built afterwards finds it there.
   */
  registerEnum(): void {
    if (this.registered) return;
    const described = this.names.filter((name) => this.declared[name].description);
    const valuesConfig: Partial<Record<N, { description?: string }>> = {};
    for (const name of described) valuesConfig[name] = { description: this.declared[name].description };
    registerEnumType(this.enum, { name: this.enumName, ...(described.length ? { valuesConfig } : {}) });
    this.registered = true;
  }

  /**
   * The fields an ordering sorts by, as `Type.field`: sorting (and keyset paging, which resumes
   * after a row's values) reveals how values compare, so access control allows it only where those
   * fields are granted in full: paging in the order of a masked value would rebuild it from a few
   * known ones. Keys that are no field of the type (internal tie-breakers, opaque hashes) reveal
   * nothing and are left out.
   */
  sortsBy(name: N, fieldExists: (type: string, field: string) => boolean): string[] {
    const type = graphqlTypeName(this.of());
    return this.orderings[name].keys.filter((k) => !k.opaque && fieldExists(type, k.property)).map((k) => `${type}.${k.property}`);
  }
}

/** Declares the orderings of a connection of `T` (see `OrderingSet`). */
export function orderings<T extends object, const N extends string>(
  of: () => ClassType<T>,
  enumName: string,
  declared: { readonly [K in N]: OrderingDeclaration<T> },
): OrderingSet<T, N> {
  return new OrderingSet(enumName, of, declared);
}

/** The enum value names of an ordering set. */
export type OrderName<S> = S extends { readonly names: ReadonlyArray<infer N> } ? N : never;

/**
 * Writes onto each ordering enum value of `schema` the fields it sorts by (`sortsBy`), so access
 * control reads them from the schema as it reads classifications, without knowing the domains.
 */
export function carryOrderings(schema: GraphQLSchema, sets: readonly OrderingEnum[]): void {
  const fieldExists = (typeName: string, fieldName: string) => {
    const type = schema.getType(typeName);
    return Boolean(type && 'getFields' in type && (type.getFields() as Record<string, unknown>)[fieldName]);
  };
  for (const set of sets) {
    const type = schema.getType(set.enumName);
    if (!isEnumType(type)) continue;
    for (const value of type.getValues()) {
      Object.assign(value.extensions as Record<string, unknown>, { sortsBy: set.sortsBy(value.name, fieldExists) });
    }
  }
}
