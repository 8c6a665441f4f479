import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf, type SyncJobData } from '../../src/sync/sync-job';
import { createSyncWorker } from '../../src/sync/sync-worker';
import { TRANSPORT_STREAMS, TransportConnector } from '../../connectors/transport';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { hubRecordId } from '../../connectors/transport/transport-mapping';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const world = generateWorld({ seed: 41, size: 0.01 });

describe.each(kinds)('sync under source faults, on %s', (kind) => {
  let db: Database;
  let simulator: TransportSimulator;

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`faults_${kind}`) }), entityModelOf(HUB_DOMAINS));
    simulator = await startTransportSimulator(world);
  });
  afterAll(async () => {
    await simulator?.close();
    await db?.close();
    await dropDatabase(db.url);
  });

  /** Runs one sync job of a transport stream through a worker on this backend; resolves with its attempts once it completes. */
  async function runJob(stream: string, pageSize: number, attempts: number): Promise<number> {
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize });
    const backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, db.url, `xt_faults_${stream}_${process.pid}`);
    const queue = backend.createQueue<SyncJobData>(queueNameOf(SourceSystem.TRANSPORT));
    const worker = createSyncWorker(backend, SourceSystem.TRANSPORT, db.pool, connector);
    try {
      const job = await queue.add(
        'sync',
        { system: SourceSystem.TRANSPORT, stream, mode: 'INCREMENTAL' },
        { jobId: `faults-${stream}-${kind}`, attempts, backoff: { type: 'fixed', delay: 20 } },
      );
      return await new Promise<number>((resolve, reject) => {
        worker.on('completed', (j) => {
          if (j?.id === job.id) resolve(j.attemptsMade);
        });
        worker.on('failed', (j, e) => {
          if (j && j.id === job.id && j.attemptsMade >= attempts) reject(e);
        });
      });
    } finally {
      simulator.setFaults({});
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }

  it('converges to the source despite 500s, 429s, repeated rows and malformed records', async () => {
    const malformed = simulator
      .records('vehicles')
      .slice(3, 5)
      .map((r) => r.id);
    simulator.setFaults({ serverErrorEvery: 4, rateLimitEvery: 7, retryAfterSeconds: 1, repeatAcrossPages: true, malformed });
    const attempts = await runJob('vehicles', 25, 30);
    const expected = world.vehicles.filter((v) => !malformed.includes(TRANSPORT_STREAMS.vehicles(v as never)));
    const { rows } = await db.pool.query<{ h: string }>('select provenance_content_hash as h from vehicle where deleted_at is null');
    expect(rows.map((r) => r.h).sort()).toEqual(expected.map((v) => contentHash(v)).sort());
    expect(rows).toHaveLength(world.vehicles.length - 2);
    const quarantined = await db.pool.query<{ source_id: string; reasons: string[] }>(
      `select source_id, reasons from quarantined_record where stream = 'vehicles'`,
    );
    // Quarantined under the hub's key for the record (`plate|YELLOW`), not the source's (`plate|2`).
    expect(new Set(quarantined.rows.map((r) => r.source_id))).toEqual(new Set(malformed.map((id) => hubRecordId('vehicles', id))));
    expect(quarantined.rows[0].reasons.join(' ')).toMatch(/unknown plate colour code 77/);
    expect(simulator.served.serverErrors).toBeGreaterThan(0);
    expect(simulator.served.rateLimited).toBeGreaterThan(0);
    // 500s are tried again within the request; 429s delay the job (see the next test).
    expect(attempts).toBeLessThanOrEqual(simulator.served.serverErrors + 1);
  }, 120_000);

  it('a 429 delays the stream without spending an attempt: a job allowed two attempts rides out many 429s', async () => {
    simulator.setFaults({ rateLimitEvery: 2, retryAfterSeconds: 1 });
    const limitedBefore = simulator.served.rateLimited;
    await runJob('practitioners', 40, 2);
    expect(simulator.served.rateLimited - limitedBefore).toBeGreaterThanOrEqual(3);
    const { rows } = await db.pool.query<{ h: string }>('select provenance_content_hash as h from practitioner where deleted_at is null');
    expect(rows.map((r) => r.h).sort()).toEqual(world.practitioners.map((p) => contentHash(p)).sort());
  }, 120_000);
});
