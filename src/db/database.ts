import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { createPool } from './sql-client';
import type { HubConfig } from '../config';
import { scrub, silentLogger, type Logger } from '../logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { ensureDatabase } from './ensure-database';
import { ormOptions, type EntityModel } from './orm-options';
import { QueryCounter } from './query-counter';
import { withSessionLock } from './session-lock';
import { AdvisoryLock } from './advisory-locks';

/** The hub's open database: the ORM, its statement counter, and how to close both. */
export interface Database {
  orm: MikroORM;
  /**
   * Plain `pg` pool for bulk writes (ingest): the ORM's query layer costs more than the database
   * itself on multi-megabyte parameters and cannot stream COPY.
   */
  pool: Pool;
  /**
   * The audit's own connections (`AuditLog`'s group commits): a request's event never waits for
   * a connection behind sync or token writes. Opened when first used.
   */
  auditPool: Pool;
  /**
   * One connection for the unauthenticated public pages' shared rate bucket: a flood of public
   * requests waits on it, never on the hub's pool. Opened when first used.
   */
  publicPool: Pool;
  url: string;
  /** Counts the statements sent, the read gateway's (`src/read-kit/rows/read-gateway.ts`) included. */
  counter: QueryCounter;
  /** True when every known migration has been applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** Name of the hub's own database inside an embedded cluster. */
const EMBEDDED_DATABASE = 'xietong';

/**
 * Opens the database the config names (or an embedded one), creating it when missing, and
 * applies pending migrations: the schema only ever changes through committed migrations.
 */
export async function openDatabase(config: HubConfig, model: EntityModel, logger: Logger = silentLogger()): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    // The server's own output quotes the rows its errors are about.
    const server = logger.child({ component: 'postgres' });
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, (line) => server.debug({ output: scrub(line) }, 'embedded server output'));
    const u = new URL(embedded.url);
    u.pathname = `/${EMBEDDED_DATABASE}`;
    url = u.toString();
  }
  try {
    await ensureDatabase(url);
    const counter = new QueryCounter();
    const orm = await MikroORM.init(ormOptions(url, model));
    // Counted at knex, below the ORM: the ORM's own query log would format every statement
    // (bulk JSON parameters included) just to be counted.
    orm.em
      .getConnection()
      .getKnex()
      .on('query', () => counter.record());
    // MikroORM's migrator takes no lock, and two instances migrating one database at once would
    // both create the same tables: one migrates under the lock, the others then find nothing pending.
    await withSessionLock(url, AdvisoryLock.MIGRATION, () => orm.getMigrator().up());
    const onIdleError = (error: Error) => logger.warn({ err: error }, 'idle database connection lost');
    // Request reads have a pool of their own, held by the read gateway.
    const pool = createPool(url, 4, onIdleError);
    // Two: one writes a batch while the next gathers; a third would only wait for the chain's lock.
    const auditPool = createPool(url, 2, onIdleError);
    const publicPool = createPool(url, 1, onIdleError);
    return {
      orm,
      pool,
      auditPool,
      publicPool,
      url,
      counter,
      async isReady() {
        try {
          return (await orm.getMigrator().getPendingMigrations()).length === 0;
        } catch {
          return false;
        }
      },
      async close() {
        await pool.end();
        await auditPool.end();
        await publicPool.end();
        await orm.close(true);
        if (embedded) await embedded.stop();
      },
    };
  } catch (error) {
    if (embedded) await embedded.stop();
    throw error;
  }
}
