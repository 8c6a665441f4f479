import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf, type SyncJobData } from '../../src/sync/sync-job';
import { createSyncWorker } from '../../src/sync/sync-worker';
import type { Connector } from '../../connectors/contract';
import { CreditConnector } from '../../connectors/credit-platform';
import { startCreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { RegistryConnector } from '../../connectors/market-registry';
import { startRegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import type { HttpFaults, ServedCounts } from '../../src/demo/upstream/http-faults';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const world = generateWorld({ seed: 71, size: 0.01 });

interface Case {
  system: SourceSystem;
  stream: string;
  table: string;
  records: ReadonlyArray<object>;
  start(): Promise<{ connector: Connector; setFaults(f: HttpFaults): void; served: ServedCounts; close(): Promise<void> }>;
}

const CASES: Case[] = [
  {
    system: SourceSystem.MARKET_REGISTRY,
    stream: 'enterprises',
    table: 'enterprise',
    records: world.enterprises,
    async start() {
      const s = await startRegistrySimulator(world);
      return { connector: new RegistryConnector({ baseUrl: s.url, pageSize: 10 }), setFaults: s.setFaults, served: s.served, close: s.close };
    },
  },
  {
    system: SourceSystem.CREDIT_PLATFORM,
    stream: 'ratings',
    table: 'credit_rating',
    records: world.creditRatings,
    async start() {
      const s = await startCreditSimulator(world);
      return { connector: new CreditConnector({ baseUrl: s.url, apiKey: s.apiKey, pageSize: 10 }), setFaults: s.setFaults, served: s.served, close: s.close };
    },
  },
];

describe.each(kinds)('registry and credit sync converge under 500s and 429s, on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`httpfaults_${kind}`) }), entityModelOf(HUB_DOMAINS));
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(db.url);
  });

  it.each(CASES.map((c) => [c.system, c] as const))(
    '%s',
    async (_system, c) => {
      const source = await c.start();
      // A short outage, every third request a 500 (each retried within the request, so a read that
      // must start over after a failure still gets through), and a 429 now and then, which delays the job.
      source.setFaults({ outage: 2, serverErrorEvery: 3, rateLimitEvery: 4, retryAfterSeconds: 1 });
      const backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, db.url, `xt_httpf_${kind}_${process.pid}`);
      const queue = backend.createQueue<SyncJobData>(queueNameOf(c.system));
      const worker = createSyncWorker(backend, c.system, db.pool, source.connector);
      try {
        const job = await queue.add(
          'sync',
          { system: c.system, stream: c.stream, mode: 'INCREMENTAL' },
          { jobId: `httpf-${c.stream}`, attempts: 30, backoff: { type: 'fixed', delay: 20 } },
        );
        await new Promise<void>((resolve, reject) => {
          worker.on('completed', (j) => {
            if (j?.id === job.id) resolve();
          });
          worker.on('failed', (j, e) => {
            if (j && j.id === job.id && j.attemptsMade >= 30) reject(e);
          });
        });
        const { rows } = await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${c.table} where deleted_at is null`);
        expect(rows.map((r) => r.h).sort()).toEqual(c.records.map((r) => contentHash(r)).sort());
        expect(source.served.serverErrors).toBeGreaterThan(0);
        expect(source.served.rateLimited).toBeGreaterThan(0);
      } finally {
        source.setFaults({});
        await worker.close();
        await queue.obliterate({ force: true });
        await queue.close();
        await source.close();
      }
    },
    120_000,
  );
});
