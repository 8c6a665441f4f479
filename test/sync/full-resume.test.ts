import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { runStream } from '../../src/sync/run-stream';
import { streamTarget } from '../../src/sync/stream-tables';
import { TransientError, type Connector } from '../../connectors/contract';
import { CreditConnector } from '../../connectors/credit-platform';
import { startCreditSimulator, type CreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { RegistryConnector } from '../../connectors/market-registry';
import { startRegistrySimulator, type RegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import type { RegistryEnterprise } from '../../connectors/market-registry/registry-format';
import { generateWorld } from '../../src/demo/world';
import { afterEachBatch } from '../support/connector-hooks';
import { freshDatabaseUrl } from '../support/test-database';

const world = generateWorld({ seed: 23, size: 0.05 });
let db: Database;
let registry: RegistrySimulator;
let credit: CreditSimulator;

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('fullresume') }), entityModelOf(HUB_DOMAINS));
  registry = await startRegistrySimulator(world);
  credit = await startCreditSimulator(world);
});
afterAll(async () => {
  await registry?.close();
  await credit?.close();
  await db?.close();
  await dropDatabase(db.url);
});

/** The connector, but the read stops after `batches` batches: aborted (shutdown) or failing (a fault beyond retries). */
function stoppingAfter(connector: Connector, batches: number, how: { abort: AbortController } | 'fail'): Connector {
  return afterEachBatch(connector, (n) => {
    if (n !== batches) return;
    if (how === 'fail') throw new TransientError('the source went away mid-read');
    how.abort.abort();
  });
}

