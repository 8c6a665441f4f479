import type { Pool } from 'pg';
import { inTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import type { LiveEvent } from '../read-kit/live-event';
import type { EventBus } from './event-bus';
import type { PgListener } from './pg-listener';

/** Most events one claim publishes (the rest wait for the next round, started at once). */
const CLAIM_LIMIT = 500;

interface OutboxRow {
  id: string;
  kind: string;
  division: string | null;
  payload: Record<string, unknown>;
}

/**
 * Publishes the outbox (`hub_event`) on the bus. Every hub instance runs one; they share the work
 * through `for update skip locked`, so each event is claimed by one relay, published and marked in
 * that relay's transaction. Woken by the outbox's insert trigger (`hub_event_outbox`), and polled
 * every `pollMs` besides, which also deletes events (published or not) past their retention.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private lastPrune = 0;

  constructor(
    private readonly pool: Pool,
    private readonly bus: EventBus,
    private readonly listener: PgListener,
    private readonly options: { pollMs: number; retentionHours: number; logger: Logger },
  ) {}

  async start(): Promise<void> {
    await this.listener.listen('hub_event_outbox', () => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs a round now, or once more after the one running (never two at once in this process). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'outbox relay round failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async round(): Promise<void> {
    const prune = Date.now() - this.lastPrune > 60_000;
    if (prune) {
      // Events no relay published within the retention (no hub ran while workers captured) are
      // stale as alerts: dropped before they could be sent late, and counted in the log.
      const { rowCount } = await this.pool.query(`delete from hub_event where published_at is null and created_at < now() - make_interval(hours => $1)`, [
        this.options.retentionHours,
      ]);
      if (rowCount) this.options.logger.warn({ events: rowCount }, 'unpublished outbox events past their retention deleted');
    }
    for (;;) {
      const published = await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<OutboxRow>(
          `select id::text, kind, division, payload from hub_event where published_at is null
           order by id limit ${CLAIM_LIMIT} for update skip locked`,
        );
        for (const row of rows) {
          const event: LiveEvent = { id: row.id, kind: row.kind, division: row.division, payload: row.payload };
          await this.bus.publish(client, event);
        }
        if (rows.length) await client.query('update hub_event set published_at = now() where id = any($1::bigint[])', [rows.map((r) => r.id)]);
        return rows.length;
      });
      if (published < CLAIM_LIMIT) break;
    }
    if (prune) {
      this.lastPrune = Date.now();
      await this.pool.query(`delete from hub_event where published_at < now() - make_interval(hours => $1)`, [this.options.retentionHours]);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
