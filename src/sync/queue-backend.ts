import { createPostgresBackend, createRedisBackend, withBackend, type Processor, type Queue, type Worker } from 'bullmq';
import type { HubConfig } from '../config';

/** Where the sync queues live: Redis when configured, else the hub's own PostgreSQL. */
export type QueueBackendKind = 'redis' | 'postgres';

/**
 * Queue and worker construction bound to one backend. Both backends run the same sync code;
 * the conformance tests run every queue test on each.
 */
export interface QueueBackend {
  kind: QueueBackendKind;
  createQueue<D>(name: string): Queue<D>;
  createWorker<D, R>(name: string, processor: Processor<D, R>, concurrency?: number): Worker<D, R>;
}

/** Redis options BullMQ needs for workers: blocking commands must not be retried by the client. */
function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * The backend for a configuration: `REDIS_URL` set → Redis; unset → PostgreSQL at `databaseUrl`
 * (the hub's own database, queue tables in their own schema, created by BullMQ's migrations).
 * `prefix` keeps one test's (or one deployment's) queues apart from another's.
 */
export function queueBackend(
  config: Pick<HubConfig, 'redisUrl'> & Partial<Pick<HubConfig, 'queuePrefix'>>,
  databaseUrl: string,
  prefix = config.queuePrefix ?? 'xietong',
): QueueBackend {
  if (config.redisUrl) {
    const { Queue, Worker } = withBackend(createRedisBackend);
    const connection = redisConnection(config.redisUrl);
    return {
      kind: 'redis',
      createQueue: <D>(name: string) => new Queue<D>(name, { connection, prefix }) as unknown as Queue<D>,
      createWorker: <D, R>(name: string, processor: Processor<D, R>, concurrency = 1) =>
        new Worker<D, R>(name, processor, { connection, prefix, concurrency }) as unknown as Worker<D, R>,
    };
  }
  const { Queue, Worker } = withBackend(createPostgresBackend);
  const connection = { connectionString: databaseUrl, schema: prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase(), migrate: true };
  return {
    kind: 'postgres',
    createQueue: <D>(name: string) => new Queue<D>(name, { connection }) as unknown as Queue<D>,
    createWorker: <D, R>(name: string, processor: Processor<D, R>, concurrency = 1) =>
      new Worker<D, R>(name, processor, { connection, concurrency }) as unknown as Worker<D, R>,
  };
}
