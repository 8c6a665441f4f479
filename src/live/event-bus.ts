import { Redis } from 'ioredis';
import type { PoolClient } from 'pg';
import type { LiveEvent } from '../read-kit/live-event';
import type { PgListener } from './pg-listener';

/**
 * Carries outbox events from the relay that published them to every hub instance. Publishing
 * happens inside the relay's claiming transaction; a subscriber may see an event twice (Redis
 * when the commit after a publish fails), never miss one the relay marked published.
 */
export interface EventBus {
  readonly name: 'postgres' | 'redis';
  publish(client: PoolClient, event: LiveEvent): Promise<void>;
  subscribe(handler: (event: LiveEvent) => void): Promise<void>;
  /**
   * Called when the subscribing connection is back after a loss (with when it was lost): what was
   * published meanwhile never arrived, and is to be read from the outbox.
   */
  onResumed(handler: (lostAt: Date) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'xietong_hub_events';

/**
 * PostgreSQL NOTIFY: sent in the relay's transaction, so delivered exactly when it commits (and
 * not at all when it rolls back). Events are small (keys and routing facts), far under NOTIFY's
 * 8000-byte payload limit.
 */
export class PgEventBus implements EventBus {
  readonly name = 'postgres';

  constructor(private readonly listener: PgListener) {}

  async publish(client: PoolClient, event: LiveEvent): Promise<void> {
    await client.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
  }

  async subscribe(handler: (event: LiveEvent) => void): Promise<void> {
    await this.listener.listen(CHANNEL, (payload) => handler(JSON.parse(payload) as LiveEvent));
  }

  onResumed(handler: (lostAt: Date) => void): void {
    this.listener.onReconnected(handler);
  }

  async close(): Promise<void> {}
}

/** Redis pub/sub on `<QUEUE_PREFIX>:hub-events`: one connection publishes, another (in subscriber mode) listens. */
export class RedisEventBus implements EventBus {
  readonly name = 'redis';
  private readonly publisher: Redis;
  private subscriber: Redis | null = null;
  private readonly channel: string;
  private readonly resumed: Array<(lostAt: Date) => void> = [];

  constructor(
    private readonly redisUrl: string,
    prefix: string,
  ) {
    this.channel = `${prefix}:hub-events`;
    this.publisher = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    // ioredis reconnects by itself after a Redis restart, and a publish in between fails on its own
    // promise: the connection's 'error' events (one per attempt) would only print to the console.
    this.publisher.on('error', () => undefined);
  }

  async publish(_client: PoolClient, event: LiveEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  async subscribe(handler: (event: LiveEvent) => void): Promise<void> {
    // Named, so an operator (or a test) can tell the hub's subscriber apart in CLIENT LIST.
    const subscriber = new Redis(this.redisUrl, { connectionName: `${this.channel}:subscriber` });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) handler(JSON.parse(message) as LiveEvent);
    });
    // ioredis reconnects and subscribes again by itself; what was published in between is lost to pub/sub.
    let lostAt: Date | null = null;
    subscriber.on('close', () => (lostAt ??= new Date()));
    subscriber.on('ready', () => {
      if (!lostAt) return;
      const since = lostAt;
      lostAt = null;
      for (const resumed of this.resumed) resumed(since);
    });
    await subscriber.subscribe(this.channel);
  }

  onResumed(handler: (lostAt: Date) => void): void {
    this.resumed.push(handler);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher.disconnect();
  }
}
