import type { EntityClass } from '@mikro-orm/core';

/** Another table's rows, for a value that must be one of theirs (see `rowsOf`). */
export interface RowsOf {
  /** The entity, or its name where its domain cannot be imported (it imports this one). */
  type: EntityClass<object> | string;
  property: string;
  where: Where<object>;
}

type Element<V> = V extends ReadonlyArray<infer E> ? E : never;

/**
 * A test of one property's value, as a repository states it; the gateway turns it into SQL with
 * every value a parameter. A plain value (a Date included) is an equality.
 */
export type Test<V> =
  | V
  /** Every bound given holds. */
  | { gte?: V | null; gt?: V | null; lt?: V | null }
  | { startsWith: string | null | undefined }
  | { contains: string | null | undefined }
  /** An array column holds the value. */
  | { has: Element<V> }
  /** The value is `property` of a live row of another type, matching its `where` and visible to the caller. */
  | { in: RowsOf };

/**
 * The conditions a row must all meet. A test or bound that is null, undefined or empty text is
 * not applied: repositories pass optional filter arguments as they come, and an empty text
 * argument has always filtered nothing.
 */
export type Where<T> = { [P in keyof T & string]?: Test<T[P]> | null };

/** `property` of the rows of `type` that meet `where` (a semi-join: enterprises holding a licence of a scope). */
export function rowsOf<U extends object>(type: EntityClass<U>, property: keyof U & string, where: Where<U>): { in: RowsOf };
/** The same, for an entity named by its type name: its properties are checked when the statement is written. */
export function rowsOf(type: string, property: string, where: Record<string, Test<unknown>>): { in: RowsOf };
export function rowsOf(type: EntityClass<object> | string, property: string, where: Where<object>): { in: RowsOf } {
  return { in: { type, property, where } };
}

/** A test other than equality. */
export type Operator =
  | { gte?: unknown; gt?: unknown; lt?: unknown }
  | { startsWith: string | null | undefined }
  | { contains: string | null | undefined }
  | { has: unknown }
  | { in: RowsOf };

/** Whether a test is one of the operator objects above rather than a value to equal. */
export function isOperator(test: unknown): test is Operator {
  return typeof test === 'object' && test !== null && Object.getPrototypeOf(test) === Object.prototype;
}
