import { Arg, Ctx, FieldResolver, Resolver, type ClassType } from 'type-graphql';
import { Classified, type Classification } from '../fields/classification';
import { Parent } from '../fields/parent.decorator';
import type { RequestContext } from '../request-context';

/** A GraphQL type as type-graphql's decorators take it: `() => Vehicle`, `() => [Vehicle]`, `() => Int`. */
export type TypeThunk = Exclude<Parameters<typeof FieldResolver>[0], undefined>;

/** An argument of a relation field; `T` is what `load` receives for it. */
export interface RelationArg<T> {
  type: TypeThunk;
  nullable?: boolean;
  defaultValue?: T;
  description?: string;
}

/** Declares an argument of a relation field (`T`: the value the load receives). */
export function arg<T>(type: TypeThunk, options: Omit<RelationArg<T>, 'type'> = {}): RelationArg<T> {
  return { type, ...options };
}

type ArgValues<A> = { [N in keyof A]: A[N] extends RelationArg<infer T> ? T : never };

/**
 * The parent's key properties, none of them null (a relation whose key is null resolves to
 * nothing without loading) but those declared `nullableKeys`, passed as they are.
 */
export type ParentKey<P, K extends keyof P, N extends K = never> = { [Q in Exclude<K, N>]: NonNullable<P[Q]> } & { [Q in N]: P[Q] };

type Args = Record<string, RelationArg<unknown>>;

/**
 * A field of `P` resolved from properties of the parent row (usually its key into another
 * domain's rows, through a loader). One declaration gives the field resolver, the columns every
 * read of `P` loads (`parentKey`, selected or not) and, when `parentKey` is what a lookup of `P`
 * is keyed by and the field takes no arguments, its prefetch (see `Relations.prefetch`).
 */
export interface RelationDeclaration<P extends object, K extends keyof P & string, C extends RequestContext, A extends Args, N extends K = never> {
  /** The type the field is on. */
  on: () => ClassType<P>;
  field: string;
  /** What the field returns, as type-graphql's return type function (`() => [Vehicle]` for a list). */
  returns: TypeThunk;
  nullable?: boolean;
  description?: string;
  classification: Classification;
  /** The parent properties `load` reads. */
  parentKey: K | readonly K[];
  /** Key properties `load` takes null (a plan stating no number still has a quota of none), not a reason to resolve to nothing. */
  nullableKeys?: readonly N[];
  args?: A;
  load: (ctx: C, key: ParentKey<P, K, N>, args: ArgValues<A>) => unknown;
}

type Load = (ctx: RequestContext, key: Record<string, unknown>, args: Record<string, unknown>) => unknown;

const NO_ARGUMENTS: Record<string, unknown> = Object.freeze({});

/** A declared relation; built by `relation()`. */
export class Relation {
  readonly on: () => ClassType;
  readonly field: string;
  /** The parent properties the relation reads: loaded with every row of the parent type. */
  readonly keys: readonly string[];
  private readonly nullableKeys: ReadonlySet<string>;
  readonly takesArguments: boolean;
  private readonly load: Load;
  private generated: ClassType | null = null;
  private resolvesToList: boolean | null = null;

  constructor(private readonly declaration: RelationDeclaration<object, never, RequestContext, Args>) {
    this.on = declaration.on;
    this.field = declaration.field;
    this.keys = typeof declaration.parentKey === 'string' ? [declaration.parentKey] : [...(declaration.parentKey as readonly string[])];
    this.nullableKeys = new Set(declaration.nullableKeys ?? []);
    this.takesArguments = Object.keys(declaration.args ?? {}).length > 0;
    this.load = declaration.load as unknown as Load;
  }

  /** The parent's key values, or null when one is missing (an absent reference; a `nullableKeys` one only when not loaded). */
  keyOf(parent: Record<string, unknown>): Record<string, unknown> | null {
    const key: Record<string, unknown> = {};
    for (const property of this.keys) {
      const value = parent[property];
      if (value === undefined || (value === null && !this.nullableKeys.has(property))) return null;
      key[property] = value;
    }
    return key;
  }

  /** Resolves the field for a parent row (or a key holding its `keys`). */
  resolve(ctx: RequestContext, parent: Record<string, unknown>, args: Record<string, unknown> = NO_ARGUMENTS): unknown {
    const key = this.keyOf(parent);
    if (key) return this.load(ctx, key, args);
    // Resolved lazily: the return type may name a class not yet defined when the relation is declared.
    this.resolvesToList ??= Array.isArray(this.declaration.returns());
    return this.resolvesToList ? [] : null;
  }

  /**
   * The type-graphql resolver class of the field, made on first use and the same class after:
   * type-graphql keeps every decorated class in a process-wide store, so one declaration must
   * add its field once however many schemas are built.
   */
  resolverClass(): ClassType {
    if (this.generated) return this.generated;
    const { declaration } = this;
    const args = Object.entries(declaration.args ?? {});
    const Generated = class {};
    Object.defineProperty(Generated, 'name', { value: `${declaration.on().name}${declaration.field[0].toUpperCase()}${declaration.field.slice(1)}Relation` });
    const prototype = Generated.prototype as Record<string, unknown>;
    Object.defineProperty(prototype, declaration.field, {
      value: (parent: Record<string, unknown>, ctx: RequestContext, ...values: unknown[]) =>
        this.resolve(ctx, parent, args.length ? Object.fromEntries(args.map(([name], i) => [name, values[i]])) : NO_ARGUMENTS),
      writable: true,
      configurable: true,
    });
    // Decorated in the order TypeScript applies written decorators (parameters last to first,
    // then the method's from the bottom up), so the schema prints as it did when they were written.
    for (let i = args.length - 1; i >= 0; i -= 1) {
      const [name, { type, ...options }] = args[i];
      Arg(name, type, options)(prototype, declaration.field, i + 2);
    }
    Ctx()(prototype, declaration.field, 1);
    Parent()(prototype, declaration.field, 0);
    const descriptor = Object.getOwnPropertyDescriptor(prototype, declaration.field)!;
    FieldResolver(declaration.returns, { nullable: declaration.nullable, description: declaration.description })(prototype, declaration.field, descriptor);
    Classified(declaration.classification)(prototype, declaration.field, descriptor);
    Resolver(declaration.on)(Generated);
    this.generated = Generated;
    return Generated;
  }
}

/** Declares a relation (see `RelationDeclaration`); nothing is registered until a schema is built from it. */
export function relation<P extends object, K extends keyof P & string, C extends RequestContext, A extends Args = Record<never, never>, N extends K = never>(
  declaration: RelationDeclaration<P, K, C, A, N>,
): Relation {
  // Kept as declared; the class reads it through the erased signature the schema build needs.
  return new Relation(declaration as unknown as RelationDeclaration<object, never, RequestContext, Args>);
}
