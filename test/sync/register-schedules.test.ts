import type { Queue } from 'bullmq';
import type { Connector } from '../../connectors/contract';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { dropDatabase, ensureDatabase } from '../../src/db/ensure-database';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf, type SyncJobData } from '../../src/sync/sync-job';
import { registerSchedules } from '../../src/sync/sync-runtime';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const databaseUrl = freshDatabaseUrl('register_schedules');

beforeAll(() => ensureDatabase(databaseUrl));
afterAll(() => dropDatabase(databaseUrl));

/** Only what registration reads of a connector: its streams and whether it reports deletions. */
const transport = { system: SourceSystem.TRANSPORT, streams: ['vehicles', 'licences', 'weighings'], reportsDeletions: true } as unknown as Connector;
const registry = { system: SourceSystem.MARKET_REGISTRY, streams: ['enterprises'], reportsDeletions: false } as unknown as Connector;

// Eight registrations at once, each with queues of its own as separate instances would hold: on the
// PostgreSQL queues an unserialised upsert left two next jobs for one scheduler.
describe.each(kinds)('schedules registered eight times at once on the %s queues', (kind) => {
  it('leave one scheduler per stream, each with one next job', async () => {
    const prefix = `xt_reg_${kind}_${process.pid}`;
    const backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, databaseUrl, prefix);
    const connectors = new Map([
      [SourceSystem.TRANSPORT, transport],
      [SourceSystem.MARKET_REGISTRY, registry],
    ]);
    const instances = Array.from(
      { length: 8 },
      () => new Map([...connectors.keys()].map((system) => [system, backend.createQueue<SyncJobData>(queueNameOf(system))])),
    );
    const all: Queue[] = instances.flatMap((queues) => [...queues.values()]);
    for (const queue of all) queue.on('error', () => undefined);
    try {
      await Promise.all(instances.map((queues) => registerSchedules(databaseUrl, queues, connectors, 3600)));
      const check = instances[0];
      for (const [system, queue] of check) {
        const keys = (await queue.getJobSchedulers()).map((s) => s.key).sort();
        expect(keys).toEqual(
          system === SourceSystem.TRANSPORT
            ? ['TRANSPORT:licences', 'TRANSPORT:vehicles', 'TRANSPORT:weighings']
            : ['MARKET_REGISTRY:enterprises', 'MARKET_REGISTRY:enterprises:reconcile'],
        );
        const perScheduler = new Map<string, number>();
        for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
          if (job.repeatJobKey) perScheduler.set(job.repeatJobKey, (perScheduler.get(job.repeatJobKey) ?? 0) + 1);
        }
        expect(Object.fromEntries(perScheduler)).toEqual(Object.fromEntries(keys.map((key) => [key, 1])));
      }
    } finally {
      await instances[0].get(SourceSystem.TRANSPORT)?.obliterate({ force: true });
      await instances[0].get(SourceSystem.MARKET_REGISTRY)?.obliterate({ force: true });
      await Promise.all(all.map((queue) => queue.close()));
    }
  }, 60_000);
});
