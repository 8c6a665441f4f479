import 'reflect-metadata';
import { configOrExit, stopOnSignals } from './process-lifecycle';
import { openDatabase } from './db/database';
import { entityModelOf, HUB_DOMAINS } from './domains';
import { configuredLogger } from './logger';
import { startSyncRuntime } from './sync/sync-runtime';

/**
 * `npm run worker`: the sync workers as their own process. SIGTERM lets the running batch
 * commit, then closes; a batch that is cut short is simply redone (see commit-batch.ts).
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = configuredLogger(config);
  const db = await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  const runtime = await startSyncRuntime(config, db, logger, { schedule: process.argv.includes('--schedule') });
  process.stdout.write('Xietong sync workers running\n');
  stopOnSignals(logger, async () => {
    await runtime.close();
    await db.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
