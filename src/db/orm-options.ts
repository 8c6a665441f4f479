import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import type { EntityClass } from '@mikro-orm/core';
import { migrationsList } from '../migrations';

/**
 * The entities the ORM maps, given by the caller (`entityModelOf(HUB_DOMAINS)`, `src/domains/index.ts`):
 * the database layer sits under the domains and knows none of them.
 */
export interface EntityModel {
  /** Every entity and embeddable. */
  all: ReadonlyArray<EntityClass<object>>;
}

/** MikroORM options for the hub's database at `clientUrl`. */
export function ormOptions(clientUrl: string, model: EntityModel): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities: [...model.all],
    metadataProvider: ReflectMetadataProvider,
    // The entities are listed explicitly; discovery must not scan folders.
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // No `deletedAt` filter: the ORM never reads rows; the read gateway hides soft-deleted ones.
    pool: { min: 0, max: 10 },
    // Instants stay Date objects; `date` columns stay `YYYY-MM-DD` strings.
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    colors: false,
  };
}
