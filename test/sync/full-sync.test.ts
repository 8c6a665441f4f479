import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { announceWorld, testLogger } from '../support/test-logger';
import { knownStreams } from '../../src/sync/stream-tables';
import { startSyncRuntime, type SyncRuntime } from '../../src/sync/sync-runtime';
import { startExchangeSimulator, type ExchangeSimulator } from '../../src/demo/upstream/exchange-simulator';
import { startCreditSimulator, type CreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { startRegistrySimulator, type RegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const world = generateWorld({ seed: 91, size: 0.01 });
const captures = [...world.captures()].flat();

/** Every record table and the world's records it must equal. */
const TABLES: Record<string, ReadonlyArray<object>> = {
  enterprise: world.enterprises,
  abnormal_operation: world.abnormalOperations,
  operator_licence: world.licences,
  vehicle: world.vehicles,
  practitioner: world.practitioners,
  enforcement_case: world.enforcementCases,
  weighing: world.weighings,
  credit_rating: world.creditRatings,
  credit_list_entry: world.creditListEntries,
  checkpoint: world.checkpoints,
};
const captureKey = (c: {
  checkpointCode: string;
  plateNumber: string;
  plateColor: string;
  capturedAt: string | Date;
  direction: string;
  lane: number;
  speedKmh: number;
  imageRef: string;
}) => [c.checkpointCode, c.plateNumber, c.plateColor, new Date(c.capturedAt).toISOString(), c.direction, c.lane, c.speedKmh, c.imageRef].join('|');

describe.each(kinds)('a full sync of all four systems through the workers on %s', (kind) => {
  let db: Database;
  let simulators: [TransportSimulator, RegistrySimulator, CreditSimulator, ExchangeSimulator];
  let runtime: SyncRuntime;

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`fullsync_${kind}`) }), entityModelOf(HUB_DOMAINS));
    simulators = [
      await startTransportSimulator(world),
      await startRegistrySimulator(world),
      await startCreditSimulator(world),
      await startExchangeSimulator(world, db.url),
    ];
    await simulators[3].writeCaptures(captures);
    const [transport, registry, credit] = simulators;
    const config = {
      ...loadConfig({ DATABASE_URL: db.url, QUEUE_PREFIX: `xt_full_${kind}_${process.pid}`, ...(kind === 'redis' ? { REDIS_URL: redisUrl! } : {}) }),
      upstream: {
        transport: { url: transport.url, token: transport.token },
        registry: { url: registry.url },
        credit: { url: credit.url, apiKey: credit.apiKey },
        exchange: { databaseUrl: db.url },
      },
    };
    // Runs and batches are logged at debug to the run log, which the end of the run scans for the world's personal data.
    announceWorld(world.options);
    runtime = await startSyncRuntime(config, db, testLogger().logger, { schedule: false });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    for (const simulator of simulators ?? []) await simulator.close();
    await db?.close();
    await dropDatabase(db.url);
  });

  it('leaves every table equal to the source: counts and content hashes per entity type, captures row for row', async () => {
    let n = 0;
    for (const { system, streams } of knownStreams()) {
      for (const stream of streams) {
        await runtime.queues.get(system as SourceSystem)!.add('sync', { system: system as SourceSystem, stream, mode: 'FULL' }, { jobId: `full-${++n}` });
      }
    }
    const done = async () =>
      (await db.pool.query<{ n: number }>(`select count(distinct system || stream)::int as n from sync_run where status = 'SUCCEEDED'`)).rows[0].n;
    for (let i = 0; i < 240 && (await done()) < n; i++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await done()).toBe(n);
    for (const [table, records] of Object.entries(TABLES)) {
      const { rows } = await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${table} where deleted_at is null`);
      expect({ table, hashes: rows.map((r) => r.h).sort() }).toEqual({ table, hashes: records.map((r) => contentHash(r)).sort() });
    }
    const { rows } = await db.pool.query(`select checkpoint_code as "checkpointCode", plate_number as "plateNumber", plate_color as "plateColor",
      captured_at as "capturedAt", direction, lane, speed_kmh as "speedKmh", image_ref as "imageRef" from checkpoint_capture`);
    expect(rows.length).toBe(captures.length);
    expect(rows.map(captureKey).sort()).toEqual(captures.map(captureKey).sort());
  }, 90_000);
});
