import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { VehicleRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { commitBatch, commitInTransaction } from '../../src/sync/commit-batch';
import { softDeleteRecords } from '../../src/ingest/soft-delete-records';
import { discardSnapshot, openSnapshot, StaleCursorError, streamState, type StreamRef } from '../../src/sync/state';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';
import { ownerPool } from '../support/owner-pool';
import { scansMade } from '../support/scans-made';

let db: Database;
const world = generateWorld({ seed: 3, size: 0.01 });
const vehicles = world.vehicles.slice(0, 40);
let streamNo = 0;
const freshStream = (): StreamRef => ({ system: SourceSystem.TRANSPORT, stream: `vehicles-${++streamNo}` });

const batchOf = (records: readonly VehicleRecord[], expectedVersion: number, cursor: unknown = { page: expectedVersion + 1 }) => ({
  spec: RECORD_TABLES.vehicle,
  records,
  quarantine: [],
  cursor,
  expectedVersion,
  runId: null,
});

async function vehicleCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>('select count(*) as n from vehicle');
  return Number(rows[0].n);
}

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('commit') }), entityModelOf(HUB_DOMAINS));
});
beforeEach(async () => {
  const owner = ownerPool(db.url);
  await owner.query('truncate vehicle');
  await owner.end();
});
afterAll(async () => {
  await db?.close();
  await dropDatabase(db.url);
});

