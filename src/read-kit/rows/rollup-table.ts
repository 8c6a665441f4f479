import type { ResolvedCondition, RowScope } from './row-scope';
import type { Table } from './table-catalogue';

/**
 * A rollup table as the read gateway writes statements over it: a table of the fact type whose
 * "columns" are the rollup's columns holding the entity's properties, so filters and row scopes
 * on those properties apply to it as to the fact table. It has no soft-delete column: deleted
 * records are taken out of the rollup when they are deleted.
 */
export function rollupTable(
  type: string,
  rollup: { table: string; count: string; properties: Readonly<Record<string, string>> },
): { table: Table; count: string; has: (property: string) => boolean } {
  const { table, has } = columnTable(type, rollup.table, rollup.properties);
  return { table, count: rollup.count, has };
}

/** A relation the catalogue does not map, read as a table of `type` whose properties are the columns named (no soft deletes). */
export function columnTable(type: string, name: string, properties: Readonly<Record<string, string>>): { table: Table; has: (property: string) => boolean } {
  const columns = Object.entries(properties).map(([property, column]) => ({
    property,
    column,
    sqlType: 'text',
    instant: false,
    embeddedIn: null,
  }));
  const byProperty = new Map(columns.map((c) => [c.property, c]));
  const table: Table = {
    type,
    name,
    deletedAt: null,
    primaryKeys: [],
    columns,
    column(property) {
      const found = byProperty.get(property);
      if (!found) throw new Error(`${name} holds no ${type}.${property}`);
      return found;
    },
  };
  return { table, has: (property) => byProperty.has(property) };
}

/** Whether a row scope tests only properties `has` knows, with no joins: then it applies to the rollup as it stands. */
export function scopeFits(scope: RowScope | null, has: (property: string) => boolean): boolean {
  if (scope === null) return true;
  const fits = (c: ResolvedCondition): boolean => {
    if ('anyOf' in c) return c.anyOf.every(fits);
    if ('plates' in c || 'via' in c) return false;
    return has(c.field);
  };
  return scope.every((conditions) => conditions.every(fits));
}
