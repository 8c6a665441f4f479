import 'reflect-metadata';
import { startHub } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { isEmpty, loadWorld } from './demo/load-world';
import { createLogger } from './logger';
import { generateWorld } from '../connectors/world';

/**
 * `node dist/src/main.js [--demo]`: serves the hub. With `--demo` (what `npm start` passes) an
 * empty database is first filled with the synthetic Suzhou world.
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
  const demo = process.argv.includes('--demo');
  logger.info(config.databaseUrl ? 'using the PostgreSQL at DATABASE_URL' : `DATABASE_URL is unset: starting an embedded PostgreSQL in ${config.dataDir}`);
  const db = await openDatabase(config, logger);
  if (demo && await isEmpty(db.pool)) {
    logger.info(`loading the demo world (seed ${config.demoSeed}, size ${config.demoSize}); this runs once, into an empty database`);
    const world = generateWorld({ seed: config.demoSeed, size: config.demoSize });
    const summary = await loadWorld(db.pool, world, { onProgress: (line) => logger.info(line) });
    logger.info(`demo world loaded: ${summary.records} records and ${summary.captures} captures in ${(summary.milliseconds / 1000).toFixed(1)} s`);
  }
  const hub = await startHub(config, logger, db);
  process.stdout.write(`Xietong hub ready: GraphQL at ${hub.graphqlUrl} (health ${hub.url}/health, readiness ${hub.url}/ready)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    await hub.close();
    logger.debug('http server closed');
    await db.close();
    logger.debug('database closed');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`hub failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
