import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { TransportConnector } from '../../connectors/transport';
import { loadConfig } from '../../src/config';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { SyncControl } from '../../src/sync/operator';
import { queueBackend, type QueueBackend } from '../../src/sync/queue-backend';
import { runStream } from '../../src/sync/run-stream';
import { queueNameOf } from '../../src/sync/sync-job';
import { streamTarget } from '../../src/sync/stream-tables';
import { execute } from '../support/graphql-client';
import { sampleOf, scrape } from '../support/prometheus-scrape';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import { Client } from 'pg';
import { readStreamHealth } from '../../src/sync/state';
import { scansMade } from '../support/scans-made';

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };
const VEHICLES = { system: 'TRANSPORT', stream: 'vehicles' };
const DAY = 86_400;

let t: TestHub;
let simulator: TransportSimulator;
beforeAll(async () => {
  t = await startTestHub('metrics_sync');
  // Another world than the hub's, so that the sync has rows to write.
  simulator = await startTransportSimulator(generateWorld({ seed: 11, size: 0.01 }));
});
afterAll(async () => {
  await simulator?.close();
  await t?.close();
});

/** Scraped from this machine without a token: no METRICS_TOKEN is configured here. */
const metrics = async () => {
  const result = await scrape(t.hub.url);
  expect(result.status).toBe(200);
  return result.text;
};

const syncVehicles = () =>
  runStream({
    pool: t.hub.db.pool,
    connector: new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize: 25 }),
    ref: { system: SourceSystem.TRANSPORT, stream: 'vehicles' },
    target: streamTarget(SourceSystem.TRANSPORT, 'vehicles')!,
  });

