import { Client } from 'pg';
import type { Logger } from '../logger';

/**
 * One dedicated PostgreSQL connection that LISTENs on channels (a pooled connection would lose
 * its LISTEN when returned). Reconnects after a loss; `onReconnect` lets its users catch up on
 * what they may have missed meanwhile.
 */
export class PgListener {
  private client: Client | null = null;
  private closed = false;
  private readonly handlers = new Map<string, (payload: string) => void>();

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly onReconnect: () => void = () => undefined,
  ) {}

  async listen(channel: string, handler: (payload: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    if (this.client) await this.client.query(`listen ${quoteIdentifier(channel)}`);
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => this.handlers.get(message.channel)?.(message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'live event listener lost its connection');
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
      this.onReconnect();
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
