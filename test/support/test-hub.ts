import { loadConfig } from '../../src/config';
import { startHub, type Hub, type HubOptions } from '../../src/app';
import { openDatabase } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld, type LoadOptions } from '../../src/demo/load-world';
import { generateWorld, type World } from '../../src/demo/world';
import { ownerPool } from './owner-pool';
import { freshDatabaseUrl } from './test-database';
import { mintDevToken, type DevTokenRequest } from '../../src/auth';
import { loadAgencies } from '../../src/access/agreements';
import { setDefaultCaller } from './graphql-client';
import { announceWorld, testLogger, type LoggedEntry } from './test-logger';
import type { Logger } from '../../src/logger';

/** A transport officer whose divisions cover the four provinces' registrations in the world. */
export const ALL_SEEING_OFFICER: TestCaller = {
  agency: 'suzhou-transport',
  roles: ['officer'],
  divisions: ['31', '32', '33', '34'],
  purpose: 'case-investigation',
};

/** The hub's reads of the tables the read gateway does not own (audit trail, sync state), as a request makes them. */
export const bookkeepingOf = (hub: Hub) => hub.reads.forRequest({}).bookkeeping;

export interface TestHub {
  hub: Hub;
  world: World;
  /** The hub's logger (debug and up to the run log, see test-logger.ts): for workers a test starts beside it. */
  logger: Logger;
  /** Errors the hub logged, so tests can assert nothing was masked unexpectedly. */
  logged: LoggedEntry[];
  /** Every line the hub logged. */
  lines: string[];
  /** Headers for a request as `caller` (a development token, reusable; purpose and case if given). */
  headersAs(caller: TestCaller): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface TestCaller extends DevTokenRequest {
  purpose?: string;
  caseNumber?: string;
  /** `ALL_PLATES`: the case reaches every plate's captures (police investigations only). */
  caseScope?: string;
  /** The agreement to be judged under, when several could apply. */
  agreement?: string;
}

/**
 * A real hub on a free port, over its own fresh database loaded with a small synthetic world.
 * It logs at debug to the run log, which the end of the run scans for the world's personal data.
 */
export async function startTestHub(
  label: string,
  options: {
    size?: number;
    seed?: number;
    captureFilter?: LoadOptions['captureFilter'];
    hub?: HubOptions;
    env?: Record<string, string>;
    /** The PostgreSQL server to create the database on (default: the tests' server). */
    server?: string;
    /** A streaming replica of `server`: the hub's `DATABASE_READ_URL` is the same database there. */
    replicaServer?: string;
  } = {},
): Promise<TestHub> {
  const databaseUrl = freshDatabaseUrl(label, options.server);
  const replica = options.replicaServer ? new URL(options.replicaServer) : null;
  if (replica) replica.pathname = new URL(databaseUrl).pathname;
  // `env`: further configuration, as the variables a deployment would set.
  const config = {
    ...loadConfig({ ...options.env, DATABASE_URL: databaseUrl, ...(replica ? { DATABASE_READ_URL: replica.toString() } : {}), PORT: '0', LOG_LEVEL: 'error' }),
  };
  const { logger, logged, lines } = testLogger();
  const db = await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  const world = generateWorld({ seed: options.seed ?? 7, size: options.size ?? 0.01 });
  announceWorld(world.options);
  await loadWorld(db.pool, world, { captureFilter: options.captureFilter });
  // List prices read the table statistics at start: analysed now, they are the world's, not
  // whatever the statistics collector had flushed by then (which varies with the machine's load).
  const owner = ownerPool(databaseUrl);
  await owner.query('analyze');
  await owner.end();
  const hub = await startHub(config, logger, db, options.hub);
  const agencies = loadAgencies(config.agreementsFile);
  const headersAs = async ({ purpose, caseNumber, caseScope, agreement, ...token }: TestCaller) => ({
    authorization: `Bearer ${await mintDevToken(config.dataDir, agencies, token)}`,
    ...(purpose ? { 'x-purpose': purpose } : {}),
    ...(caseNumber ? { 'x-case-number': encodeURIComponent(caseNumber) } : {}),
    ...(caseScope ? { 'x-case-scope': caseScope } : {}),
    ...(agreement ? { 'x-agreement': agreement } : {}),
  });
  // Tests of the API's behaviour (not of access control) call as a transport-bureau officer whose
  // divisions cover every vehicle of the world, with a purpose and an open case of the world.
  const openCase = world.enforcementCases.find((c) => c.status !== 'CLOSED');
  setDefaultCaller(hub.graphqlUrl, () => headersAs({ ...ALL_SEEING_OFFICER, caseNumber: openCase?.caseNumber }));
  return {
    hub,
    world,
    logger,
    logged,
    lines,
    headersAs,
    async close() {
      await hub.close();
      await db.close();
      await dropDatabase(databaseUrl);
    },
  };
}
