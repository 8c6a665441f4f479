import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { loadConfig, type LiveSettings } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { PgEventBus, RedisEventBus, type EventBus } from '../../src/live/event-bus';
import { startLiveServer } from '../../src/live/live-server';
import { outboxReplay } from '../../src/live/live';
import { PgListener } from '../../src/live/pg-listener';
import type { LiveEvent } from '../../src/read-kit/live-event';
import { ownerPool } from '../support/owner-pool';
import { dropDatabase } from '../../src/db/ensure-database';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';

/*
 * An instance whose bus connection drops misses what other instances publish meanwhile; once
 * back it reads those events from the outbox, and each reaches its subscriber exactly once.
 */

const SETTINGS: LiveSettings = {
  relayPollMs: 1000,
  retentionHours: 24,
  queueLimit: 10,
  deliveriesPerSecond: 100,
  authCheckMs: 60_000,
  maxSubscriptionsPerConnection: 2,
  maxConnectionsPerToken: 2,
  maxConnectionsPerAgency: 2,
};

const redisUrl = loadConfig().redisUrl;
const buses = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const kind of buses) {
  describe(`live bus reconnect over ${kind}`, () => {
    const { logger } = testLogger();
    const prefix = `live_replay_${process.pid}`;
    let db: Database;
    let owner: Pool;
    let server: http.Server;
    let listener: PgListener;
    let bus: EventBus;
    let publisher: EventBus;
    let publisherListener: PgListener;
    let live: { close(): Promise<void> };
    let client: Client;
    const received: number[] = [];

    beforeAll(async () => {
      db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`live_replay_${kind}`) }), entityModelOf(HUB_DOMAINS));
      owner = ownerPool(db.url);
      server = http.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      listener = new PgListener(db.url, logger);
      await listener.start();
      publisherListener = new PgListener(db.url, logger);
      await publisherListener.start();
      bus = kind === 'redis' ? new RedisEventBus(redisUrl!, prefix) : new PgEventBus(listener);
      // Another instance's bus, publishing.
      publisher = kind === 'redis' ? new RedisEventBus(redisUrl!, prefix) : new PgEventBus(publisherListener);
      live = await startLiveServer({
        server,
        path: '/graphql',
        schema: buildSchema('type Query { a: Int } type Subscription { ping: Int }'),
        topics: [{ field: 'ping', eventKind: 'ping', accepts: () => true }],
        bus,
        authenticate: async () => ({ agency: 'a', subject: 's', roles: [], divisions: [] }),
        execute: async (_viewer, _request, event) => ({ data: { ping: event ? Number(event.payload.n) : null } }),
        replay: outboxReplay(db.pool),
        settings: SETTINGS,
        maxTokens: 100,
        maxPayloadBytes: 10_000,
        logger,
      });
      client = createClient({
        url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer x' },
        retryAttempts: 0,
      });
      client.subscribe(
        { query: 'subscription { ping }' },
        { next: (value) => received.push((value.data as { ping: number }).ping), error: () => undefined, complete: () => undefined },
      );
      await sleep(500);
    });
    afterAll(async () => {
      await client?.dispose();
      await live?.close();
      await bus?.close();
      await publisher?.close();
      await listener?.close();
      await publisherListener?.close();
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      await owner?.end();
      await db?.close();
      // A database of its own: dropped, or every run leaves one behind on the machine's server.
      if (db) await dropDatabase(db.url);
    });

    /** What another instance's relay does: the outbox row, marked published, and the message on the bus. */
    async function publish(n: number): Promise<void> {
      const c = await owner.connect();
      try {
        const { rows } = await c.query<{ id: string }>(`insert into hub_event (kind, payload, published_at) values ('ping', $1, now()) returning id::text`, [
          { n },
        ]);
        const event: LiveEvent = { id: rows[0].id, kind: 'ping', division: null, payload: { n } };
        await publisher.publish(c, event);
      } finally {
        c.release();
      }
    }

    async function dropSubscriberConnection(): Promise<void> {
      if (kind === 'postgres') {
        const pid = listener.processId;
        await owner.query('select pg_terminate_backend($1)', [pid]);
        // Gone before anything is published (the listener reconnects only 500 ms later).
        while ((await owner.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount) await sleep(10);
        return;
      }
      const admin = new Redis(redisUrl!);
      try {
        const list = String(await admin.client('LIST'));
        const line = list.split('\n').find((l) => l.includes(`name=${prefix}:hub-events:subscriber`));
        const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
        expect(id).toBeDefined();
        await admin.client('KILL', 'ID', id!);
      } finally {
        admin.disconnect();
      }
    }

    it('replays what was published while the connection was down, exactly once', async () => {
      await publish(1);
      await sleep(300);
      expect(received).toEqual([1]);
      await dropSubscriberConnection();
      await publish(2);
      await sleep(2000);
      await publish(3);
      await sleep(500);
      expect(received).toEqual([1, 2, 3]);
    }, 20_000);
  });
}
