import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { runStream } from '../../src/sync/run-stream';
import { RegistryConnector } from '../../connectors/market-registry';
import { startRegistrySimulator, type RegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

const world = generateWorld({ seed: 12, size: 0.02 });
let db: Database;
let simulator: RegistrySimulator;
let connector: RegistryConnector;
const enterprises = { system: SourceSystem.MARKET_REGISTRY, stream: 'enterprises' };
const abnormal = { system: SourceSystem.MARKET_REGISTRY, stream: 'abnormalOperations' };

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('registry') }), entityModelOf(HUB_DOMAINS));
  simulator = await startRegistrySimulator(world);
  connector = new RegistryConnector({ baseUrl: simulator.url, pageSize: 7 });
});
afterAll(async () => {
  await simulator?.close();
  await db?.close();
  await dropDatabase(db.url);
});

const oneRow = async () => (await db.pool.query('select * from enterprise limit 1')).rows[0] as Record<string, unknown>;

const liveHashes = async (table: string) =>
  (await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${table} where deleted_at is null`)).rows.map((r) => r.h).sort();

describe('market registry sync', () => {
  it('maps the registry format back to exactly the canonical records', async () => {
    await runStream({ pool: db.pool, connector, ref: enterprises, target: { kind: 'records', spec: RECORD_TABLES.enterprise as never } });
    await runStream({ pool: db.pool, connector, ref: abnormal, target: { kind: 'records', spec: RECORD_TABLES.abnormalOperation as never } });
    expect(await liveHashes('enterprise')).toEqual(world.enterprises.map((e) => contentHash(e)).sort());
    expect(await liveHashes('abnormal_operation')).toEqual(world.abnormalOperations.map((a) => contentHash(a)).sort());
  });

  it('sees deregistration as a status change, and a vanished record only through reconciliation', async () => {
    const [kept, gone] = world.enterprises;
    simulator.update(kept.uscc, { djzt: '注销' }, '2026-11-06T10:00:00+08:00');
    simulator.vanish('enterprises', gone.uscc);
    const incremental = await runStream({ pool: db.pool, connector, ref: enterprises, target: { kind: 'records', spec: RECORD_TABLES.enterprise as never } });
    expect(incremental).toMatchObject({ status: 'SUCCEEDED', updated: 1, deleted: 0 });
    const status = await db.pool.query('select status from enterprise where uscc = $1', [kept.uscc]);
    expect(status.rows[0].status).toBe('CANCELLED');
    const full = await runStream({
      pool: db.pool,
      connector,
      ref: enterprises,
      target: { kind: 'records', spec: RECORD_TABLES.enterprise as never },
      mode: 'FULL',
    });
    expect(full).toMatchObject({ status: 'SUCCEEDED', deleted: 1, inserted: 0 });
    const vanished = await db.pool.query('select deleted_at from enterprise where uscc = $1', [gone.uscc]);
    expect(vanished.rows[0].deleted_at).not.toBeNull();
  });

  it('never takes a row another runner synced during the snapshot for vanished', async () => {
    // A record the registry gained after this run's snapshot was read, synced by another runner
    // meanwhile: newer than the snapshot, so not the snapshot's to judge.
    const newcomer = { ...world.enterprises[5], uscc: '91320583MA2125D5XF' };
    await db.pool.query(
      `insert into enterprise (${Object.keys(await oneRow()).join(', ')})
      select ${Object.keys(await oneRow())
        .map((c) => (c === 'uscc' || c === 'provenance_record_id' ? `$1` : c === 'provenance_synced_at' ? `now() + interval '1 minute'` : c))
        .join(', ')}
      from enterprise where uscc = $2`,
      [newcomer.uscc, world.enterprises[5].uscc],
    );
    const full = await runStream({
      pool: db.pool,
      connector,
      ref: enterprises,
      target: { kind: 'records', spec: RECORD_TABLES.enterprise as never },
      mode: 'FULL',
    });
    expect(full).toMatchObject({ status: 'SUCCEEDED', deleted: 0 });
    const kept = await db.pool.query('select deleted_at from enterprise where uscc = $1', [newcomer.uscc]);
    expect(kept.rows[0].deleted_at).toBeNull();
    await db.pool.query('delete from enterprise where uscc = $1', [newcomer.uscc]);
  });

  it('moves the cursor only when a read completes (pages are ordered by key, not by change)', async () => {
    const first = await connector.read('enterprises', { changedSince: '2020-01-01' }).next();
    // The day cursor stays; the read's place is kept so that a read that stops goes on from its next page.
    expect((first.value as { state: unknown }).state).toEqual({
      changedSince: '2020-01-01',
      resume: { page: 2, total: expect.any(Number), latest: expect.any(Number), lastKey: expect.any(String), settled: expect.any(Number) },
    });
  });

  it('reads a change committed late but stamped the day before the newest change read: the day cursor keeps the safety lag', async () => {
    // A lag of 36 hours stands for "the late commit landed within the lag" whatever the hour the test runs.
    const lagging = new RegistryConnector({ baseUrl: simulator.url, pageSize: 7, safetyLagMs: 36 * 3_600_000 });
    const [a, b] = world.enterprises.slice(25, 27);
    simulator.update(a.uscc, { qymc: '新近变更甲' }, new Date().toISOString());
    await runStream({ pool: db.pool, connector: lagging, ref: enterprises, target: { kind: 'records', spec: RECORD_TABLES.enterprise as never } });
    simulator.update(b.uscc, { qymc: '迟到提交乙' }, new Date(Date.now() - 86_400_000).toISOString());
    await runStream({ pool: db.pool, connector: lagging, ref: enterprises, target: { kind: 'records', spec: RECORD_TABLES.enterprise as never } });
    const { rows } = await db.pool.query('select uscc, name from enterprise where uscc = any($1) order by name', [[a.uscc, b.uscc]]);
    expect(rows.map((r) => r.name).sort()).toEqual(['新近变更甲', '迟到提交乙'].sort());
  });

  it('refuses a reconciliation that would delete an implausible share of the table', async () => {
    for (const e of world.enterprises.slice(2, 20)) simulator.vanish('enterprises', e.uscc);
    await expect(
      runStream({ pool: db.pool, connector, ref: enterprises, target: { kind: 'records', spec: RECORD_TABLES.enterprise as never }, mode: 'FULL' }),
    ).rejects.toThrow(/refusing/);
    const { rows } = await db.pool.query('select count(*)::int as n from enterprise where deleted_at is null');
    expect(rows[0].n).toBe(world.enterprises.length - 1);
  });

  it('stops after the current batch when shutting down, without reconciling a partial snapshot', async () => {
    const shutdown = new AbortController();
    shutdown.abort();
    const run = await runStream({
      pool: db.pool,
      connector,
      ref: enterprises,
      target: { kind: 'records', spec: RECORD_TABLES.enterprise as never },
      mode: 'FULL',
      signal: shutdown.signal,
    });
    expect(run).toMatchObject({ status: 'INTERRUPTED', batches: 1, deleted: 0 });
  });
});
