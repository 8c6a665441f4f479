import { loadConfig, type HubConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { dropDatabase } from '../../src/db/ensure-database';

/**
 * Runs a benchmark over a throwaway database on the configured server (or on an embedded one
 * started for the run), dropped afterwards; any failure prints and exits 1.
 */
export function runBenchmark(label: string, body: (config: HubConfig & { databaseUrl: string }, db: Database) => Promise<void>): void {
  const run = async () => {
    const base = loadConfig();
    const embedded = base.databaseUrl ? null : await startEmbeddedPostgres(base.dataDir, base.embeddedPgPort);
    const url = new URL(base.databaseUrl ?? embedded!.url);
    url.pathname = `/xietong_bench_${label}_${process.pid}`;
    const config = { ...base, databaseUrl: url.toString(), port: 0 };
    const db = await openDatabase(config, entityModelOf(HUB_DOMAINS));
    try {
      await body(config, db);
    } finally {
      await db.close();
      await dropDatabase(config.databaseUrl);
      await embedded?.stop();
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
