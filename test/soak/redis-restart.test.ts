import fs from 'node:fs';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { JOB_OPTIONS } from '../../src/sync/job-options';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf, type SyncJobData } from '../../src/sync/sync-job';
import { startNodeProcess, type NodeProcess } from '../support/node-process';
import { privateRedisDir, redisServerAvailable, REDIS_SERVER, startPrivateRedis, type PrivateRedis } from '../support/private-redis';
import { freePort } from '../support/eventually';
import { freshDatabaseUrl } from '../support/test-database';

const config = loadConfig({});
const world = generateWorld({ seed: 1602, size: 0.01 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The transport streams and the world's records each one carries into its table. */
const TABLES = {
  vehicles: { table: 'vehicle', records: world.vehicles },
  licences: { table: 'operator_licence', records: world.licences },
  enforcementCases: { table: 'enforcement_case', records: world.enforcementCases },
  practitioners: { table: 'practitioner', records: world.practitioners },
  weighings: { table: 'weighing', records: world.weighings },
} as const;

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}

// A Redis restart while a worker runs sync jobs on Redis queues: a private redis-server (the
// machine's is shared with other test runs), persisting every write as a deployment's must.
const describeWithRedis = redisServerAvailable() ? describe : describe.skip;
if (!redisServerAvailable()) process.stderr.write(`redis-restart.test.ts skipped: no ${REDIS_SERVER} to run a private Redis that may be restarted\n`);

describeWithRedis('a Redis restart under a worker running sync jobs', () => {
  const databaseUrl = freshDatabaseUrl('redis_restart');
  const prefix = `xt_rdr_${process.pid}`;
  const redisDir = privateRedisDir(config.dataDir, String(process.pid));
  let redis: PrivateRedis;
  let transport: TransportSimulator;
  let worker: NodeProcess;
  let pool: Pool;

  beforeAll(async () => {
    redis = await startPrivateRedis(redisDir, await freePort());
    // Slow pages: the restart comes while runs are mid-stream.
    transport = await startTransportSimulator(world, { maxPageSize: 20, faults: { delayMs: 300 } });
    worker = startNodeProcess('src/worker.js', ['--schedule'], {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      XIETONG_DATA_DIR: config.dataDir,
      SYNC_INTERVAL_SECONDS: '5',
      TRANSPORT_API_URL: transport.url,
      TRANSPORT_API_TOKEN: transport.token,
    });
    await worker.waitForOutput(/sync workers running/, 120);
    pool = new Pool({ connectionString: databaseUrl, max: 2 });
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await pool?.end();
    await transport?.close();
    await redis?.stop();
    fs.rmSync(redisDir, { recursive: true, force: true });
    await dropDatabase(databaseUrl);
  }, 60_000);

  it('loses no job and runs none twice: each queued FULL run happens once, the tables equal the source, nothing left RUNNING', async () => {
    // One FULL run per stream, queued as an operator would; only these jobs make FULL runs here
    // (transport reports its deletions: it has no nightly reconciliation).
    const queue = queueBackend({ redisUrl: redis.url }, databaseUrl, prefix).createQueue<SyncJobData>(queueNameOf(SourceSystem.TRANSPORT));
    queue.on('error', () => undefined);
    for (const stream of Object.keys(TABLES)) {
      await queue.add('sync', { system: SourceSystem.TRANSPORT, stream, mode: 'FULL' }, { ...JOB_OPTIONS, jobId: `full-${stream}` });
    }
    await queue.close();
    const midRun = await waitFor(async () => (await pool.query(`select 1 from sync_run where status = 'RUNNING' and batches > 0`)).rowCount! > 0, 60);

    await redis.stop();
    await sleep(3000);
    await redis.start();
    const back = new Date();
    transport.setFaults({});

    const settled = async () => {
      const { rows } = await pool.query<{ stream: string; full: number; running: number; after: number }>(
        `select stream, count(*) filter (where mode = 'FULL' and status = 'SUCCEEDED')::int as full,
           count(*) filter (where status = 'RUNNING')::int as running,
           count(*) filter (where status = 'SUCCEEDED' and started_at > $1)::int as after
         from sync_run group by stream`,
        [back],
      );
      return rows.length === 5 && rows.every((r) => r.full >= 1 && r.running === 0 && r.after >= 1);
    };
    expect(await waitFor(settled, 120)).toBe(true);
    expect(worker.child.exitCode).toBeNull();
    expect(midRun).toBe(true);

    const { rows: full } = await pool.query<{ stream: string; n: number }>(
      `select stream, count(*)::int as n from sync_run where mode = 'FULL' and status = 'SUCCEEDED' group by stream order by stream`,
    );
    expect(full).toEqual(
      Object.keys(TABLES)
        .sort()
        .map((stream) => ({ stream, n: 1 })),
    );
    // No two runs of one stream at once: a job taken twice would overlap its own retry.
    const { rows: overlaps } = await pool.query(
      `select a.id, b.id from sync_run a join sync_run b on a.stream = b.stream and a.id < b.id
         and tstzrange(a.started_at, coalesce(a.finished_at, 'infinity')) && tstzrange(b.started_at, coalesce(b.finished_at, 'infinity'))`,
    );
    expect(overlaps).toEqual([]);
    for (const { table, records } of Object.values(TABLES)) {
      const { rows } = await pool.query<{ h: string }>(`select provenance_content_hash as h from ${table} where deleted_at is null`);
      expect({ table, hashes: rows.map((r) => r.h).sort() }).toEqual({ table, hashes: records.map((r) => contentHash(r)).sort() });
    }
  }, 240_000);
});
