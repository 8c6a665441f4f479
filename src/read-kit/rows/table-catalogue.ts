import type { EntityMetadata, EntityProperty, MetadataStorage } from '@mikro-orm/core';

/** One persisted scalar column of a table, as rows are read from it. */
export interface Column {
  property: string;
  column: string;
  /** The column's SQL type as the ORM declares it (`text`, `timestamptz`, `text[]`, …). */
  sqlType: string;
  /** Instants arrive as text from some statements (JSON record sets) and become Dates. */
  instant: boolean;
  /** Set for columns of an embeddable: the property holding it. */
  embeddedIn: string | null;
}

/** What the read gateway knows of one table the ORM maps. */
export interface Table {
  /** The entity's class name: also its GraphQL type's name, which row scopes and selections are keyed by. */
  type: string;
  name: string;
  /** The soft-delete column: reads see only rows where it is null. Null for tables never soft-deleted. */
  deletedAt: string | null;
  /** The primary key's properties: read whatever the operation selects. */
  primaryKeys: readonly string[];
  /** Every persisted scalar column except the soft-delete column. */
  columns: readonly Column[];
  /** The column of an own (not embedded) property; a property without one is a programming error. */
  column(property: string): Column;
}

function tableOf(meta: EntityMetadata): Table {
  const properties = Object.values(meta.properties) as EntityProperty[];
  const columns: Column[] = properties
    .filter((p) => p.kind === 'scalar' && p.persist !== false && p.name !== 'deletedAt')
    .map((p) => {
      const sqlType = String(p.columnTypes?.[0] ?? p.type);
      return {
        property: p.embedded ? p.embedded[1] : p.name,
        column: p.fieldNames[0],
        sqlType,
        instant: /timestamp/.test(sqlType),
        embeddedIn: p.embedded ? p.embedded[0] : null,
      };
    });
  const own = new Map(columns.filter((c) => c.embeddedIn === null).map((c) => [c.property, c]));
  return {
    type: meta.className,
    name: meta.tableName,
    deletedAt: meta.properties.deletedAt ? (meta.properties.deletedAt as EntityProperty).fieldNames[0] : null,
    primaryKeys: [...meta.primaryKeys],
    columns,
    column(property) {
      const found = own.get(property);
      if (!found) throw new Error(`${meta.className} has no column for ${property}`);
      return found;
    },
  };
}

/**
 * The tables of the entities the ORM maps, read from its metadata once when the gateway opens:
 * the ORM keeps the schema and the migrations, the gateway reads what they declare.
 */
export class TableCatalogue {
  private readonly tables = new Map<string, Table>();

  constructor(metadata: MetadataStorage) {
    for (const meta of Object.values(metadata.getAll())) {
      if (meta.embeddable || meta.virtual || !meta.tableName) continue;
      this.tables.set(meta.className, tableOf(meta));
    }
  }

  /** The table of an entity, by its class or its (GraphQL type) name. */
  of(type: string | { name: string }): Table {
    const name = typeof type === 'string' ? type : type.name;
    const table = this.tables.get(name);
    if (!table) throw new Error(`${name} is not an entity the ORM maps`);
    return table;
  }

  /** Every table the gateway owns. */
  get all(): readonly Table[] {
    return [...this.tables.values()];
  }

  /** The names of every table the gateway owns: no other code reads them. */
  get tableNames(): string[] {
    return this.all.map((t) => t.name);
  }
}
