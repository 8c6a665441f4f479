import fs from 'node:fs';
import { loadConfig } from '../../src/config';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { dropDatabase } from '../../src/db/ensure-database';
import { startRegistrySimulator, type RegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf } from '../../src/sync/sync-job';
import { startNodeProcess } from '../support/node-process';
import { privateRedisDir, redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../support/private-redis';
import { freePort } from '../support/eventually';
import { runXietong } from '../support/run-xietong';
import { freshDatabaseUrl } from '../support/test-database';

const config = loadConfig({});
const world = generateWorld({ seed: 1604, size: 0.01 });

/** One scheduler per transport stream; the registry reports no deletions, so its record streams also get a nightly reconciliation. */
const EXPECTED = {
  [SourceSystem.TRANSPORT]: ['TRANSPORT:enforcementCases', 'TRANSPORT:licences', 'TRANSPORT:practitioners', 'TRANSPORT:vehicles', 'TRANSPORT:weighings'],
  [SourceSystem.MARKET_REGISTRY]: [
    'MARKET_REGISTRY:abnormalOperations',
    'MARKET_REGISTRY:abnormalOperations:reconcile',
    'MARKET_REGISTRY:enterprises',
    'MARKET_REGISTRY:enterprises:reconcile',
  ],
};

// Instances of a deployment start together: two workers that register schedules (--schedule) and
// two `xietong sync schedules` deployment steps, all at once, on each queue backend. BullMQ's job
// schedulers are keyed by system and stream, so the registrations replace each other.
describe('schedules registered by several instances starting together', () => {
  let transport: TransportSimulator;
  let registry: RegistrySimulator;
  let privateRedis: PrivateRedis | null = null;
  const redisDir = privateRedisDir(config.dataDir, `sched-${process.pid}`);

  beforeAll(async () => {
    transport = await startTransportSimulator(world);
    registry = await startRegistrySimulator(world);
    if (!config.redisUrl && redisServerAvailable()) privateRedis = await startPrivateRedis(redisDir, await freePort());
  });

  afterAll(async () => {
    await transport?.close();
    await registry?.close();
    await privateRedis?.stop();
    fs.rmSync(redisDir, { recursive: true, force: true });
  });

  const backends = ['postgres', 'redis'] as const;
  it.each(backends)(
    'on the %s queues: one scheduler per stream, each with one next job',
    async (kind) => {
      const redisUrl = kind === 'redis' ? (config.redisUrl ?? privateRedis?.url ?? null) : null;
      if (kind === 'redis' && !redisUrl) {
        process.stderr.write('schedules-once (redis) skipped: neither REDIS_URL nor /usr/bin/redis-server\n');
        return;
      }
      const databaseUrl = freshDatabaseUrl(`schedules_once_${kind}`);
      const prefix = `xt_once_${kind}_${process.pid}`;
      const env = {
        DATABASE_URL: databaseUrl,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'error',
        NODE_ENV: 'production',
        XIETONG_DATA_DIR: config.dataDir,
        // Long enough that no scheduled job is taken and replaced while the test looks.
        SYNC_INTERVAL_SECONDS: '3600',
        TRANSPORT_API_URL: transport.url,
        TRANSPORT_API_TOKEN: transport.token,
        REGISTRY_API_URL: registry.url,
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      };
      const workers = [startNodeProcess('src/worker.js', ['--schedule'], env), startNodeProcess('src/worker.js', ['--schedule'], env)];
      try {
        const steps = await Promise.all([
          runXietong(['sync', 'schedules', '--json'], env),
          runXietong(['sync', 'schedules', '--json'], env),
          ...workers.map((w) => w.waitForOutput(/sync workers running/, 120)),
        ]);
        for (const step of steps.slice(0, 2)) expect(step).toMatchObject({ code: 0 });
        const backend = queueBackend({ redisUrl }, databaseUrl, prefix);
        for (const [system, keys] of Object.entries(EXPECTED)) {
          const queue = backend.createQueue(queueNameOf(system as SourceSystem));
          queue.on('error', () => undefined);
          try {
            expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(keys);
            // A scheduler registered twice over would have queued a next job for each registration.
            // An iteration that already ran and waits for its retry (its sync failed on this loaded
            // machine: attempts made) is not a next job.
            const pending = (await queue.getJobs(['delayed', 'waiting', 'prioritized'])).filter((job) => job.attemptsMade === 0);
            const perScheduler = new Map<string, number>();
            for (const job of pending) if (job.repeatJobKey) perScheduler.set(job.repeatJobKey, (perScheduler.get(job.repeatJobKey) ?? 0) + 1);
            const twice = [...perScheduler].filter(([, n]) => n > 1).map(([key]) => [key, pending.filter((j) => j.repeatJobKey === key).map((j) => j.id)]);
            expect(twice).toEqual([]);
            // The nightly reconciliations wait for 03:00: exactly one next job each, whoever registered them.
            for (const key of keys.filter((k) => k.endsWith(':reconcile'))) expect([key, perScheduler.get(key)]).toEqual([key, 1]);
          } finally {
            await queue.close();
          }
        }
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
        await dropDatabase(databaseUrl);
      }
    },
    240_000,
  );
});
