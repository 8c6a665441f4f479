import 'reflect-metadata';
import type { Queue } from 'bullmq';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { ConfigError, loadConfig } from '../config';
import { openHubDatabase } from '../hub-database';
import { configuredLogger } from '../logger';
import { queueBackend } from '../sync/queue-backend';
import { queueNameOf, type SyncJobData } from '../sync/sync-job';
import { connectorsFromConfig } from '../sync/connector-registry';
import { registerSchedules } from '../sync/sync-runtime';

/** `npm run sync:schedules`: registers the sync schedules of the configured systems, once per deployment. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openHubDatabase(config, configuredLogger(config));
  const backend = queueBackend(config, db.url);
  const connectors = connectorsFromConfig(config);
  // Every system's queue, so the schedules of a system no longer configured are removed too.
  const queues = new Map<SourceSystem, Queue<SyncJobData>>(
    Object.values(SourceSystem).map((system) => [system, backend.createQueue<SyncJobData>(queueNameOf(system))]),
  );
  try {
    const { incremental, reconciliations } = await registerSchedules(queues, connectors, config.syncIntervalSeconds);
    process.stdout.write(
      `registered ${incremental} stream schedules every ${config.syncIntervalSeconds} s and ${reconciliations} nightly reconciliations (03:00 Asia/Shanghai)\n`,
    );
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close()));
    for (const connector of connectors.values()) await connector.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? '' : 'sync:schedules failed: '}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
