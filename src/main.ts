import 'reflect-metadata';
import { configOrExit, stopOnSignals } from './process-lifecycle';
import { configuredLogger } from './logger';
import { startTracing } from './telemetry';

/**
 * `node dist/src/main.js [--demo]`: serves the hub. With `--demo` (what `npm start` passes) an
 * empty database is first filled with the synthetic Suzhou world, and simulated agency systems
 * serving that world are started with in-process sync workers (see `src/demo`).
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = configuredLogger(config);
  // Tracing patches pg, graphql, ioredis and http as they are loaded: the hub is loaded after it.
  const tracing = await startTracing(config.tracing, 'xietong-hub', logger);
  const [{ startHub }, { openDatabase }, { entityModelOf, HUB_DOMAINS }, { QUEUE_BOARD_PATH }] = await Promise.all([
    import('./app'),
    import('./db/database'),
    import('./domains'),
    import('./http/queue-board/queue-board-routes'),
  ]);
  // Loaded only when asked for: the demo's world and simulators are no part of a production hub.
  const demo = process.argv.includes('--demo') ? await import('./demo').then(({ prepareDemo }) => configOrExit(() => prepareDemo(config))) : null;
  if (config.databaseUrl) logger.info('using the PostgreSQL at DATABASE_URL');
  else logger.info({ dataDir: config.dataDir }, 'DATABASE_URL is unset: starting an embedded PostgreSQL');
  const db = await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  const runningDemo = demo ? await demo.start(db, logger) : null;
  const hub = await startHub(runningDemo?.hubConfig ?? config, logger, db, { devSignIn: demo?.signIn ?? undefined });
  // As soon as it serves: the demo's steps below take a while, and a stop during them is still graceful.
  stopOnSignals(logger, async () => {
    await hub.close();
    logger.debug('http server closed');
    await runningDemo?.close();
    await db.close();
    logger.debug('database closed');
    // Last: the spans of the shutdown itself are exported too.
    await tracing.shutdown();
  });
  process.stdout.write(`Xietong hub ready: GraphQL at ${hub.graphqlUrl} (health ${hub.url}/health, readiness ${hub.url}/ready)\n`);
  process.stdout.write(`Queue dashboard for the bureau's administrators at ${hub.url}${QUEUE_BOARD_PATH} (sign in with an administrator's token).\n`);
  if (config.graphiql) process.stdout.write(`Open ${hub.graphqlUrl} in a browser for GraphiQL${demo?.signIn ? ' (pick a demo role at the top)' : ''}.\n`);
  if (runningDemo) {
    process.stdout.write(
      `Report pages: ${hub.url}/reports/monthly-enforcement?month=${runningDemo.reportMonth} (pick "transport analyst" at the top; all reports at ${hub.url}/reports).\n`,
    );
  }
  if (runningDemo) process.stdout.write(await runningDemo.welcome(hub.graphqlUrl));
  if (runningDemo) {
    const write = (line: string) => process.stdout.write(line);
    // A demo that cannot set its watch still serves: say why and go on.
    await runningDemo
      .watch(hub.graphqlUrl, write)
      .then(write)
      .catch((error: unknown) => logger.warn({ err: error }, 'the demo could not set its live watch'));
    await runningDemo
      .inspection(hub.url, hub.graphqlUrl)
      .then(write)
      .catch((error: unknown) => logger.warn({ err: error }, 'the demo could not draw its random inspection'));
    await runningDemo
      .transfers(hub.graphqlUrl)
      .then(write)
      .catch((error: unknown) => logger.warn({ err: error }, 'the demo could not record its case transfers'));
    // DEMO_PEERS=on: the Shanghai bureau's hub and a clue shared with it, once the clues are there.
    void runningDemo
      .peers(hub.graphqlUrl)
      .then(write)
      .catch((error: unknown) => logger.warn({ err: error }, 'the demo could not share a clue with its peer hub'));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`hub failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
