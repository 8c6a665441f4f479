import type { ReadCaller } from './read-caller';
import type { Column, Table } from './table-catalogue';

type Row = Record<string, unknown>;

/*
 * Reads skip the ORM's hydration: for read-only request data, identity maps, change tracking
 * and property propagation cost more than the query itself (measured: ~0.1 ms per entity).
 * Rows become plain objects shaped like the entity, built from the entity's own metadata so the
 * mapping cannot drift from the schema.
 *
 * Reads are also projected: only the columns of fields the operation selects on the entity's
 * GraphQL type (anywhere in the document), plus what the hub itself needs whatever the selection:
 * the primary key, the parent keys of the entity's relations (`ReadCaller.relations`, from their
 * declarations) and what the query passes (the keys it filters on, its ordering's keys). A 360°
 * query over fifty vehicles does not drag every provenance column along.
 */

/** The columns to read for a set of properties, and how to shape a row of them. */
export interface Projection<T> {
  columnList: string;
  /** The columns read, in `columnList`'s order. */
  columns: readonly Column[];
  map: (row: Row) => T;
}

const projections = new WeakMap<Table, Map<string, Projection<unknown>>>();

function buildProjection<T>(columns: readonly Column[]): Projection<T> {
  const own = columns.filter((c) => c.embeddedIn === null);
  const embedded = [...new Set(columns.filter((c) => c.embeddedIn).map((c) => c.embeddedIn!))].map((property) => ({
    property,
    columns: columns.filter((c) => c.embeddedIn === property),
  }));
  const read = (row: Row, c: Column) => {
    const value = row[c.column];
    return c.instant && typeof value === 'string' ? new Date(value) : value;
  };
  return {
    columnList: columns.map((c) => c.column).join(', '),
    columns,
    map: (row) => {
      const entity: Row = {};
      for (const c of own) entity[c.property] = read(row, c);
      for (const e of embedded) {
        const value: Row = {};
        for (const c of e.columns) value[c.property] = read(row, c);
        entity[e.property] = value;
      }
      return entity as T;
    },
  };
}

/**
 * The projection of `table` for `caller`'s operation: everything without a selection (internal
 * callers), else the selected fields of its GraphQL type, its primary key, the keys its relations
 * read and `extra` (the keys a statement filters, groups or orders by). Built once per table and
 * set of properties.
 */
export function projectionOf<T>(table: Table, caller: ReadCaller, extra: readonly string[] = []): Projection<T> {
  const selected = caller.operation?.selection?.fieldsOf(table.type) ?? null;
  const wanted = selected === null ? null : new Set([...selected, ...table.primaryKeys, ...(caller.relations?.keysOf(table.type) ?? []), ...extra]);
  const key = wanted === null ? '*' : [...wanted].sort().join(',');
  let cache = projections.get(table);
  if (!cache) {
    cache = new Map();
    projections.set(table, cache);
  }
  let projection = cache.get(key) as Projection<T> | undefined;
  if (!projection) {
    const columns = wanted === null ? table.columns : table.columns.filter((c) => wanted.has(c.embeddedIn ?? c.property));
    projection = buildProjection<T>(columns);
    cache.set(key, projection as Projection<unknown>);
  }
  return projection;
}
