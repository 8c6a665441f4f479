import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { RUN_LOG } from './test-logger';

/**
 * Without DATABASE_URL the suite starts one embedded PostgreSQL for the whole run, so
 * `npm test` passes on a machine with no services at all.
 */
export default async function globalSetup(): Promise<void> {
  // The run's log starts empty (global-teardown.ts scans it).
  fs.mkdirSync(path.dirname(RUN_LOG), { recursive: true });
  fs.writeFileSync(RUN_LOG, '');
  const config = loadConfig();
  if (config.databaseUrl) {
    console.log(`\ntests use the PostgreSQL at DATABASE_URL`);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xietong-test-pg-'));
    fs.chmodSync(dir, 0o777);
    const port = 55000 + (process.pid % 5000);
    const pg = await startEmbeddedPostgres(dir, port);
    const file = path.join(dir, 'url');
    fs.writeFileSync(file, pg.url);
    // Workers are spawned after global setup and inherit this: it tells them where the server is.
    process.env.XIETONG_TEST_PG_URL_FILE = file;
    (globalThis as Record<string, unknown>).__xietongEmbeddedPg = { stop: pg.stop, dir };
    console.log(`\nDATABASE_URL is unset: tests use an embedded PostgreSQL on port ${port}`);
  }
  console.log(
    loadConfig().redisUrl
      ? 'tests that need Redis use REDIS_URL'
      : 'REDIS_URL is unset: tests that need Redis are not run (queue tests use the PostgreSQL backend)',
  );
}
