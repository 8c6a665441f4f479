import type { EntityClass, EntityMetadata, EntityProperty } from '@mikro-orm/postgresql';
import type { ReadScope } from './read-scope';

type Row = Record<string, unknown>;

/*
 * Reads skip the ORM's hydration: for read-only request data, identity maps, change tracking
 * and property propagation cost more than the query itself (measured: ~0.1 ms per entity).
 * Rows become plain objects shaped like the entity, built from the entity's own metadata so the
 * mapping cannot drift from the schema.
 *
 * Reads are also projected: only the columns of fields the operation selects on the entity's
 * GraphQL type (anywhere in the document), plus what the hub itself needs whatever the selection:
 * the primary key, the parent keys of the entity's relations (`scope.relations`, from their
 * declarations) and what the query passes (the keys it filters on, its ordering's keys). A 360°
 * query over fifty vehicles does not drag every provenance column along.
 */

export interface Column {
  property: string;
  column: string;
  instant: boolean;
  /** Set for columns of an embeddable: the property holding it. */
  embeddedIn: string | null;
}

/** The columns to read for a set of properties, and how to shape a row of them. */
export interface Projection<T> {
  columnList: string;
  map: (row: Row) => T;
}

const columnsByEntity = new WeakMap<object, Column[]>();
const projections = new WeakMap<object, Map<string, Projection<unknown>>>();

/** Every persisted scalar column of an entity except `deleted_at` (reads only see live rows). */
export function columnsOf(meta: EntityMetadata): Column[] {
  let columns = columnsByEntity.get(meta);
  if (!columns) {
    columns = (Object.values(meta.properties) as EntityProperty[])
      .filter((p) => p.kind === 'scalar' && p.persist !== false && p.name !== 'deletedAt')
      .map((p) => ({
        property: p.embedded ? p.embedded[1] : p.name,
        column: p.fieldNames[0],
        instant: /timestamp/.test(String(p.columnTypes?.[0] ?? p.type)),
        embeddedIn: p.embedded ? p.embedded[0] : null,
      }));
    columnsByEntity.set(meta, columns);
  }
  return columns;
}

function buildProjection<T>(columns: Column[]): Projection<T> {
  const own = columns.filter((c) => c.embeddedIn === null);
  const embedded = [...new Set(columns.filter((c) => c.embeddedIn).map((c) => c.embeddedIn!))]
    .map((property) => ({ property, columns: columns.filter((c) => c.embeddedIn === property) }));
  const read = (row: Row, c: Column) => {
    const value = row[c.column];
    return c.instant && typeof value === 'string' ? new Date(value) : value;
  };
  return {
    columnList: columns.map((c) => c.column).join(', '),
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
 * The projection of `entity` for this request: everything when the request has no selection
 * (internal callers), else the selected fields of its GraphQL type, its primary key, the keys its
 * relations read and `extra` (e.g. the keys a query filters on).
 */
export function projectionFor<T extends object>(scope: ReadScope, entity: EntityClass<T>, extra: readonly string[] = []): Projection<T> {
  const meta = scope.em.getMetadata().get<T>(entity.name) as unknown as EntityMetadata;
  const all = columnsOf(meta);
  const selected = scope.operation?.selection?.fieldsOf(meta.className) ?? null;
  const wanted = selected === null
    ? null
    : new Set([...selected, ...meta.primaryKeys, ...(scope.relations?.keysOf(meta.className) ?? []), ...extra]);
  const key = wanted === null ? '*' : [...wanted].sort().join(',');
  let cache = projections.get(meta);
  if (!cache) {
    cache = new Map();
    projections.set(meta, cache);
  }
  let projection = cache.get(key) as Projection<T> | undefined;
  if (!projection) {
    const columns = wanted === null ? all : all.filter((c) => wanted.has(c.embeddedIn ?? c.property));
    projection = buildProjection<T>(columns);
    cache.set(key, projection as Projection<unknown>);
  }
  return projection;
}
