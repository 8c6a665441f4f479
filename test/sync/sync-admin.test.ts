import 'reflect-metadata';
import { execute as executeGraphQL, parse } from 'graphql';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { AccessGrant } from '../../src/access/access-grant';
import { guardSchema } from '../../src/access/field-guard';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { queueBackend } from '../../src/sync/queue-backend';
import { runStream } from '../../src/sync/run-stream';
import { streamTarget } from '../../src/sync/stream-tables';
import type { Connector } from '../../connectors/contract';
import { createSyncWorker } from '../../src/sync/sync-worker';
import { queueNameOf } from '../../src/sync/sync-job';
import { TransportConnector } from '../../connectors/transport';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { execute } from '../support/graphql-client';
import { bookkeepingOf, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import { LATEST_RUNS } from '../../src/sync/state';
import { scansMade } from '../support/scans-made';

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };

const RUN_FIELDS = 'id system stream mode status batches estimatedBatches progress heartbeatAt read unchanged requestedBy';
const TRIGGER = `mutation Trigger($system: SourceSystem!, $stream: String!, $mode: SyncMode!) {
  triggerSync(system: $system, stream: $stream, mode: $mode) { alreadyRunning run { ${RUN_FIELDS} } } }`;

let t: TestHub;
let simulator: TransportSimulator;
beforeAll(async () => {
  t = await startTestHub('sync_admin');
  simulator = await startTransportSimulator(t.world);
});
afterAll(async () => {
  await simulator?.close();
  await t?.close();
});

const runCount = async () => Number((await t.hub.db.pool.query<{ n: string }>('select count(*) as n from sync_run')).rows[0].n);
const asAdmin = async () => t.headersAs(ADMIN);