describe('sync metrics, read from the sync tables on each scrape', () => {
  it('have no lag for a stream never synced', async () => {
    const text = await metrics();
    expect(sampleOf(text, 'xietong_metrics_source_up', { source: 'sync' })).toBe(1);
    expect(sampleOf(text, 'xietong_sync_lag_seconds', VEHICLES)).toBeUndefined();
    expect(sampleOf(text, 'xietong_sync_last_success_timestamp_seconds', VEHICLES)).toBeUndefined();
  });

  it('show the lag, last success, rows written and quarantine after a run', async () => {
    simulator.setFaults({ malformedEvery: 6 });
    const before = Date.now() / 1000;
    const run = await syncVehicles();
    simulator.setFaults({});
    expect(run.status).toBe('SUCCEEDED');
    expect(run.inserted).toBeGreaterThan(0);
    expect(run.quarantined).toBeGreaterThan(0);
    const text = await metrics();
    expect(sampleOf(text, 'xietong_sync_lag_seconds', VEHICLES)).toBeLessThan(DAY);
    expect(sampleOf(text, 'xietong_sync_last_success_timestamp_seconds', VEHICLES)).toBeGreaterThanOrEqual(Math.floor(before));
    expect(sampleOf(text, 'xietong_sync_rows_total', { ...VEHICLES, change: 'inserted' })).toBe(run.inserted);
    expect(sampleOf(text, 'xietong_sync_rows_total', { ...VEHICLES, change: 'updated' })).toBe(run.updated);
    expect(sampleOf(text, 'xietong_sync_rows_total', { ...VEHICLES, change: 'deleted' })).toBe(run.deleted);
    expect(sampleOf(text, 'xietong_sync_quarantined_records', VEHICLES)).toBe(run.quarantined);
  });

  it('grow the lag while no run completes, and bring it back with the next one', async () => {
    // A day passes without a complete run: moved in the run history rather than waited for.
    await t.hub.db.pool.query("update sync_run set started_at = started_at - interval '1 day' where system = 'TRANSPORT' and stream = 'vehicles'");
    expect(sampleOf(await metrics(), 'xietong_sync_lag_seconds', VEHICLES)).toBeGreaterThanOrEqual(DAY);
    // A run that fails does not count: the hub is no more current.
    await t.hub.db.pool.query(`insert into sync_run (system, stream, mode, started_at, finished_at, status)
      values ('TRANSPORT', 'vehicles', 'INCREMENTAL', now(), now(), 'FAILED')`);
    expect(sampleOf(await metrics(), 'xietong_sync_lag_seconds', VEHICLES)).toBeGreaterThanOrEqual(DAY);
    const run = await syncVehicles();
    expect(run.status).toBe('SUCCEEDED');
    const text = await metrics();
    expect(sampleOf(text, 'xietong_sync_lag_seconds', VEHICLES)).toBeLessThan(DAY);
    // The operators' GraphQL view and the metric agree on what "caught up" means.
    const connectors = await execute<{ connectors: Array<{ system: string; streams: Array<{ stream: string; lagSeconds: number }> }> }, unknown>(
      t.hub.graphqlUrl,
      '{ connectors { system streams { stream lagSeconds } } }',
      {},
      await t.headersAs(ADMIN),
    );
    const lag = connectors.data!.connectors.find((c) => c.system === 'TRANSPORT')!.streams.find((s) => s.stream === 'vehicles')!.lagSeconds;
    expect(lag).toBeLessThan(DAY);
  });

  it('drop a stream out of quarantine once its records are released', async () => {
    await t.hub.db.pool.query("update quarantined_record set released_at = now() where system = 'TRANSPORT' and stream = 'vehicles'");
    expect(sampleOf(await metrics(), 'xietong_sync_quarantined_records', VEHICLES)).toBe(0);
  });

  it("keep the rows each stream wrote with its runs, and read no stream's whole run history", async () => {
    const pool = t.hub.db.pool;
    const written = async () => {
      const kept = await pool.query('select system, stream, inserted::text, updated::text, deleted::text from sync_stream_written order by 1, 2');
      const summed = await pool.query(`select system, stream, sum(inserted)::text as inserted, sum(updated)::text as updated, sum(deleted)::text as deleted
        from sync_run group by 1, 2 order by 1, 2`);
      return { kept: kept.rows, summed: summed.rows };
    };
    // A long history of another stream: its runs recorded, one progressing, one failing after it.
    await pool.query(`insert into sync_run (system, stream, mode, started_at, finished_at, status, inserted, updated, deleted)
      select 'TRANSPORT', 'history', 'INCREMENTAL', now() - make_interval(mins => i), now(), 'SUCCEEDED', i % 7, 2, i % 3 from generate_series(1, 20000) i`);
    await pool.query(`update sync_run set inserted = inserted + 5, deleted = 1 where id = (select max(id) from sync_run where stream = 'history')`);
    await pool.query(`update sync_run set status = 'FAILED', error_message = 'lost' where id = (select min(id) from sync_run where stream = 'history')`);
    let totals = await written();
    expect(totals.kept).toEqual(totals.summed);
    expect(totals.kept.some((row) => row.stream === 'history')).toBe(true);
    // What the health's statement reads of the run history: by index, no scan of it.
    const scans = await scansMade(t.hub.db.url, 'sync_run', async (client) => {
      const health = await readStreamHealth(client);
      const newest = await client.query<{ started_at: Date }>(
        "select started_at from sync_run where stream = 'history' and status = 'SUCCEEDED' order by id desc limit 1",
      );
      expect(health.find((h) => h.stream === 'history')).toMatchObject({ caughtUpAt: newest.rows[0].started_at, rows: { updated: 40_000 } });
    });
    expect(scans.seq).toBe(0);
    await pool.query("delete from sync_run where stream = 'history'");
    totals = await written();
    expect(totals.kept.filter((row) => row.stream !== 'history')).toEqual(totals.summed);
    expect(totals.kept.find((row) => row.stream === 'history')).toMatchObject({ inserted: '0', updated: '0', deleted: '0' });
    // Its runs gone, so is its newest success.
    expect((await readStreamHealth(pool)).find((h) => h.stream === 'history')?.caughtUpAt).toBeNull();
  });

  it("keep a runner's progress free of an operator's open transaction that queued a run on its stream", async () => {
    const pool = t.hub.db.pool;
    const { rows } = await pool.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, status)
      values ('TRANSPORT', 'waiting', 'INCREMENTAL', now(), 'RUNNING') returning id`);
    const operator = new Client({ connectionString: t.hub.db.url });
    await operator.connect();
    const runner = new Client({ connectionString: t.hub.db.url });
    await runner.connect();
    try {
      await operator.query('begin');
      await operator.query(`insert into sync_run (system, stream, mode, started_at, status, requested_by)
        values ('TRANSPORT', 'waiting', 'FULL', now(), 'QUEUED', 'operator')`);
      await runner.query("set statement_timeout = '2s'");
      await runner.query('update sync_run set batches = 1, inserted = 7, heartbeat_at = now() where id = $1', [rows[0].id]);
      await operator.query('commit');
      expect((await readStreamHealth(pool)).find((h) => h.stream === 'waiting')?.rows.inserted).toBe(7);
    } finally {
      await operator.end();
      await runner.end();
      await pool.query("delete from sync_run where stream = 'waiting'");
    }
  });

  it("show each sync queue's jobs: a triggered run waits in its system's queue", async () => {
    const waiting = { queue: queueNameOf(SourceSystem.MARKET_REGISTRY), state: 'waiting' };
    expect(sampleOf(await metrics(), 'xietong_queue_jobs', waiting)).toBe(0);
    const triggered = await execute(
      t.hub.graphqlUrl,
      'mutation { triggerSync(system: MARKET_REGISTRY, stream: "enterprises") { alreadyRunning } }',
      {},
      await t.headersAs(ADMIN),
    );
    expect(triggered.errors).toBeUndefined();
    const text = await metrics();
    expect(sampleOf(text, 'xietong_metrics_source_up', { source: 'queues' })).toBe(1);
    expect(sampleOf(text, 'xietong_queue_jobs', waiting)).toBe(1);
    for (const state of ['active', 'delayed', 'failed']) expect(sampleOf(text, 'xietong_queue_jobs', { ...waiting, state })).toBe(0);
  });
});

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);

describe.each(kinds)('queue job counts on %s', (kind) => {
  let backend: QueueBackend;
  let control: SyncControl;
  beforeAll(() => {
    backend = queueBackend({ redisUrl: kind === 'redis' ? redisUrl : null }, t.hub.db.url, `xt_metrics_${process.pid}_${kind}`);
    control = new SyncControl(t.hub.db.pool, backend);
  });
  afterAll(async () => {
    await control?.close();
  });

  const countsOf = async (system: SourceSystem) => (await control.jobCounts()).find((q) => q.queue === queueNameOf(system))?.counts;

  it('counts waiting and failed jobs of every system', async () => {
    const name = queueNameOf(SourceSystem.CREDIT_PLATFORM);
    const queue = backend.createQueue(name);
    try {
      expect((await control.jobCounts()).map((q) => q.queue).sort()).toEqual(Object.values(SourceSystem).map(queueNameOf).sort());
      await queue.add('sync', {}, { jobId: 'doomed', attempts: 1 });
      expect(await countsOf(SourceSystem.CREDIT_PLATFORM)).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0 });
      await new Promise<void>((resolve) => {
        const worker = backend.createWorker(name, async () => {
          throw new Error('the source is down');
        });
        worker.on('failed', () => void worker.close().then(resolve));
      });
      expect(await countsOf(SourceSystem.CREDIT_PLATFORM)).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
