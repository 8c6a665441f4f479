import type http from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';
import type { HubConfig } from '../config';
import type { Logger } from '../logger';
import type { LiveEvent, LiveTopic } from '../read-kit/live-event';
import type { Viewer } from '../read-kit/request-context';
import { PgEventBus, RedisEventBus, type EventBus } from './event-bus';
import { startLiveServer, type LiveExecute } from './live-server';
import { OutboxRelay } from './outbox-relay';
import { PgListener } from './pg-listener';

export interface LiveOptions {
  config: HubConfig;
  pool: Pool;
  databaseUrl: string;
  server: http.Server;
  schema: GraphQLSchema;
  topics: readonly LiveTopic[];
  authenticate(authorization: string | undefined): Promise<Viewer>;
  execute: LiveExecute;
  maxTokens: number;
  maxPayloadBytes: number;
  logger: Logger;
}

/** Published outbox events after an id or since a time, in id order: what a bus lost while its connection was down. */
export const outboxReplay =
  (pool: Pool) =>
  async (afterId: string | null, since: Date): Promise<LiveEvent[]> =>
    (
      await pool.query<LiveEvent>(
        `select id::text, kind, division, payload from hub_event
         where published_at is not null and (id > $1::bigint or published_at >= $2) order by id`,
        // Before anything was heard, only the window around the loss (not the whole retention).
        [afterId ?? '9223372036854775807', since],
      )
    ).rows;

/**
 * Live alerts of one hub instance: the outbox relay (publishing `hub_event` rows on the bus),
 * the bus (Redis pub/sub when `REDIS_URL` is set, like the queues; else PostgreSQL NOTIFY) and the
 * WebSocket subscriptions it feeds. Every instance relays and every instance hears every event,
 * so a subscriber on any instance hears of a capture committed by any worker.
 */
export async function startLive(options: LiveOptions): Promise<{ bus: EventBus['name']; close(): Promise<void> }> {
  const { config, logger } = options;
  const listener = new PgListener(options.databaseUrl, logger);
  listener.onReconnected(() => relay.wake());
  const bus: EventBus = config.redisUrl ? new RedisEventBus(config.redisUrl, config.queuePrefix) : new PgEventBus(listener);
  const relay = new OutboxRelay(options.pool, bus, listener, { pollMs: config.live.relayPollMs, retentionHours: config.live.retentionHours, logger });
  await listener.start();
  const server = await startLiveServer({
    server: options.server,
    path: '/graphql',
    schema: options.schema,
    topics: options.topics,
    bus,
    authenticate: options.authenticate,
    execute: options.execute,
    replay: outboxReplay(options.pool),
    settings: config.live,
    maxTokens: options.maxTokens,
    maxPayloadBytes: options.maxPayloadBytes,
    logger,
  });
  await relay.start();
  return {
    bus: bus.name,
    async close() {
      await server.close();
      await relay.close();
      await bus.close();
      await listener.close();
    },
  };
}
