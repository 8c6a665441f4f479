import 'reflect-metadata';
import { startHub } from './app';
import { configOrExit, stopOnSignals } from './process-lifecycle';
import { openDatabase } from './db/database';
import { entityModelOf, HUB_DOMAINS } from './domains';
import { startDemoUpstream, type DemoUpstream } from './demo/demo-upstream';
import { isEmpty, loadWorld } from './demo/load-world';
import { startSyncRuntime, type SyncRuntime } from './sync/sync-runtime';
import { createLogger } from './logger';
import { generateWorld } from '../connectors/world';
import { demoTokens } from './demo/demo-tokens';

/**
 * `node dist/src/main.js [--demo]`: serves the hub. With `--demo` (what `npm start` passes) an
 * empty database is first filled with the synthetic Suzhou world, and simulated agency systems
 * serving that world are started with in-process sync workers.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  const demo = process.argv.includes('--demo');
  logger.info(config.databaseUrl ? 'using the PostgreSQL at DATABASE_URL' : `DATABASE_URL is unset: starting an embedded PostgreSQL in ${config.dataDir}`);
  const db = await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  let demoUpstream: DemoUpstream | null = null;
  let sync: SyncRuntime | null = null;
  if (demo) {
    const world = generateWorld({ seed: config.demoSeed, size: config.demoSize });
    if (await isEmpty(db.pool)) {
      logger.info(`loading the demo world (seed ${config.demoSeed}, size ${config.demoSize}); this runs once, into an empty database`);
      const summary = await loadWorld(db.pool, world, { onProgress: (line) => logger.info(line) });
      logger.info(`demo world loaded: ${summary.records} records and ${summary.captures} captures in ${(summary.milliseconds / 1000).toFixed(1)} s`);
    }
    // The demo's agency systems serve the same world; in-process workers keep the hub in sync
    // with them (and with the live checkpoint traffic the exchange simulator writes).
    demoUpstream = await startDemoUpstream(world, db.url, config.demoFaults);
    sync = await startSyncRuntime({ ...config, upstream: demoUpstream.upstream, syncIntervalSeconds: Math.min(config.syncIntervalSeconds, 30) }, db, logger, { schedule: true });
  }
  const hub = await startHub(config, logger, db);
  process.stdout.write(`Xietong hub ready: GraphQL at ${hub.graphqlUrl} (health ${hub.url}/health, readiness ${hub.url}/ready)\n`);
  if (demo && !config.trustConfigFile) process.stdout.write(await demoTokens(config.dataDir, hub.graphqlUrl));

  stopOnSignals(logger, async () => {
    await hub.close();
    logger.debug('http server closed');
    await sync?.close();
    await demoUpstream?.close();
    await db.close();
    logger.debug('database closed');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`hub failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
