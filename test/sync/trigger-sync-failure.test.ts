import net from 'node:net';
import { Pool } from 'pg';
import { startHub, type Hub } from '../../src/app';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import type { Logger } from '../../src/logger';
import { queueBackend } from '../../src/sync/queue-backend';
import { SyncControl } from '../../src/sync/operator';
import { queueNameOf } from '../../src/sync/sync-job';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import { testLogger, type LoggedEntry } from '../support/test-logger';

/**
 * `triggerSync` when the queue refuses the job, on real backends made to fail: the hub's own
 * PostgreSQL queue (schema `xietong`, the default queue prefix) with its job table renamed away by
 * the tables' owner, or its first connection refused; a Redis that is down (a relay to the real
 * one, taken down and brought back). The run it queued must end FAILED, the caller must get a
 * masked typed error promptly, and the stream must not stay blocked once the queue works again.
 */

const redisUrl = loadConfig().redisUrl;

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };
const QUEUE_SCHEMA = 'xietong';
const TRIGGER = `mutation Trigger($system: SourceSystem!, $stream: String!, $mode: SyncMode!) {
  triggerSync(system: $system, stream: $stream, mode: $mode) { alreadyRunning run { id status errorClass errorMessage } } }`;

interface Triggered {
  triggerSync: { alreadyRunning: boolean; run: { id: string; status: string; errorClass: string | null; errorMessage: string | null } };
}

let t: TestHub;
/** The tables' owner (the hub's queue connections can be broken only from outside). */
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('trigger_sync_failure');
  owner = new Pool({ connectionString: t.hub.db.url, max: 2 });
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const trigger = async (system: string, stream: string, mode: 'FULL' | 'INCREMENTAL', hub: Hub = t.hub) =>
  execute<Triggered, unknown>(hub.graphqlUrl, TRIGGER, { system, stream, mode }, await t.headersAs(ADMIN));

/** The typed refusal: what could not be queued, nothing about why (that goes to the hub's log). */
const REFUSED = (system: string, stream: string, field = 'triggerSync') => [
  {
    message: `The run of ${system}/${stream} could not be queued; try again once the queue is back`,
    path: [field],
    locations: expect.any(Array),
    extensions: { code: 'QUEUE_UNAVAILABLE', system, stream, runId: expect.any(String) },
  },
];

/** A second hub on the test hub's database whose triggers go to `sync`'s queues; its log is kept. */
async function hubWith(syncOf: (logger: Logger) => SyncControl): Promise<{ hub: Hub; logged: LoggedEntry[]; sync: SyncControl }> {
  const config = loadConfig({ DATABASE_URL: t.hub.db.url, PORT: '0', LOG_LEVEL: 'error' });
  const { logger, logged } = testLogger();
  const sync = syncOf(logger);
  return { hub: await startHub(config, logger, t.hub.db, { sync }), logged, sync };
}

/** A TCP relay to the real Redis on a port of its own, which can be taken down and brought back. */
async function redisRelay(target: URL) {
  const listenOn = (server: net.Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const probe = net.createServer();
  await listenOn(probe, 0);
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    async up() {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => {
            client.destroy();
            upstream.destroy();
            sockets.delete(socket);
          });
        }
        client.pipe(upstream).pipe(client);
      });
      await listenOn(server, port);
    },
    async down() {
      for (const socket of sockets) socket.destroy();
      if (server) await new Promise((resolve) => server!.close(resolve));
      server = null;
    },
  };
}

async function runsOf(system: string, stream: string) {
  const { rows } = await t.hub.db.pool.query<{ id: string; status: string; error_class: string | null; error_message: string | null; finished: boolean }>(
    `select id::text, status, error_class, error_message, finished_at is not null as finished from sync_run
      where system = $1 and stream = $2 order by id`,
    [system, stream],
  );
  return rows;
}