describe('sync control over GraphQL', () => {
  it('refuses triggerSync to a caller whose agreement does not grant it, writing nothing', async () => {
    const before = await runCount();
    const result = await execute(t.hub.graphqlUrl, TRIGGER, { system: 'TRANSPORT', stream: 'vehicles', mode: 'FULL' }, await t.headersAs(ANALYST));
    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['triggerSync'] });
    expect(result.data ?? null).toBeNull();
    // Through an alias and a fragment on Mutation too.
    const aliased = await execute(
      t.hub.graphqlUrl,
      `mutation { go: triggerSync(system: TRANSPORT, stream: "vehicles") { ...R } }
      fragment R on TriggeredSync { alreadyRunning }`,
      {},
      await t.headersAs(ANALYST),
    );
    expect(aliased.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['go'] });
    expect(await runCount()).toBe(before);
  });

  it('the resolution layer alone (graphql-shield on the root) also refuses the mutation before it runs', async () => {
    const schema = guardSchema(await buildHubSchema(HUB_PARTS), new Set());
    const viewer = { agency: 'suzhou-transport', subject: 'a', roles: ['analyst'], divisions: [] };
    const agreements = [...(await import('../../src/access/agreements')).loadAgreements('schema/policy/agreements.json', schema).agreements].filter(
      (a) => a.id === 'SZJT-2026-02',
    );
    const before = await runCount();
    const result = await executeGraphQL({
      schema,
      document: parse('mutation { triggerSync(system: TRANSPORT, stream: "vehicles") { alreadyRunning } }'),
      contextValue: { viewer, access: new AccessGrant(viewer, agreements), sql: bookkeepingOf(t.hub), sync: null },
    });
    expect(result.errors?.[0].message).toMatch(/Not granted: triggerSync/);
    expect(await runCount()).toBe(before);
  });

  it('queues one run; a second trigger while it is queued returns the same run', async () => {
    const first = await execute<{ triggerSync: { alreadyRunning: boolean; run: { id: string; status: string; requestedBy: string } } }, unknown>(
      t.hub.graphqlUrl,
      TRIGGER,
      { system: 'MARKET_REGISTRY', stream: 'enterprises', mode: 'FULL' },
      await asAdmin(),
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.triggerSync).toMatchObject({
      alreadyRunning: false,
      run: { status: 'QUEUED', requestedBy: 'suzhou-transport/suzhou-transport-dev-user' },
    });
    const again = await Promise.all(
      [1, 2, 3].map(async () =>
        execute<{ triggerSync: { alreadyRunning: boolean; run: { id: string } } }, unknown>(
          t.hub.graphqlUrl,
          TRIGGER,
          { system: 'MARKET_REGISTRY', stream: 'enterprises', mode: 'FULL' },
          await asAdmin(),
        ),
      ),
    );
    for (const r of again) expect(r.data!.triggerSync).toEqual({ alreadyRunning: true, run: expect.objectContaining({ id: first.data!.triggerSync.run.id }) });
    const { rows } = await t.hub.db.pool.query(`select id from sync_run where system = 'MARKET_REGISTRY' and stream = 'enterprises'`);
    expect(rows).toHaveLength(1);
  });

  it('refuses an unknown stream with BAD_USER_INPUT', async () => {
    const result = await execute(t.hub.graphqlUrl, TRIGGER, { system: 'TRANSPORT', stream: 'spaceships', mode: 'FULL' }, await asAdmin());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'stream' });
    // retryQuarantined too, before anything is released or queued.
    const runsBefore = (await t.hub.db.pool.query('select count(*)::int as n from sync_run')).rows[0].n;
    const retried = await execute(t.hub.graphqlUrl, 'mutation { retryQuarantined(system: TRANSPORT, stream: "spaceships") { released } }', {}, await asAdmin());
    expect(retried.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'stream' });
    expect((await t.hub.db.pool.query('select count(*)::int as n from sync_run')).rows[0].n).toBe(runsBefore);
  });

  it('a worker runs the triggered run; its progress is visible while it runs and it ends SUCCEEDED with an estimate next time', async () => {
    const backend = queueBackend({ redisUrl: null }, t.hub.db.url, 'xietong');
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize: 20 });
    const worker = createSyncWorker(backend, SourceSystem.TRANSPORT, t.hub.db.pool, connector);
    const schedules = backend.createQueue(queueNameOf(SourceSystem.TRANSPORT));
    await schedules.upsertJobScheduler(
      'TRANSPORT:weighings',
      { every: 3_600_000 },
      { name: 'sync', data: { system: 'TRANSPORT', stream: 'weighings', mode: 'INCREMENTAL' } },
    );
    simulator.setFaults({ delayMs: 60 });
    try {
      const triggered = await execute<{ triggerSync: { run: { id: string } } }, unknown>(
        t.hub.graphqlUrl,
        TRIGGER,
        { system: 'TRANSPORT', stream: 'vehicles', mode: 'FULL' },
        await asAdmin(),
      );
      const id = triggered.data!.triggerSync.run.id;
      const seen: Array<{ status: string; batches: number; heartbeatAt: string | null }> = [];
      for (let i = 0; i < 400; i++) {
        const polled = await execute<{ syncRun: { status: string; batches: number; heartbeatAt: string | null } }, unknown>(
          t.hub.graphqlUrl,
          `query($id: ID!) { syncRun(id: $id) { ${RUN_FIELDS} } }`,
          { id },
          await asAdmin(),
        );
        seen.push(polled.data!.syncRun);
        if (polled.data!.syncRun.status === 'SUCCEEDED') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const running = seen.filter((s) => s.status === 'RUNNING');
      expect(running.length).toBeGreaterThan(0);
      expect(running.some((s) => s.batches > 0 && s.heartbeatAt !== null)).toBe(true);
      const final = seen[seen.length - 1] as unknown as { status: string; batches: number; read: number; progress: number };
      expect(final).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
      expect(final.batches).toBe(Math.ceil(t.world.vehicles.length / 20));
      expect(final.read).toBe(t.world.vehicles.length);
      // A second FULL run is estimated from the first.
      const next = await execute<{ triggerSync: { run: { id: string } } }, unknown>(
        t.hub.graphqlUrl,
        TRIGGER,
        { system: 'TRANSPORT', stream: 'vehicles', mode: 'FULL' },
        await asAdmin(),
      );
      let estimated: number | null = null;
      for (let i = 0; i < 400 && estimated === null; i++) {
        const polled = await execute<{ syncRun: { estimatedBatches: number | null } }, unknown>(
          t.hub.graphqlUrl,
          `query($id: ID!) { syncRun(id: $id) { estimatedBatches } }`,
          { id: next.data!.triggerSync.run.id },
          await asAdmin(),
        );
        estimated = polled.data!.syncRun.estimatedBatches;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(estimated).toBe(final.batches);
      const connectors = await execute<
        { connectors: Array<{ system: string; agency: string; streams: Array<{ stream: string; lastRun: { status: string } | null }> }> },
        unknown
      >(
        t.hub.graphqlUrl,
        '{ connectors { system agency needsAttention streams { stream cursor lastSuccessAt lagSeconds nextRunAt needsAttention lastRun { status } currentRun { status } } } }',
        {},
        await asAdmin(),
      );
      expect(connectors.errors).toBeUndefined();
      expect(connectors.data!.connectors.map((c) => c.system).sort()).toEqual(['CHECKPOINT_EXCHANGE', 'CREDIT_PLATFORM', 'MARKET_REGISTRY', 'TRANSPORT']);
      const transport = connectors.data!.connectors.find((c) => c.system === 'TRANSPORT')!;
      expect(transport.agency).toBe('suzhou-transport');
      const vehicles = transport.streams.find((s) => s.stream === 'vehicles') as unknown as { lastRun: { status: string }; cursor: string; lagSeconds: number };
      expect(vehicles.lastRun.status).toBe('SUCCEEDED');
      expect(JSON.parse(vehicles.cursor)).toEqual({ since: expect.any(String) });
      expect(vehicles.lagSeconds).toBeGreaterThanOrEqual(0);
      const weighings = transport.streams.find((s) => s.stream === 'weighings') as unknown as { nextRunAt: string | null };
      expect(Date.parse(weighings.nextRunAt!)).toBeGreaterThan(Date.now());
      expect((vehicles as unknown as { nextRunAt: string | null }).nextRunAt).toBeNull();
    } finally {
      simulator.setFaults({});
      await schedules.removeJobScheduler('TRANSPORT:weighings');
      await schedules.close();
      await worker.close();
    }
  }, 120_000);

  it("the run an operator triggered is carried on by its job's retry after a transient failure, and ends as the sync does", async () => {
    const backend = queueBackend({ redisUrl: null }, t.hub.db.url, 'xietong');
    const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize: 50 });
    const worker = createSyncWorker(backend, SourceSystem.TRANSPORT, t.hub.db.pool, connector);
    // Down for three requests: the first attempt fails after its in-request retries.
    simulator.setFaults({ outage: 3 });
    try {
      const triggered = await execute<{ triggerSync: { run: { id: string } } }, unknown>(
        t.hub.graphqlUrl,
        TRIGGER,
        { system: 'TRANSPORT', stream: 'licences', mode: 'FULL' },
        await asAdmin(),
      );
      const id = triggered.data!.triggerSync.run.id;
      const statuses: string[] = [];
      for (let i = 0; i < 300 && statuses[statuses.length - 1] !== 'SUCCEEDED'; i++) {
        const polled = await execute<{ syncRun: { status: string; read: number } }, unknown>(
          t.hub.graphqlUrl,
          'query($id: ID!) { syncRun(id: $id) { status read } }',
          { id },
          await asAdmin(),
        );
        if (statuses[statuses.length - 1] !== polled.data!.syncRun.status) statuses.push(polled.data!.syncRun.status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(statuses).toContain('FAILED');
      expect(statuses[statuses.length - 1]).toBe('SUCCEEDED');
      expect(simulator.served.serverErrors).toBeGreaterThanOrEqual(3);
      // One run for the whole sync, not one per attempt.
      const { rows } = await t.hub.db.pool.query(`select id::text, status, read from sync_run where stream = 'licences'`);
      expect(rows).toEqual([{ id, status: 'SUCCEEDED', read: t.world.licences.length }]);
    } finally {
      simulator.setFaults({});
      await worker.close();
    }
  }, 60_000);

  it('lists quarantined records with reasons, masks their raw content for operators, and releases them for a retry', async () => {
    await t.hub.db.pool.query(`insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, quarantined_at)
      values ('CREDIT_PLATFORM', 'ratings', 'R-320505199001011234', '{"name":"张小明"}', 'h1', '{"unknown grade code Z"}', now())`);
    const listed = await execute<
      { quarantinedRecords: { totalCount: number; edges: Array<{ node: { sourceId: string; raw: string; reasons: string[] } }> } },
      unknown
    >(
      t.hub.graphqlUrl,
      '{ quarantinedRecords(filter: { system: CREDIT_PLATFORM }) { totalCount edges { node { sourceId raw reasons } } } }',
      {},
      await asAdmin(),
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.quarantinedRecords.totalCount).toBe(1);
    expect(listed.data!.quarantinedRecords.edges[0].node).toEqual({ sourceId: 'R-32**************34', raw: '***', reasons: ['unknown grade code Z'] });
    const retried = await execute<{ retryQuarantined: { released: number; run: { mode: string; status: string } } }, unknown>(
      t.hub.graphqlUrl,
      'mutation { retryQuarantined(system: CREDIT_PLATFORM, stream: "ratings") { released run { mode status } } }',
      {},
      await asAdmin(),
    );
    expect(retried.data!.retryQuarantined).toEqual({ released: 1, run: { mode: 'FULL', status: 'QUEUED' } });
    const after = await execute<{ quarantinedRecords: { totalCount: number } }, unknown>(
      t.hub.graphqlUrl,
      '{ quarantinedRecords(filter: { system: CREDIT_PLATFORM }) { totalCount } }',
      {},
      await asAdmin(),
    );
    expect(after.data!.quarantinedRecords.totalCount).toBe(0);
  });

  it('lists only open entries unless asked: one resolved by its record landing shows with includeResolved and its resolution', async () => {
    await t.hub.db.pool.query(`insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, quarantined_at, resolved_at, resolution)
      values ('MARKET_REGISTRY', 'enterprises', '91320500MA1XXXXX0X', '{}', 'h3', '{"djzt: unknown status"}', now(), now(), 'LANDED')`);
    const query = async (filter: string) =>
      execute<{ quarantinedRecords: { totalCount: number; edges: Array<{ node: { resolution: string | null; resolvedAt: string | null } }> } }, unknown>(
        t.hub.graphqlUrl,
        `{ quarantinedRecords(filter: { system: MARKET_REGISTRY${filter} }) { totalCount edges { node { resolution resolvedAt } } } }`,
        {},
        await asAdmin(),
      );
    expect((await query('')).data!.quarantinedRecords.totalCount).toBe(0);
    const all = await query(', includeResolved: true');
    expect(all.errors).toBeUndefined();
    expect(all.data!.quarantinedRecords.totalCount).toBe(1);
    expect(all.data!.quarantinedRecords.edges[0].node.resolution).toBe('LANDED');
    expect(all.data!.quarantinedRecords.edges[0].node.resolvedAt).not.toBeNull();
  });

  it('with a run of the stream under way, retryQuarantined releases nothing and returns that run', async () => {
    await t.hub.db.pool.query(`insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, quarantined_at)
      values ('CREDIT_PLATFORM', 'listEntries', 'L-1', '{}', 'h2', '{"unknown list type Q"}', now())`);
    const { rows } = await t.hub.db.pool.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, heartbeat_at, status)
      values ('CREDIT_PLATFORM', 'listEntries', 'INCREMENTAL', now(), now(), 'RUNNING') returning id::text`);
    const retried = await execute<{ retryQuarantined: { released: number; alreadyRunning: boolean; run: { id: string } } }, unknown>(
      t.hub.graphqlUrl,
      'mutation { retryQuarantined(system: CREDIT_PLATFORM, stream: "listEntries") { released alreadyRunning run { id } } }',
      {},
      await asAdmin(),
    );
    expect(retried.data!.retryQuarantined).toEqual({ released: 0, alreadyRunning: true, run: { id: rows[0].id } });
    const open = await t.hub.db.pool.query(`select 1 from quarantined_record where stream = 'listEntries' and released_at is null`);
    expect(open.rowCount).toBe(1);
  });

  it('a run queued an hour ago that never started no longer holds the stream', async () => {
    await t.hub.db.pool.query(`insert into sync_run (system, stream, mode, started_at, status)
      values ('MARKET_REGISTRY', 'abnormalOperations', 'FULL', now() - interval '2 hours', 'QUEUED')`);
    const result = await execute<{ triggerSync: { alreadyRunning: boolean; run: { status: string } } }, unknown>(
      t.hub.graphqlUrl,
      TRIGGER,
      { system: 'MARKET_REGISTRY', stream: 'abnormalOperations', mode: 'FULL' },
      await asAdmin(),
    );
    expect(result.data!.triggerSync).toEqual({ alreadyRunning: false, run: expect.objectContaining({ status: 'QUEUED' }) });
    const stale = await t.hub.db.pool.query(`select status, error_class from sync_run where stream = 'abnormalOperations' order by id`);
    expect(stale.rows[0]).toEqual({ status: 'FAILED', error_class: 'QUEUE' });
  });

  it('reports lag behind the source from the last run that read it to the end, not from the last batch committed', async () => {
    // Ids 9999 and 10000: the newest run must be found by number, not by its text ('9999' > '10000').
    await t.hub.db.pool.query(`insert into sync_run (id, system, stream, mode, started_at, finished_at, status) overriding system value values
      (9999, 'MARKET_REGISTRY', 'enterprises', 'INCREMENTAL', now() - interval '10 minutes', now() - interval '9 minutes', 'SUCCEEDED'),
      (10000, 'MARKET_REGISTRY', 'enterprises', 'INCREMENTAL', now() - interval '2 minutes', now() - interval '1 minute', 'FAILED')`);
    // The failed run committed a batch a moment ago: the stream moved, but did not catch up.
    await t.hub.db.pool.query(`insert into sync_stream (system, stream, last_success_at) values ('MARKET_REGISTRY', 'enterprises', now())
      on conflict (system, stream) do update set last_success_at = now()`);
    const result = await execute<
      { connectors: Array<{ system: string; streams: Array<{ stream: string; lagSeconds: number; caughtUpAt: string; lastRun: { status: string } }> }> },
      unknown
    >(t.hub.graphqlUrl, '{ connectors { system streams { stream lagSeconds caughtUpAt lastRun { id status startedAt } } } }', {}, await asAdmin());
    expect(result.errors).toBeUndefined();
    const stream = result.data!.connectors.find((c) => c.system === 'MARKET_REGISTRY')!.streams.find((s) => s.stream === 'enterprises')!;
    expect(stream.lastRun).toMatchObject({ id: '10000', status: 'FAILED' });
    expect(stream.lagSeconds).toBeGreaterThanOrEqual(600);
    expect(stream.lagSeconds).toBeLessThan(700);
    expect(Date.now() - Date.parse(stream.caughtUpAt)).toBeGreaterThanOrEqual(600_000);
    const never = result.data!.connectors.find((c) => c.system === 'CHECKPOINT_EXCHANGE')!.streams.find((s) => s.stream === 'checkpoints')!;
    expect(never).toMatchObject({ lagSeconds: null, caughtUpAt: null });
  });

  it('a run whose worker died is not shown as under way, and the next run of its job or stream closes it', async () => {
    const {
      rows: [dead],
    } = await t.hub.db.pool.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, heartbeat_at, status, batches, job_id)
      values ('CHECKPOINT_EXCHANGE', 'checkpoints', 'INCREMENTAL', now() - interval '20 minutes', now() - interval '10 minutes', 'RUNNING', 3, 'job-a') returning id::text`);
    const {
      rows: [killed],
    } = await t.hub.db.pool.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, heartbeat_at, status, batches, job_id)
      values ('CHECKPOINT_EXCHANGE', 'checkpoints', 'INCREMENTAL', now(), now(), 'RUNNING', 1, 'job-b') returning id::text`);
    const current = async () => {
      const result = await execute<{ connectors: Array<{ system: string; streams: Array<{ stream: string; currentRun: { id: string } | null }> }> }, unknown>(
        t.hub.graphqlUrl,
        '{ connectors { system streams { stream currentRun { id } } } }',
        {},
        await asAdmin(),
      );
      return result.data!.connectors.find((c) => c.system === 'CHECKPOINT_EXCHANGE')!.streams.find((s) => s.stream === 'checkpoints')!.currentRun;
    };
    // The one with a fresh heartbeat may still be running; the silent one is not shown.
    expect(await current()).toEqual({ id: killed.id });
    const nothing: Connector = {
      system: 'CHECKPOINT_EXCHANGE',
      streams: ['checkpoints'],
      reportsDeletions: false,
      check: async () => undefined,
      close: async () => undefined,
      async *read() {
        /* no rows */
      },
    };
    // The retry of job-b: its run was cut short by a kill.
    const run = await runStream({
      pool: t.hub.db.pool,
      connector: nothing,
      ref: { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'checkpoints' },
      target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'checkpoints')!,
      mode: 'INCREMENTAL',
      jobId: 'job-b',
    });
    expect(run.status).toBe('SUCCEEDED');
    const { rows } = await t.hub.db.pool.query<{ id: string; status: string; error_message: string | null }>(
      `select id::text, status, error_message from sync_run where id = any($1::bigint[]) order by id`,
      [[dead.id, killed.id]],
    );
    expect(rows.map((r) => r.status)).toEqual(['FAILED', 'FAILED']);
    expect(rows[1].error_message).toMatch(/^stopped without finishing/);
    expect(await current()).toBeNull();
  });

  it('a retry never shares a run that may still be running: it opens its own, and names it in the one it closes', async () => {
    const {
      rows: [alive],
    } = await t.hub.db.pool.query<{ id: string }>(`insert into sync_run (system, stream, mode, started_at, heartbeat_at, status, requested_by, job_id)
      values ('CHECKPOINT_EXCHANGE', 'checkpoints', 'INCREMENTAL', now(), now(), 'RUNNING', 'suzhou-transport/admin', 'run-job-1') returning id::text`);
    const nothing: Connector = {
      system: 'CHECKPOINT_EXCHANGE',
      streams: ['checkpoints'],
      reportsDeletions: false,
      check: async () => undefined,
      close: async () => undefined,
      async *read() {
        /* no rows */
      },
    };
    const retry = await runStream({
      pool: t.hub.db.pool,
      connector: nothing,
      ref: { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'checkpoints' },
      target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'checkpoints')!,
      mode: 'INCREMENTAL',
      queuedRunId: Number(alive.id),
      jobId: 'run-job-1',
    });
    expect(String(retry.runId)).not.toBe(alive.id);
    const {
      rows: [closed],
    } = await t.hub.db.pool.query('select status, error_message from sync_run where id = $1', [alive.id]);
    expect(closed).toEqual({
      status: 'FAILED',
      error_message: `stopped without finishing (its worker was killed or lost); run ${retry.runId} went on from its last batch`,
    });
  });

  it('pages sync runs newest first with a stable cursor', async () => {
    const all = await execute<{ syncRuns: { totalCount: number; edges: Array<{ node: { id: string } }> } }, unknown>(
      t.hub.graphqlUrl,
      '{ syncRuns(first: 500) { totalCount edges { node { id } } } }',
      {},
      await asAdmin(),
    );
    const ids = all.data!.syncRuns.edges.map((e) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.data!.syncRuns.totalCount).toBe(ids.length);
    const first = await execute<{ syncRuns: { pageInfo: { endCursor: string } } }, unknown>(
      t.hub.graphqlUrl,
      '{ syncRuns(first: 1) { pageInfo { endCursor } } }',
      {},
      await asAdmin(),
    );
    const second = await execute<{ syncRuns: { edges: Array<{ node: { id: string } }> } }, unknown>(
      t.hub.graphqlUrl,
      'query($after: String) { syncRuns(first: 1, after: $after) { edges { node { id } } } }',
      { after: first.data!.syncRuns.pageInfo.endCursor },
      await asAdmin(),
    );
    expect(Number(second.data!.syncRuns.edges[0].node.id)).toBe(ids[1]);
  });
});

describe("the connectors query's runs", () => {
  it("finds each stream's newest finished, successful and under-way runs without reading its run history", async () => {
    const pool = t.hub.db.pool;
    // A long history (never analysed), its newest runs: a success, a failure after it, a queued run on
    // top. Numbered past the runs other tests numbered themselves (10000).
    await pool.query(`insert into sync_run (id, system, stream, mode, started_at, finished_at, status) overriding system value
      select 100000 + i, 'TRANSPORT', 'history', 'INCREMENTAL', now() - make_interval(mins => 6000 - i), now(), case when i % 5 = 0 then 'FAILED' else 'SUCCEEDED' end
      from generate_series(1, 5000) i`);
    await pool.query(`insert into sync_run (id, system, stream, mode, started_at, finished_at, status) overriding system value values
      (200001, 'TRANSPORT', 'history', 'INCREMENTAL', now(), now(), 'SUCCEEDED'), (200002, 'TRANSPORT', 'history', 'INCREMENTAL', now(), now(), 'FAILED')`);
    await pool.query(`insert into sync_run (id, system, stream, mode, started_at, status) overriding system value
      values (200003, 'TRANSPORT', 'history', 'INCREMENTAL', now(), 'QUEUED')`);
    try {
      // What the statement reads of the run history: by index, no scan of it.
      const scans = await scansMade(t.hub.db.url, 'sync_run', async (client) => {
        const { rows } = await client.query<{ kind: string; id: string; stream: string }>(LATEST_RUNS);
        const history = Object.fromEntries(rows.filter((r) => r.stream === 'history').map((r) => [r.kind, r.id]));
        expect(history).toEqual({ last: '200002', complete: '200001', current: '200003' });
      });
      expect(scans.seq).toBe(0);
    } finally {
      // Its runs and its stream's kept row gone, the stream is gone from the sync health too.
      await pool.query("delete from sync_run where stream = 'history'");
      await pool.query("delete from sync_stream_written where stream = 'history'");
    }
  });
});
