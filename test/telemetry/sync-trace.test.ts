import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { execute } from '../support/graphql-client';
import { startNodeProcess } from '../support/node-process';
import {
  descendantsOf,
  exportedOf,
  OTLP_SPAN_KIND,
  personalValuesOf,
  startOtlpReceiver,
  statementOf,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../support/otlp-receiver';
import { freshDatabaseUrl } from '../support/test-database';

/**
 * A sync job's trace, as the processes export it: it starts where the job was queued (an
 * operator's trigger in the hub, a schedule's registration by the command line) and continues in
 * the worker process, through the run, to every batch commit and the SQL of each.
 */

const world = generateWorld({ seed: 53, size: 0.01 });
const config = loadConfig({});
let db: Database;
let simulator: TransportSimulator;
let receiver: OtlpReceiver;

/** What the hub and its worker share: database, queues, and the collector they export to. */
const env = () => ({
  DATABASE_URL: db.url,
  LOG_LEVEL: 'error',
  QUEUE_PREFIX: `xt_sync_trace_${process.pid}`,
  ...(loadConfig().redisUrl ? { REDIS_URL: loadConfig().redisUrl! } : {}),
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
});
const workerEnv = () => ({ ...env(), TRANSPORT_API_URL: simulator.url, TRANSPORT_API_TOKEN: simulator.token });

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('sync_trace') }), entityModelOf(HUB_DOMAINS));
  // Small pages: every run is several batches.
  simulator = await startTransportSimulator(world, { maxPageSize: 20 });
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await simulator?.close();
  await db?.close();
  await dropDatabase(db.url);
});

async function waitFor<T>(find: () => Promise<T | undefined>, seconds: number): Promise<T> {
  for (let i = 0; i < seconds * 4; i++) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('timed out waiting');
}

const succeededRun = (where: string, params: unknown[]) =>
  db.pool
    .query<{ id: string; batches: number }>(`select id::text, batches from sync_run where status = 'SUCCEEDED' and ${where} order by id limit 1`, params)
    .then(({ rows }) => rows[0]);

/** The spans of one run: its own, its batch commits, and where its trace came from. */
function runSpans(runId: string) {
  const spans = receiver.spans();
  const ofRun = (name: string) => spans.filter((s) => s.name === name && String(s.attributes['sync.run_id']) === runId);
  const [run] = ofRun('sync.run');
  expect(run).toMatchObject({ service: 'xietong-worker', kind: OTLP_SPAN_KIND.CONSUMER });
  return { spans, run, commits: ofRun('sync.batch.commit'), parent: spans.find((s) => s.spanId === run.parentSpanId) };
}

/** Every batch commit is a child of the run, in its trace, with the batch's SQL beneath it. */
function expectCommitsOf(run: ReceivedSpan, commits: ReceivedSpan[], batches: number, spans: ReceivedSpan[]) {
  expect(batches).toBeGreaterThan(1);
  expect(commits).toHaveLength(batches);
  for (const commit of commits) {
    expect(commit).toMatchObject({ traceId: run.traceId, parentSpanId: run.spanId });
    const sql = descendantsOf(commit, spans).map(statementOf);
    expect(sql).toContain('begin');
    expect(sql).toContain('commit');
  }
}

describe('a sync job, traced', () => {
  it("an operator's triggered run continues the trigger's trace, in the worker process, to every batch commit", async () => {
    const hub = startNodeProcess('src/main.js', [], { ...env(), PORT: '0' });
    const worker = startNodeProcess('src/worker.js', [], workerEnv());
    try {
      const [, graphqlUrl] = await hub.waitForOutput(/GraphQL at (\S+) /);
      await worker.waitForOutput(/sync workers running/);
      const token = await mintDevToken(config.dataDir, loadAgencies(config.agreementsFile), { agency: 'suzhou-transport', roles: ['administrator'] });
      const triggered = await execute<{ triggerSync: { run: { id: string } } }, unknown>(
        graphqlUrl,
        'mutation { triggerSync(system: TRANSPORT, stream: "vehicles", mode: FULL) { run { id } } }',
        {},
        { authorization: `Bearer ${token}`, 'x-purpose': 'hub-operations' },
      );
      expect(triggered.errors).toBeUndefined();
      const runId = triggered.data!.triggerSync.run.id;
      const { batches } = await waitFor(() => succeededRun('id = $1', [runId]), 60);
      // Shutting down exports what each process still holds.
      expect(await worker.stop()).toBe(0);
      expect(await hub.stop()).toBe(0);

      const { spans, run, commits, parent } = runSpans(runId);
      expect(parent).toMatchObject({ name: 'sync.trigger', service: 'xietong-hub', kind: OTLP_SPAN_KIND.PRODUCER, traceId: run.traceId });
      expect(parent!.attributes).toMatchObject({ 'sync.system': 'TRANSPORT', 'sync.stream': 'vehicles', 'sync.mode': 'FULL', 'sync.run_id': Number(runId) });
      // The trigger is part of the operator's request: one trace from the HTTP request to the last commit.
      const [request] = spans.filter((s) => s.traceId === run.traceId && s.parentSpanId === null);
      expect(request).toMatchObject({ service: 'xietong-hub', kind: OTLP_SPAN_KIND.SERVER });
      expect(descendantsOf(request, spans)).toEqual(expect.arrayContaining([parent, run, ...commits]));
      expectCommitsOf(run, commits, batches, spans);
    } finally {
      hub.child.kill('SIGKILL');
      worker.child.kill('SIGKILL');
    }
  }, 120_000);

  it("a scheduled run starts a trace of its own, linked to its schedule's registration (npm run sync:schedules), in the worker process", async () => {
    const schedules = startNodeProcess('src/cli/xietong.js', ['sync', 'schedules'], { ...workerEnv(), SYNC_INTERVAL_SECONDS: '5' });
    expect(await schedules.exited).toBe(0);
    const worker = startNodeProcess('src/worker.js', [], workerEnv());
    try {
      const { id, batches } = await waitFor(() => succeededRun(`stream = 'practitioners' and batches > 0`, []), 60);
      // The schedule queues the next run five seconds on.
      const next = await waitFor(() => succeededRun(`stream = 'practitioners' and id > $1`, [id]), 60);
      expect(await worker.stop()).toBe(0);

      const { spans, run, commits, parent } = runSpans(id);
      expect(parent).toBeUndefined();
      expect(run.parentSpanId).toBeNull();
      const [link] = run.links;
      expect(run.links).toHaveLength(1);
      const registration = spans.find((s) => s.spanId === link.spanId && s.traceId === link.traceId);
      expect(registration).toMatchObject({ name: 'sync.schedule', service: 'xietong-sync-schedules', kind: OTLP_SPAN_KIND.PRODUCER, parentSpanId: null });
      expect(registration!.attributes).toMatchObject({ 'sync.system': 'TRANSPORT', 'sync.stream': 'practitioners', 'sync.mode': 'INCREMENTAL' });
      expect(registration!.traceId).not.toBe(run.traceId);
      // Two runs of one schedule are two traces.
      const second = runSpans(next.id).run;
      expect(second.traceId).not.toBe(run.traceId);
      expect(second.links).toEqual(run.links);
      expectCommitsOf(run, commits, batches, spans);
    } finally {
      worker.child.kill('SIGKILL');
    }
  }, 120_000);

  it('exports no personal value of the records synced', () => {
    expect(receiver.spans().some((s) => s.name === 'sync.batch.commit')).toBe(true);
    expect(exportedOf(receiver, personalValuesOf(world))).toEqual([]);
  });
});
