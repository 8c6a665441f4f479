import 'reflect-metadata';
import { startHub } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { configuredLogger } from '../../src/logger';

/**
 * The hub with access control switched off, for `bench:access` only: the baseline that prices
 * authentication, agreements, masking, row scopes and the audit. Not reachable from `npm start`.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = configuredLogger(config);
  const db = await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  const hub = await startHub(config, logger, db, { accessControl: false });
  process.stdout.write(`Xietong hub (NO access control, benchmark baseline) ready: GraphQL at ${hub.graphqlUrl}\n`);
  process.once('SIGTERM', () => {
    void hub
      .close()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
