import { Client } from 'pg';
import type { Logger } from '../logger';

/**
 * One dedicated PostgreSQL connection that LISTENs on channels (a pooled connection would lose
 * its LISTEN when returned). Reconnects after a loss; `onReconnected` lets its users catch up on
 * what they may have missed meanwhile.
 */
export class PgListener {
  private client: Client | null = null;
  private closed = false;
  private readonly handlers = new Map<string, (payload: string) => void>();
  private readonly reconnected: Array<(lostAt: Date) => void> = [];
  private lostAt: Date | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Called after each reconnection with when the connection was lost: notifications since then never arrived. */
  onReconnected(handler: (lostAt: Date) => void): void {
    this.reconnected.push(handler);
  }

  /** The server process of the listening connection (tests end it to simulate a loss). */
  get processId(): number | null {
    return (this.client as (Client & { processID?: number }) | null)?.processID ?? null;
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    if (this.client) await this.client.query(`listen ${quoteIdentifier(channel)}`);
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => this.handlers.get(message.channel)?.(message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'live event listener lost its connection');
      this.lostAt ??= new Date();
      this.client = null;
      void client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.restart(), 500).unref();
    });
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`listen ${quoteIdentifier(channel)}`);
    this.client = client;
  }

  private async restart(): Promise<void> {
    try {
      await this.start();
      const lostAt = this.lostAt ?? new Date();
      this.lostAt = null;
      for (const handler of this.reconnected) handler(lostAt);
    } catch (error) {
      this.logger.warn({ err: error }, 'live event listener could not reconnect');
      if (!this.closed) setTimeout(() => void this.restart(), 1000).unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
