import 'reflect-metadata';
import { configOrExit, stopOnSignals } from './process-lifecycle';
import { configuredLogger } from './logger';
import { startTracing } from './telemetry';

/**
 * `npm run worker`: the sync workers as their own process. SIGTERM lets the running batch
 * commit, then closes; a batch that is cut short is simply redone (see commit-batch.ts).
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = configuredLogger(config);
  // Tracing patches pg, ioredis and http as they are loaded: the workers are loaded after it.
  const tracing = await startTracing(config.tracing, 'xietong-worker', logger);
  const [{ openDatabase }, { entityModelOf, HUB_DOMAINS }, { startSyncRuntime }] = await Promise.all([
    import('./db/database'),
    import('./domains'),
    import('./sync/sync-runtime'),
  ]);
  const db = await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  const runtime = await startSyncRuntime(config, db, logger, { schedule: process.argv.includes('--schedule') });
  process.stdout.write('Xietong sync workers running\n');
  stopOnSignals(logger, async () => {
    await runtime.close();
    await db.close();
    await tracing.shutdown();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
