import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf, syncJobProcessor, type SyncJobData } from '../../src/sync/sync-job';
import type { RunSummary } from '../../src/sync/run-stream';
import { TransportConnector, TRANSPORT_STREAMS } from '../../connectors/transport';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const world = generateWorld({ seed: 11, size: 0.01 });
const TABLE = {
  licences: 'operator_licence',
  vehicles: 'vehicle',
  practitioners: 'practitioner',
  enforcementCases: 'enforcement_case',
  weighings: 'weighing',
} as const;
const WORLD = {
  licences: world.licences,
  vehicles: world.vehicles,
  practitioners: world.practitioners,
  enforcementCases: world.enforcementCases,
  weighings: world.weighings,
};

describe.each(kinds)('transport system sync through BullMQ on %s', (kind) => {
  let db: Database;
  let simulator: TransportSimulator;
  let run: (streams: string[]) => Promise<RunSummary[]>;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`tsync_${kind}`) }), entityModelOf(HUB_DOMAINS));
    simulator = await startTransportSimulator(world);
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize: 40 });
    const backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, db.url, `xt_tsync_${process.pid}`);
    const queue = backend.createQueue<SyncJobData>(queueNameOf(SourceSystem.TRANSPORT));
    const worker = backend.createWorker(queueNameOf(SourceSystem.TRANSPORT), syncJobProcessor(db.pool, connector), 2);
    let n = 0;
    run = async (streams) => {
      const jobs = await Promise.all(
        streams.map((stream) => queue.add('sync', { system: SourceSystem.TRANSPORT, stream, mode: 'INCREMENTAL' }, { jobId: `${stream}-${++n}` })),
      );
      return Promise.all(
        jobs.map(
          (job) =>
            new Promise<RunSummary>((resolve, reject) => {
              const done = (j: { id?: string; returnvalue?: RunSummary }) => {
                if (j.id === job.id) {
                  worker.off('completed', done);
                  resolve(j.returnvalue as RunSummary);
                }
              };
              const failed = (j: { id?: string } | undefined, e: Error) => {
                if (j?.id === job.id) reject(e);
              };
              worker.on('completed', done as never);
              worker.on('failed', failed as never);
            }),
        ),
      );
    };
    stop = async () => {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    };
  }, 60_000);

  afterAll(async () => {
    await stop?.();
    await simulator?.close();
    await db?.close();
    await dropDatabase(db.url);
  });

  it('a full first sync makes every table equal to the source, content hash for content hash', async () => {
    const streams = Object.keys(TRANSPORT_STREAMS);
    const summaries = await run(streams);
    expect(summaries.every((s) => s.status === 'SUCCEEDED' && s.quarantined === 0)).toBe(true);
    for (const stream of streams as Array<keyof typeof TABLE>) {
      const { rows } = await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${TABLE[stream]} where deleted_at is null`);
      expect(rows.map((r) => r.h).sort()).toEqual(WORLD[stream].map((r) => contentHash(r)).sort());
    }
  }, 60_000);

  it('an incremental sync applies updates and deletions, and nothing else', async () => {
    const vehicle = simulator.records('vehicles')[0];
    const practitioner = simulator.records('practitioners')[0];
    simulator.update('vehicles', vehicle.id, { axleCount: 6 }, '2026-11-05T09:00:00+08:00');
    simulator.remove('practitioners', practitioner.id, '2026-11-05T09:00:00+08:00');
    const [vehicles, practitioners] = await run(['vehicles', 'practitioners']);
    expect(vehicles).toMatchObject({ status: 'SUCCEEDED', updated: 1, inserted: 0 });
    expect(practitioners).toMatchObject({ status: 'SUCCEEDED', deleted: 1, inserted: 0, updated: 0 });
    const { rows } = await db.pool.query('select axle_count from vehicle where plate_number = $1', [vehicle.plateNumber]);
    expect(rows[0].axle_count).toBe(6);
    const gone = await db.pool.query('select deleted_at from practitioner where id_number = $1', [practitioner.id]);
    expect(gone.rows[0].deleted_at).not.toBeNull();
    const history = await db.pool.query(`select status, count(*)::int as n from sync_run group by status`);
    expect(history.rows).toEqual([{ status: 'SUCCEEDED', n: 7 }]);
  }, 60_000);
});
