import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { PgEventBus } from '../../src/live/event-bus';
import { OutboxRelay } from '../../src/live/outbox-relay';
import { PgListener } from '../../src/live/pg-listener';
import { ownerPool } from '../support/owner-pool';
import { dropDatabase } from '../../src/db/ensure-database';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';

/*
 * The outbox is bounded even when no relay ran for a while: events never published within the
 * retention are deleted, not sent late; recent ones are published as usual.
 */
describe('outbox retention', () => {
  const { logger } = testLogger();
  let db: Database;
  let owner: Pool;
  let listener: PgListener;

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('outbox_retention') }), entityModelOf(HUB_DOMAINS));
    owner = ownerPool(db.url);
    listener = new PgListener(db.url, logger);
    await listener.start();
  });
  afterAll(async () => {
    await listener?.close();
    await owner?.end();
    await db?.close();
    // A database of its own: dropped, or every run leaves one behind on the machine's server.
    if (db) await dropDatabase(db.url);
  });

  it('deletes unpublished events past the retention and publishes the rest', async () => {
    await owner.query(`insert into hub_event (kind, payload, created_at) values ('ping', '{"n":1}', now() - interval '25 hours'), ('ping', '{"n":2}', now())`);
    const relay = new OutboxRelay(db.pool, new PgEventBus(listener), listener, { pollMs: 60_000, retentionHours: 24, logger });
    await relay.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await relay.close();
    const { rows } = await owner.query<{ n: number; published: boolean }>(
      `select (payload->>'n')::int as n, published_at is not null as published from hub_event order by id`,
    );
    expect(rows).toEqual([{ n: 2, published: true }]);
  });
});
