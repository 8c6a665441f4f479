import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { allEntities, syncedEntities } from '../domains/entities';
import { migrationsList } from '../migrations';

/** MikroORM options for the hub's database at `clientUrl`. */
export function ormOptions(clientUrl: string): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities: allEntities,
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
    filters: {
      live: { cond: { deletedAt: null }, entity: syncedEntities.map((e) => e.name), default: true },
    },
    pool: { min: 0, max: 10 },
    // Instants stay Date objects; `date` columns stay `YYYY-MM-DD` strings.
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    colors: false,
  };
}
