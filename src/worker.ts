import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { createLogger } from './logger';
import { startSyncRuntime } from './sync/sync-runtime';

/**
 * `npm run worker`: the sync workers as their own process. SIGTERM lets the running batch
 * commit, then closes; a batch that is cut short is simply redone (see commit-batch.ts).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  const runtime = await startSyncRuntime(config, db, logger, { schedule: process.argv.includes('--schedule') });
  process.stdout.write('Xietong sync workers running\n');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing running batches`);
    await runtime.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