describe('committing a sync batch', () => {
  it('writes the rows and moves the cursor together; a replay changes nothing', async () => {
    const ref = freshStream();
    const first = await commitBatch(db.pool, ref, batchOf(vehicles, 0, { after: 'v40' }));
    expect(first).toMatchObject({ inserted: 40, updated: 0, unchanged: 0, version: 1 });
    expect(await streamState(db.pool, ref)).toEqual({ cursor: { after: 'v40' }, version: 1 });
    const again = await commitBatch(db.pool, ref, batchOf(vehicles, 1, { after: 'v40' }));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 40, version: 2 });
    expect(await vehicleCount()).toBe(40);
  });

  it('lets exactly one of two runners of the same batch commit', async () => {
    const ref = freshStream();
    const results = await Promise.allSettled([commitBatch(db.pool, ref, batchOf(vehicles, 0)), commitBatch(db.pool, ref, batchOf(vehicles, 0))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StaleCursorError);
    expect((await streamState(db.pool, ref)).version).toBe(1);
    expect(await vehicleCount()).toBe(40);
  });

  it('never moves a row backwards in time', async () => {
    const ref = freshStream();
    const v = vehicles[0];
    const newer = { ...v, vin: v.vin, axleCount: 3, updatedAt: '2026-10-20T10:00:00+08:00' };
    const older = { ...v, axleCount: 2, updatedAt: '2026-10-01T10:00:00+08:00' };
    await commitBatch(db.pool, ref, batchOf([newer], 0));
    const result = await commitBatch(db.pool, ref, batchOf([older], 1));
    expect(result).toMatchObject({ updated: 0, unchanged: 1 });
    const { rows } = await db.pool.query('select axle_count from vehicle where plate_number = $1 and plate_color = $2', [v.plateNumber, v.plateColor]);
    expect(rows[0].axle_count).toBe(3);
  });

  it('writes quarantined records with the batch, and nothing at all when the batch fails', async () => {
    const ref = freshStream();
    const quarantine = [{ sourceId: 'V-BAD', raw: { plate: '苏EI0000' }, reasons: ['plate: letters I and O never appear'] }];
    const ok = await commitBatch(db.pool, ref, { ...batchOf(vehicles.slice(0, 5), 0), quarantine });
    expect(ok).toMatchObject({ inserted: 5, quarantined: 1 });
    const broken = { ...vehicles[6], axleCount: 'many' as unknown as number };
    await expect(commitBatch(db.pool, ref, { ...batchOf([vehicles[5], broken], 1), quarantine })).rejects.toThrow();
    expect(await streamState(db.pool, ref)).toMatchObject({ version: 1 });
    expect(await vehicleCount()).toBe(5);
    const { rows } = await db.pool.query('select count(*)::int as n from quarantined_record where stream = $1', [ref.stream]);
    expect(rows[0].n).toBe(1);
  });

  it('keeps the newest version when one batch repeats a key', async () => {
    const ref = freshStream();
    const v = vehicles[0];
    const older = { ...v, axleCount: 2, updatedAt: '2026-10-01T10:00:00+08:00' };
    const newer = { ...v, axleCount: 4, updatedAt: '2026-10-02T10:00:00+08:00' };
    await commitBatch(db.pool, ref, batchOf([newer, older], 0));
    const { rows } = await db.pool.query('select axle_count from vehicle where plate_number = $1 and plate_color = $2', [v.plateNumber, v.plateColor]);
    expect(rows[0].axle_count).toBe(4);
  });

  it('quarantines a bad record once, however often it is read again', async () => {
    const ref = freshStream();
    const quarantine = [{ sourceId: 'V-BAD-2', raw: { plate: '苏EO0000' }, reasons: ['plate: letters I and O never appear'] }];
    await commitBatch(db.pool, ref, { ...batchOf([], 0), quarantine });
    await commitBatch(db.pool, ref, { ...batchOf([], 1), quarantine });
    const { rows } = await db.pool.query('select count(*)::int as n from quarantined_record where stream = $1', [ref.stream]);
    expect(rows[0].n).toBe(1);
  });

  it('keeps one open entry per bad record: a changed bad version replaces it, a valid version landing resolves it', async () => {
    const ref = freshStream();
    const v = vehicles[2];
    const recordId = `${v.plateNumber}|${v.plateColor}`;
    const open = async () =>
      (
        await db.pool.query<{ raw: string; resolution: string | null }>(
          `select raw::text as raw, resolution
      from quarantined_record where stream = $1 order by id`,
          [ref.stream],
        )
      ).rows;
    await commitBatch(db.pool, ref, { ...batchOf([], 0), quarantine: [{ sourceId: recordId, raw: { axleCount: -1 }, reasons: ['axleCount: -1'] }] });
    await commitBatch(db.pool, ref, { ...batchOf([], 1), quarantine: [{ sourceId: recordId, raw: { axleCount: -2 }, reasons: ['axleCount: -2'] }] });
    expect(await open()).toEqual([
      { raw: '{"axleCount": -1}', resolution: 'REPLACED' },
      { raw: '{"axleCount": -2}', resolution: null },
    ]);
    // Another record's entry is untouched by this record landing.
    await commitBatch(db.pool, ref, { ...batchOf([], 2), quarantine: [{ sourceId: 'other|BLUE', raw: { axleCount: -3 }, reasons: ['axleCount: -3'] }] });
    await commitBatch(db.pool, ref, batchOf([v], 3));
    const rows = await db.pool.query<{ source_id: string; resolution: string | null; resolved_at: Date | null }>(
      `select source_id, resolution, resolved_at
      from quarantined_record where stream = $1 order by id`,
      [ref.stream],
    );
    expect(rows.rows.map((r) => [r.source_id, r.resolution, r.resolved_at !== null])).toEqual([
      [recordId, 'REPLACED', true],
      [recordId, 'LANDED', true],
      ['other|BLUE', null, false],
    ]);
    // A record without a source id is known by its content: the same content once, another content twice.
    const anonymous = (n: number) => ({ sourceId: null, raw: { n }, reasons: ['no id'] });
    await commitBatch(db.pool, ref, { ...batchOf([], 4), quarantine: [anonymous(1), anonymous(1), anonymous(2)] });
    const { rows: nulls } = await db.pool.query('select count(*)::int as n from quarantined_record where stream = $1 and source_id is null', [ref.stream]);
    expect(nulls[0].n).toBe(2);
  });

  it("a FULL read's batch and an incremental batch writing the same row queue on the stream, never deadlock", async () => {
    const ref = freshStream();
    const v = vehicles[3];
    await commitBatch(db.pool, ref, batchOf([v], 0));
    const snapshot = await openSnapshot(db.pool, ref);
    const touch = (pause: number) => async (client: import('pg').PoolClient) => {
      await client.query('update vehicle set axle_count = axle_count where plate_number = $1 and plate_color = $2', [v.plateNumber, v.plateColor]);
      await new Promise((resolve) => setTimeout(resolve, pause));
      return { inserted: 0, updated: 0, unchanged: 1, deleted: 0 };
    };
    const full = commitInTransaction(
      db.pool,
      ref,
      { quarantine: [], cursor: { page: 2 }, expectedVersion: snapshot.version, runId: null, snapshot: { seen: [] } },
      touch(300),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const incremental = commitInTransaction(db.pool, ref, { quarantine: [], cursor: { page: 9 }, expectedVersion: 1, runId: null }, touch(0));
    const outcomes = await Promise.allSettled([full, incremental]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok']);
    expect((await streamState(db.pool, ref)).cursor).toEqual({ page: 9 });
  });

  it('runners opening one snapshot at once all get it', async () => {
    const ref = freshStream();
    const opened = await Promise.all(Array.from({ length: 8 }, () => openSnapshot(db.pool, ref)));
    expect(new Set(opened.map((o) => o.version)).size).toBe(1);
    expect(opened.filter((o) => !o.resumed).length).toBe(1);
    // A later snapshot never reuses an earlier one's versions.
    await discardSnapshot(db.pool, ref);
    expect((await openSnapshot(db.pool, ref)).version).toBeGreaterThan(opened[0].version);
  });

  it('a deletion is not undone by an older update arriving late, but is by a newer one', async () => {
    const ref = freshStream();
    const v = vehicles[1];
    const recordId = `${v.plateNumber}|${v.plateColor}`;
    const liveRows = async () =>
      (await db.pool.query('select 1 from vehicle where plate_number = $1 and plate_color = $2 and deleted_at is null', [v.plateNumber, v.plateColor]))
        .rowCount;
    await commitBatch(db.pool, ref, batchOf([{ ...v, updatedAt: '2026-10-01T10:00:00+08:00' }], 0));
    const gone = await commitBatch(db.pool, ref, { ...batchOf([], 1), deleted: [{ recordId, deletedAt: '2026-10-03T10:00:00+08:00' }] });
    expect(gone.deleted).toBe(1);
    await commitBatch(db.pool, ref, batchOf([{ ...v, axleCount: 5, updatedAt: '2026-10-02T10:00:00+08:00' }], 2));
    expect(await liveRows()).toBe(0);
    await commitBatch(db.pool, ref, batchOf([{ ...v, axleCount: 5, updatedAt: '2026-10-04T10:00:00+08:00' }], 3));
    expect(await liveRows()).toBe(1);
  });

  it('finds the rows a source deleted by their record id, never by reading the whole table', async () => {
    const ref = freshStream();
    const many = Array.from({ length: 5_000 }, (_, i) => ({ ...vehicles[i % vehicles.length], plateNumber: `苏E${String(i).padStart(5, '0')}` }));
    await commitBatch(db.pool, ref, batchOf(many, 0));
    // What the deletion's statements did to the table: looked up by index, no scan.
    const scans = await scansMade(db.url, 'vehicle', async (client) => {
      const deleted = await softDeleteRecords(
        client,
        RECORD_TABLES.vehicle,
        [{ recordId: `${many[4_321].plateNumber}|${many[4_321].plateColor}`, deletedAt: '2030-01-01T00:00:00Z' }],
        new Date(),
      );
      expect(deleted).toBe(1);
    });
    expect(scans.seq).toBe(0);
    expect(scans.idx).toBeGreaterThan(0);
  });

  it('gives every record table an index on its record id', async () => {
    const { rows } = await db.pool.query<{ tablename: string }>(
      "select tablename from pg_indexes where indexdef like '%(provenance_record_id)%' and tablename = any($1::text[])",
      [Object.values(RECORD_TABLES).map((spec) => spec.table)],
    );
    expect(rows.map((r) => r.tablename).sort()).toEqual(
      Object.values(RECORD_TABLES)
        .map((spec) => spec.table)
        .sort(),
    );
  });
});
