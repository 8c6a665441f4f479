import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { runStream } from '../../src/sync/run-stream';
import { TransientError } from '../../connectors/contract';
import { TransportConnector } from '../../connectors/transport';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { afterEachBatch } from '../support/connector-hooks';
import { freshDatabaseUrl } from '../support/test-database';

const world = generateWorld({ seed: 61, size: 0.01 });
let db: Database;
let simulator: TransportSimulator;
const ref = { system: SourceSystem.TRANSPORT, stream: 'practitioners' };
const target = { kind: 'records' as const, spec: RECORD_TABLES.practitioner as never };

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('tfaults') }), entityModelOf(HUB_DOMAINS));
  simulator = await startTransportSimulator(world);
});
afterAll(async () => {
  await simulator?.close();
  await db?.close();
  await dropDatabase(db.url);
});

describe('transport sync edge cases', () => {
  it('an impossible date or an unknown code quarantines that record only; the rest of its batch lands and the stream moves on', async () => {
    const licences = simulator.records('licences');
    const practitioners = simulator.records('practitioners');
    simulator.update('licences', licences[0].id, { validTo: '2026-02-30' }, '2026-11-07T09:00:00+08:00');
    simulator.update('practitioners', practitioners[0].id, { status: 'ON_THE_MOON' }, '2026-11-07T09:00:00+08:00');
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize: 500 });
    const licenceRun = await runStream({
      pool: db.pool,
      connector,
      ref: { system: SourceSystem.TRANSPORT, stream: 'licences' },
      target: { kind: 'records', spec: RECORD_TABLES.licence as never },
    });
    expect(licenceRun).toMatchObject({ status: 'SUCCEEDED', quarantined: 1, inserted: licences.length - 1 });
    const practitionerRun = await runStream({ pool: db.pool, connector, ref, target });
    expect(practitionerRun).toMatchObject({ status: 'SUCCEEDED', quarantined: 1, inserted: practitioners.length - 1 });
    const { rows } = await db.pool.query<{ stream: string; reasons: string[] }>(
      `select stream, reasons from quarantined_record where stream in ('licences', 'practitioners') order by stream`,
    );
    expect(rows).toEqual([
      { stream: 'licences', reasons: ['validTo: "2026-02-30" is not a real date'] },
      { stream: 'practitioners', reasons: ['status: unknown code "ON_THE_MOON"'] },
    ]);
    await db.pool.query(
      "delete from operator_licence; delete from practitioner; delete from quarantined_record; delete from sync_stream where stream in ('licences', 'practitioners')",
    );
  });

  it('a response slower than the connector waits for is a transient timeout', async () => {
    simulator.setFaults({ delayMs: 400 });
    try {
      const slow = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, timeoutMs: 100 });
      await expect(slow.read('practitioners', null).next()).rejects.toBeInstanceOf(TransientError);
    } finally {
      simulator.setFaults({});
    }
  });

  it('records deleted between pages of a read end up deleted, and nothing else does', async () => {
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize: 10 });
    // The source deletes one record already read and one not yet read while the run is at page 1.
    let pages = 0;
    let early = '';
    let late = '';
    const deleting = afterEachBatch(connector, (n, batch) => {
      pages = n;
      if (n !== 1) return;
      const read = new Set((batch.records as Array<{ idNumber: string }>).map((r) => r.idNumber));
      early = [...read][0];
      late = simulator.records('practitioners').find((r) => !read.has(r.id))!.id;
      simulator.remove('practitioners', early, '2026-11-10T10:00:00+08:00');
      simulator.remove('practitioners', late, '2026-11-10T10:00:00+08:00');
    });
    const run = await runStream({ pool: db.pool, connector: deleting, ref, target });
    expect(pages).toBeGreaterThan(2);
    expect(run).toMatchObject({ status: 'SUCCEEDED', deleted: 1 });
    // The record not yet read is never written; the one already written is soft-deleted.
    const { rows } = await db.pool.query<{ h: string }>('select provenance_content_hash as h from practitioner where deleted_at is null');
    const expected = world.practitioners
      .filter((p) => p.idNumber !== early && p.idNumber !== late)
      .map((p) => contentHash(p))
      .sort();
    expect(rows.map((r) => r.h).sort()).toEqual(expected);
  });
});
