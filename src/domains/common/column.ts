import { Enum, PrimaryKey, Property, type PropertyOptions } from '@mikro-orm/core';
import { Field, Float, Int, type FieldOptions } from 'type-graphql';
import { Classified, type Classification } from '../../read-kit/fields/classification';
import type { MaskKind } from '../../read-kit/fields/masks';
import { LocalDate } from './scalars';

/**
 * A column an entity persists and its GraphQL type exposes, declared once: the ORM column, the
 * field's classification and the field itself. The field's type and nullability are the
 * column's, so the database and the schema cannot drift apart, and the property's own
 * TypeScript type must agree with both (a compile error otherwise).
 */

/** What names a field's GraphQL type (type-graphql does not export its name for it). */
type ReturnTypeFunc = NonNullable<Parameters<typeof Field>[0]>;

/** The TypeScript value of each column type, as the pg driver and the ORM hand it over. */
interface ValueOf {
  text: string;
  'text[]': string[];
  bigint: string;
  integer: number;
  smallint: number;
  double: number;
  boolean: boolean;
  timestamptz: Date;
  date: string;
  jsonb: unknown;
}

export type ColumnType = keyof ValueOf;

/** The GraphQL type a column is exposed as unless it names another; JSON has none of its own. */
const GRAPHQL_TYPE_OF = {
  text: () => String,
  'text[]': () => [String],
  // Beyond 2^53, so a string, as the driver returns it.
  bigint: () => String,
  integer: () => Int,
  smallint: () => Int,
  double: () => Float,
  boolean: () => Boolean,
  timestamptz: () => Date,
  // A calendar day stays a `YYYY-MM-DD` string (orm-options.ts).
  date: () => LocalDate,
} satisfies Record<Exclude<ColumnType, 'jsonb'>, ReturnTypeFunc>;

/** How a column is shown in the schema, and whether it may be null (in the table and the field alike). */
interface Exposure<N extends boolean> {
  nullable?: N;
  /** The mask an agreement granting the field only "masked" applies (see `Classified`). */
  mask?: MaskKind;
  description?: string;
}

export interface ColumnOptions<N extends boolean> extends Exposure<N>, Pick<PropertyOptions<object>, 'unique' | 'fieldName' | 'default'> {
  /** Part of the primary key. */
  primary?: boolean;
  /** The field's type where it is not the column's own: an ID, or a day shown as a plain string. */
  graphqlType?: ReturnTypeFunc;
}

export interface EnumColumnOptions<N extends boolean, A extends boolean> extends Exposure<N> {
  primary?: boolean;
  /** A list of the enum's values (a text array). */
  array?: A;
}

/** Stands in for the property name where its type disagrees, so the compiler's error says why. */
interface PropertyTypeIsNotTheColumns {
  error: "the property's type is not its column's (type or nullability)";
}

type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Nullable<V, N extends boolean> = N extends true ? V | null : V;

/** A property decorator that accepts only a property of type `V`, or any where `V` is unknown (JSON). */
export type ColumnDecorator<V> = <O extends object, K extends string & keyof O>(
  target: O,
  key: K & (unknown extends V ? unknown : Agrees<O[K], V> extends true ? unknown : PropertyTypeIsNotTheColumns),
) => void;

type Decorate = (target: object, key: string) => void;

/** A JSON column: the GraphQL type (an object type's list, usually) is always named. */
export function Column<N extends boolean = false>(
  type: 'jsonb',
  classification: Classification,
  options: ColumnOptions<N> & { graphqlType: ReturnTypeFunc },
): ColumnDecorator<unknown>;
export function Column<T extends Exclude<ColumnType, 'jsonb'>, N extends boolean = false>(
  type: T,
  classification: Classification,
  options?: ColumnOptions<N>,
): ColumnDecorator<Nullable<ValueOf[T], N>>;
export function Column(type: ColumnType, classification: Classification, options: ColumnOptions<boolean> = {}): ColumnDecorator<unknown> {
  const { nullable, primary, mask, description, graphqlType, ...persisted } = options;
  const exposedAs = graphqlType ?? (type === 'jsonb' ? undefined : GRAPHQL_TYPE_OF[type]);
  if (!exposedAs) throw new Error(`a ${type} column names its GraphQL type`);
  const declared = { type, ...(nullable && { nullable }), ...persisted };
  const column = primary ? PrimaryKey(declared) : Property(declared);
  return exposed(column, exposedAs, classification, { nullable, mask, description });
}

/** A column of an enum's values (a list of them with `array`), exposed as the GraphQL enum. */
export function EnumColumn<E extends object, N extends boolean = false, A extends boolean = false>(
  items: () => E,
  classification: Classification,
  options: EnumColumnOptions<N, A> = {},
): ColumnDecorator<Nullable<A extends true ? Array<E[keyof E]> : E[keyof E], N>> {
  const { nullable, primary, array, mask, description } = options;
  const column = Enum({ items, ...(array && { array }), ...(nullable && { nullable }), ...(primary && { primary }) });
  return exposed(column, array ? () => [items()] : items, classification, { nullable, mask, description });
}

/** Applies the field, its classification and the column, in the order the three decorators stacked did. */
function exposed<V>(
  column: Decorate,
  type: ReturnTypeFunc,
  classification: Classification,
  { nullable, mask, description }: Exposure<boolean>,
): ColumnDecorator<V> {
  const field: FieldOptions = { ...(nullable && { nullable }), ...(description !== undefined && { description }) };
  return ((target: object, key: string) => {
    Field(type, field)(target, key);
    Classified(classification, mask)(target, key);
    column(target, key);
  }) as ColumnDecorator<V>;
}