const liveHashes = async (table: string) =>
  (await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${table} where deleted_at is null`)).rows.map((r) => r.h).sort();
const snapshotOf = async (stream: string) =>
  (
    await db.pool.query<{ cursor: unknown; seen: number }>(
      `select cursor, (select count(*)::int from sync_snapshot_seen k where k.stream = s.stream) as seen
    from sync_snapshot s where stream = $1`,
      [stream],
    )
  ).rows[0];

describe('a FULL read that stops goes on where it stopped', () => {
  const enterprises = { system: SourceSystem.MARKET_REGISTRY, stream: 'enterprises' };
  const target = streamTarget(SourceSystem.MARKET_REGISTRY, 'enterprises')!;

  it('registry: a FULL run stopped after two pages is continued from the third by the next FULL run, then reconciled as a whole', async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const abort = new AbortController();
    const stopped = await runStream({
      pool: db.pool,
      connector: stoppingAfter(connector, 2, { abort }),
      ref: enterprises,
      target,
      mode: 'FULL',
      signal: abort.signal,
    });
    expect(stopped).toMatchObject({ status: 'INTERRUPTED', batches: 2, read: 20, deleted: 0 });
    expect(await snapshotOf('enterprises')).toMatchObject({ seen: 20, cursor: { resume: { page: 3 } } });
    // Nothing reconciled from a partial snapshot; the stream's incremental cursor did not move.
    const {
      rows: [stream],
    } = await db.pool.query('select cursor from sync_stream where stream = $1', ['enterprises']);
    expect(stream.cursor).toBeNull();

    const resumed = await runStream({ pool: db.pool, connector, ref: enterprises, target, mode: 'FULL' });
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', read: world.enterprises.length - 20, deleted: 0 });
    expect(await liveHashes('enterprise')).toEqual(world.enterprises.map((e) => contentHash(e)).sort());
    expect(await snapshotOf('enterprises')).toBeUndefined();
    expect((await db.pool.query('select cursor from sync_stream where stream = $1', ['enterprises'])).rows[0].cursor).toEqual({
      changedSince: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('registry: when the source changed between the two runs, the continued read starts over, and what vanished is reconciled', async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const abort = new AbortController();
    await runStream({ pool: db.pool, connector: stoppingAfter(connector, 2, { abort }), ref: enterprises, target, mode: 'FULL', signal: abort.signal });
    const [early, late] = [world.enterprises.map((e) => e.uscc).sort()[3], world.enterprises.map((e) => e.uscc).sort()[60]];
    registry.vanish('enterprises', early);
    registry.vanish('enterprises', late);
    const resumed = await runStream({ pool: db.pool, connector, ref: enterprises, target, mode: 'FULL' });
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', read: world.enterprises.length - 2, deleted: 2 });
    const { rows } = await db.pool.query('select uscc from enterprise where deleted_at is not null order by uscc');
    expect(rows.map((r) => r.uscc)).toEqual([early, late].sort());
  });

  it('credit: a FULL run that failed mid-read is continued by its retry; records it had seen are not reconciled away', async () => {
    const ratings = { system: SourceSystem.CREDIT_PLATFORM, stream: 'ratings' };
    const ratingsTarget = streamTarget(SourceSystem.CREDIT_PLATFORM, 'ratings')!;
    const connector = new CreditConnector({ baseUrl: credit.url, apiKey: credit.apiKey, pageSize: 20, lookBackMs: 0 });
    await expect(
      runStream({
        pool: db.pool,
        connector: stoppingAfter(connector, 3, 'fail'),
        ref: ratings,
        target: ratingsTarget,
        mode: 'FULL',
      }),
    ).rejects.toThrow(/went away/);
    // Three pages of 20 (a page read on from a change time repeats the rows at that time, which are skipped).
    const { seen } = await snapshotOf('ratings');
    expect(seen).toBeGreaterThan(50);
    expect(seen).toBeLessThanOrEqual(60);
    // Meanwhile one record not yet read vanishes at the platform.
    const order = credit.records('ratings');
    const gone = order[order.length - 1];
    credit.remove('ratings', 'pjbh' in gone ? gone.pjbh : gone.mdbh);
    const retried = await runStream({ pool: db.pool, connector, ref: ratings, target: ratingsTarget, mode: 'FULL' });
    expect(retried.status).toBe('SUCCEEDED');
    // Continued after the 60 read (the platform pages by change time: the last time read is read again).
    expect(retried.read).toBeLessThan(world.creditRatings.length - 50);
    expect(retried.deleted).toBe(0);
    const expected = world.creditRatings.filter((r) => r.sourceId !== ('pjbh' in gone ? gone.pjbh : gone.mdbh));
    expect(await liveHashes('credit_rating')).toEqual(expected.map((r) => contentHash(r)).sort());
    // The one that vanished before it was ever synced was never in the hub.
    expect(await liveHashes('credit_rating')).toHaveLength(world.creditRatings.length - 1);
  });

  it("registry: a row gone before the read's place while another is added (the total unchanged) is noticed, and nothing present is reconciled away", async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const keys = registry.records('enterprises').map((r) => ('qymc' in r ? r.tyshxydm : r.id));
    const newcomer = { ...(registry.records('enterprises')[0] as RegistryEnterprise), tyshxydm: '91320594MA7ZZZZZ9Z', qymc: '苏州新设物流有限公司' };
    const shifting = afterEachBatch(connector, (n) => {
      // After the first page: one enterprise it held vanishes, one is registered at the end.
      if (n === 1) {
        registry.vanish('enterprises', keys[2]);
        registry.add(newcomer);
      }
    });
    await expect(runStream({ pool: db.pool, connector: shifting, ref: enterprises, target, mode: 'FULL' })).rejects.toThrow(/changed while it was being read/);
    const retried = await runStream({ pool: db.pool, connector, ref: enterprises, target, mode: 'FULL' });
    expect(retried).toMatchObject({ status: 'SUCCEEDED', deleted: 1 });
    const { rows } = await db.pool.query('select uscc from enterprise where deleted_at is not null and uscc = any($1)', [keys]);
    expect(rows.map((r) => r.uscc)).toContain(keys[2]);
    // Every enterprise still registered is live in the hub.
    const live = await db.pool.query('select count(*)::int as n from enterprise where deleted_at is null and uscc = any($1)', [
      keys.filter((k) => k !== keys[2]),
    ]);
    expect(live.rows[0].n).toBe(keys.length - 1);
  });

  it('registry: a resumed read holds its cursor to when the read began, so a change made meanwhile on a page already read is read next time', async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const keys = registry.records('enterprises').map((r) => ('qymc' in r ? r.tyshxydm : r.id));
    const at = (iso: string) => Date.parse(iso);
    const clock = jest.spyOn(Date, 'now').mockReturnValue(at('2030-01-01T23:00:00+08:00'));
    try {
      const abort = new AbortController();
      await runStream({ pool: db.pool, connector: stoppingAfter(connector, 1, { abort }), ref: enterprises, target, mode: 'FULL', signal: abort.signal });
      // Between the two runs: a change on the page already read, and one on a page still ahead.
      registry.update(keys[1], { qymc: '跨夜更名有限公司' }, '2030-01-01T23:30:00+08:00');
      registry.update(keys[keys.length - 1], { qymc: '次日更名有限公司' }, '2030-01-02T11:00:00+08:00');
      clock.mockReturnValue(at('2030-01-02T12:00:00+08:00'));
      expect((await runStream({ pool: db.pool, connector, ref: enterprises, target, mode: 'FULL' })).status).toBe('SUCCEEDED');
      const {
        rows: [{ cursor }],
      } = await db.pool.query('select cursor from sync_stream where stream = $1', ['enterprises']);
      expect(cursor.changedSince <= '2030-01-01').toBe(true);
      await runStream({ pool: db.pool, connector, ref: enterprises, target });
      const { rows } = await db.pool.query('select name from enterprise where uscc = $1', [keys[1]]);
      expect(rows[0].name).toBe('跨夜更名有限公司');
    } finally {
      clock.mockRestore();
    }
  });

  it("registry: an enterprise registered before the read's place does not stop the read (it only repeats a row), and arrives with the next run", async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const first = registry.records('enterprises')[0] as RegistryEnterprise;
    const key = `${first.tyshxydm.slice(0, 17)}0`;
    expect(key < first.tyshxydm).toBe(true);
    const growing = afterEachBatch(connector, (n) => {
      if (n === 2) {
        registry.add({ ...first, tyshxydm: key, qymc: '苏州前置新设有限公司' });
        registry.update(key, {}, new Date(Date.now() - 120_000).toISOString());
      }
    });
    const full = await runStream({ pool: db.pool, connector: growing, ref: enterprises, target, mode: 'FULL' });
    expect(full).toMatchObject({ status: 'SUCCEEDED', deleted: 0 });
    await runStream({ pool: db.pool, connector, ref: enterprises, target });
    const { rows } = await db.pool.query('select name from enterprise where uscc = $1 and deleted_at is null', [key]);
    expect(rows).toEqual([{ name: '苏州前置新设有限公司' }]);
  });

  it('incremental runs between the batches of a FULL read do not supersede it, nor it them', async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const incrementals: string[] = [];
    // Another worker runs the stream's incremental sync while the FULL read is between two batches.
    const interleaved = afterEachBatch(connector, async (n) => {
      if (n <= 2) incrementals.push((await runStream({ pool: db.pool, connector, ref: enterprises, target })).status);
    });
    const full = await runStream({ pool: db.pool, connector: interleaved, ref: enterprises, target, mode: 'FULL' });
    expect(incrementals).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(full).toMatchObject({ status: 'SUCCEEDED', read: registry.records('enterprises').length });
    expect(await snapshotOf('enterprises')).toBeUndefined();
  });

  it('retryQuarantined starts the snapshot over, so the released records are read again', async () => {
    const connector = new RegistryConnector({ baseUrl: registry.url, pageSize: 10 });
    const abort = new AbortController();
    await runStream({ pool: db.pool, connector: stoppingAfter(connector, 1, { abort }), ref: enterprises, target, mode: 'FULL', signal: abort.signal });
    expect(await snapshotOf('enterprises')).toBeDefined();
    const { SyncControl } = await import('../../src/sync/operator');
    const { queueBackend } = await import('../../src/sync/queue-backend');
    const control = new SyncControl(db.pool, queueBackend({ redisUrl: null }, db.url, `xt_resume_${process.pid}`));
    try {
      await control.retryQuarantined(SourceSystem.MARKET_REGISTRY, 'enterprises', 'test/admin');
    } finally {
      await control.close();
    }
    expect(await snapshotOf('enterprises')).toBeUndefined();
  });
});

describe('credit paging by change time', () => {
  it('skips no row when more than a page share one change time and one of them changes mid-read', async () => {
    const listEntries = { system: SourceSystem.CREDIT_PLATFORM, stream: 'listEntries' };
    const target = streamTarget(SourceSystem.CREDIT_PLATFORM, 'listEntries')!;
    const connector = new CreditConnector({ baseUrl: credit.url, apiKey: credit.apiKey, pageSize: 4, lookBackMs: 0 });
    expect((await runStream({ pool: db.pool, connector, ref: listEntries, target, mode: 'FULL' })).status).toBe('SUCCEEDED');
    // A bulk job at the platform stamps 12 entries with one change time: three pages' worth.
    const bulkAt = new Date(Date.now() - 3_600_000).toISOString();
    const ids = credit
      .records('listEntries')
      .slice(0, 12)
      .map((r) => ('mdbh' in r ? r.mdbh : r.pjbh));
    expect(ids).toHaveLength(12);
    for (const id of ids) credit.update('listEntries', id, { lrjg: '苏州市信用办（批量更正）' }, bulkAt);
    let changed = '';
    const changing = afterEachBatch(connector, (n, batch) => {
      // After the first page of the bulk, one entry it held changes again (it moves to the end).
      if (n === 1) {
        changed = (batch.records as Array<{ sourceId: string }>).map((r) => r.sourceId).find((id) => ids.includes(id))!;
        credit.update('listEntries', changed, { lrjg: '苏州市信用办（再次更正）' }, new Date(Date.now() - 120_000).toISOString());
      }
    });
    // An incremental read: it starts at the bulk's change time, so its first page is all bulk. 13
    // updates: the 12, and the changed one again at its new time.
    expect(await runStream({ pool: db.pool, connector: changing, ref: listEntries, target })).toMatchObject({ status: 'SUCCEEDED', updated: 13 });
    expect(ids).toContain(changed);
    // And a FULL read afterwards finds nothing vanished.
    expect(await runStream({ pool: db.pool, connector, ref: listEntries, target, mode: 'FULL' })).toMatchObject({ status: 'SUCCEEDED', deleted: 0 });
    const { rows } = await db.pool.query<{ source_id: string; authority: string }>(
      `select source_id, authority from credit_list_entry
      where source_id = any($1) and deleted_at is null`,
      [ids],
    );
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.source_id === changed)!.authority).toBe('苏州市信用办（再次更正）');
    expect(rows.filter((r) => r.authority === '苏州市信用办（批量更正）')).toHaveLength(11);
  });
});