describe('triggerSync when the queue refuses the job', () => {
  it('marks the run FAILED, answers a typed QUEUE_UNAVAILABLE, keeps quarantined records in quarantine, and a later trigger queues a new run', async () => {
    // A first trigger on the system brings its queue (and BullMQ's schema) up.
    const first = await trigger('TRANSPORT', 'weighings', 'INCREMENTAL');
    expect(first.errors).toBeUndefined();
    expect(first.data!.triggerSync).toMatchObject({ alreadyRunning: false, run: { status: 'QUEUED' } });
    const {
      rows: [{ job }],
    } = await owner.query<{ job: string | null }>('select to_regclass($1)::text as job', [`${QUEUE_SCHEMA}.job`]);
    expect(job).toBe(`${QUEUE_SCHEMA}.job`);

    const loggedBefore = t.logged.length;
    await owner.query(`alter table ${QUEUE_SCHEMA}.job rename to job_off`);
    let refusedIds: string[];
    try {
      const refused = await trigger('TRANSPORT', 'vehicles', 'FULL');
      // A typed error naming what could not be queued: no SQL, no stack, no driver text.
      expect(refused.errors).toEqual(REFUSED('TRANSPORT', 'vehicles'));
      expect(refused.data ?? null).toBeNull();
      expect(refused.raw).not.toMatch(/relation|job_off|sync_run|xietong\.|add_job|stacktrace|\bat .+\.(js|ts):\d+/i);
      // The cause is in the hub's log for operators.
      expect(
        t.logged
          .slice(loggedBefore)
          .some(
            (entry) =>
              entry.msg === 'sync run could not be queued' &&
              entry.system === 'TRANSPORT' &&
              entry.stream === 'vehicles' &&
              entry.err?.message.includes('relation "job" does not exist'),
          ),
      ).toBe(true);

      // The run it had queued is FAILED at once, with the queue named as the cause: nothing is left QUEUED.
      expect(await runsOf('TRANSPORT', 'vehicles')).toEqual([
        { id: expect.any(String), status: 'FAILED', error_class: 'QUEUE', error_message: 'the run could not be queued', finished: true },
      ]);
      // Operators see it as the stream's last run, and no run under way.
      const connectors = await execute<
        { connectors: Array<{ system: string; streams: Array<{ stream: string; lastRun: unknown; currentRun: unknown }> }> },
        unknown
      >(
        t.hub.graphqlUrl,
        '{ connectors { system streams { stream lastRun { status errorClass errorMessage } currentRun { id } } } }',
        {},
        await t.headersAs(ADMIN),
      );
      expect(connectors.errors).toBeUndefined();
      const vehicles = connectors.data!.connectors.find((c) => c.system === 'TRANSPORT')!.streams.find((s) => s.stream === 'vehicles');
      expect(vehicles).toEqual({
        stream: 'vehicles',
        lastRun: { status: 'FAILED', errorClass: 'QUEUE', errorMessage: 'the run could not be queued' },
        currentRun: null,
      });

      // Still refused: a second try fails the same way instead of returning the failed run as under way.
      const again = await trigger('TRANSPORT', 'vehicles', 'FULL');
      expect(again.errors?.map((e) => e.extensions?.code)).toEqual(['QUEUE_UNAVAILABLE']);
      const failed = await runsOf('TRANSPORT', 'vehicles');
      expect(failed.map((r) => [r.status, r.error_class])).toEqual([
        ['FAILED', 'QUEUE'],
        ['FAILED', 'QUEUE'],
      ]);
      refusedIds = failed.map((r) => r.id);

      // retryQuarantined releases records only for the FULL run that reads them again: refused, they stay in quarantine.
      await t.hub.db.pool.query(`insert into quarantined_record (system, stream, source_id, raw, raw_hash, reasons, quarantined_at)
        values ('TRANSPORT', 'licences', 'L-REFUSED-1', '{}', 'h-refused', '{"validTo: 2026-02-30"}', now())`);
      const retried = await execute<unknown, unknown>(
        t.hub.graphqlUrl,
        'mutation { retryQuarantined(system: TRANSPORT, stream: "licences") { released } }',
        {},
        await t.headersAs(ADMIN),
      );
      expect(retried.errors).toEqual(REFUSED('TRANSPORT', 'licences', 'retryQuarantined'));
      const { rows: open } = await t.hub.db.pool.query(`select 1 from quarantined_record where source_id = 'L-REFUSED-1'
        and released_at is null and resolved_at is null`);
      expect(open).toHaveLength(1);
      refusedIds.push(...(await runsOf('TRANSPORT', 'licences')).map((r) => r.id));
    } finally {
      await owner.query(`alter table ${QUEUE_SCHEMA}.job_off rename to job`);
    }

    // The queue works again: the stream is not blocked, a new run is queued and its job is in the queue.
    const later = await trigger('TRANSPORT', 'vehicles', 'FULL');
    expect(later.errors).toBeUndefined();
    expect(later.data!.triggerSync).toEqual({ alreadyRunning: false, run: { id: expect.any(String), status: 'QUEUED', errorClass: null, errorMessage: null } });
    const newId = later.data!.triggerSync.run.id;
    expect(refusedIds).not.toContain(newId);
    expect(Number(newId)).toBeGreaterThan(Math.max(...refusedIds.map(Number)));
    const queue = queueBackend({ redisUrl: null }, t.hub.db.url, QUEUE_SCHEMA).createQueue(queueNameOf(SourceSystem.TRANSPORT));
    try {
      const job = await queue.getJob(`run-${newId}`);
      expect(job?.data).toEqual({ system: 'TRANSPORT', stream: 'vehicles', mode: 'FULL', runId: Number(newId) });
      // The refused runs left no job behind that a worker could pick up.
      for (const id of refusedIds) expect(await queue.getJob(`run-${id}`)).toBeFalsy();
    } finally {
      await queue.close();
    }
  });

  it('a queue whose first connection failed is not kept: once the backend is fine again, a trigger queues', async () => {
    const backend = queueBackend({ redisUrl: null }, t.hub.db.url, QUEUE_SCHEMA);
    // BullMQ's schema is there (its ledger too), as any hub that queued once leaves it.
    const bootstrap = backend.createQueue('bootstrap');
    await bootstrap.waitUntilReady();
    await bootstrap.close();
    const { hub, logged, sync } = await hubWith((logger) => new SyncControl(t.hub.db.pool, backend, { logger }));
    try {
      // The first connection of this hub's MARKET_REGISTRY queue fails: its schema's ledger names a
      // BullMQ newer than the hub's, which BullMQ refuses when it connects.
      await owner.query(`insert into ${QUEUE_SCHEMA}.migration (version, name, min_client_version) values (999999, 'from a newer BullMQ', 999)`);
      try {
        const refused = await trigger('MARKET_REGISTRY', 'enterprises', 'FULL', hub);
        expect(refused.errors).toEqual(REFUSED('MARKET_REGISTRY', 'enterprises'));
        expect(logged.some((entry) => entry.msg === 'sync run could not be queued' && entry.err?.message.includes('newer'))).toBe(true);
      } finally {
        await owner.query(`delete from ${QUEUE_SCHEMA}.migration where version = 999999`);
      }
      expect((await runsOf('MARKET_REGISTRY', 'enterprises')).map((r) => [r.status, r.error_class])).toEqual([['FAILED', 'QUEUE']]);
      // The backend is fine again: the next trigger queues, without restarting the hub.
      const later = await trigger('MARKET_REGISTRY', 'enterprises', 'FULL', hub);
      expect(later.errors).toBeUndefined();
      expect(later.data!.triggerSync).toMatchObject({ alreadyRunning: false, run: { status: 'QUEUED' } });
    } finally {
      await hub.close();
      await sync.close();
    }
  });

  (redisUrl ? it : it.skip)(
    'with Redis down the trigger is answered at once, its run FAILED; once Redis is back a new run is queued',
    async () => {
      const relay = await redisRelay(new URL(redisUrl!));
      const prefix = `xt_trigger_failure_${process.pid}`;
      // Redis holds commands while it is down rather than refusing them; the hub waits this long.
      const { hub, logged, sync } = await hubWith(
        (logger) => new SyncControl(t.hub.db.pool, queueBackend({ redisUrl: relay.url }, t.hub.db.url, prefix), { queueTimeoutMs: 500, logger }),
      );
      const queue = queueBackend({ redisUrl }, t.hub.db.url, prefix).createQueue(queueNameOf(SourceSystem.CREDIT_PLATFORM));
      try {
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        const refused = await Promise.race([
          trigger('CREDIT_PLATFORM', 'ratings', 'FULL', hub),
          new Promise<'no answer'>((resolve) => {
            timer = setTimeout(() => resolve('no answer'), 10_000);
          }),
        ]).finally(() => clearTimeout(timer));
        if (refused === 'no answer') throw new Error('triggerSync did not answer within 10 s while Redis was down');
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(refused.errors).toEqual(REFUSED('CREDIT_PLATFORM', 'ratings'));
        expect(logged.some((entry) => entry.msg === 'sync run could not be queued' && entry.err?.message.includes('did not answer within 500 ms'))).toBe(true);
        const [failed] = await runsOf('CREDIT_PLATFORM', 'ratings');
        expect(failed).toMatchObject({ status: 'FAILED', error_class: 'QUEUE', error_message: 'the run could not be queued', finished: true });
        // Operators' view of the connectors answers too, only without next scheduled runs.
        const connectors = await execute<
          { connectors: Array<{ system: string; streams: Array<{ stream: string; nextRunAt: string | null; currentRun: unknown }> }> },
          unknown
        >(hub.graphqlUrl, '{ connectors { system streams { stream nextRunAt currentRun { id } } } }', {}, await t.headersAs(ADMIN));
        expect(connectors.errors).toBeUndefined();
        const ratings = connectors.data!.connectors.find((c) => c.system === 'CREDIT_PLATFORM')!.streams.find((s) => s.stream === 'ratings');
        expect(ratings).toEqual({ stream: 'ratings', nextRunAt: null, currentRun: null });

        await relay.up();
        const later = await trigger('CREDIT_PLATFORM', 'ratings', 'FULL', hub);
        expect(later.errors).toBeUndefined();
        expect(later.data!.triggerSync).toMatchObject({ alreadyRunning: false, run: { status: 'QUEUED' } });
        const newId = later.data!.triggerSync.run.id;
        expect((await queue.getJob(`run-${newId}`))?.data).toEqual({ system: 'CREDIT_PLATFORM', stream: 'ratings', mode: 'FULL', runId: Number(newId) });
        // The refused job does not turn up late, once Redis is reachable again (reconnects retry within 2 s).
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect(await queue.getJob(`run-${failed.id}`)).toBeFalsy();
      } finally {
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        await hub.close();
        await sync.close();
        await relay.down();
      }
    },
    30_000,
  );
});
