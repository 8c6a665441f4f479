import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf } from '../../src/sync/sync-job';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';
import { ownerPool } from '../support/owner-pool';
import { runXietong } from '../support/run-xietong';
import { announceWorld, runLogOf } from '../support/test-logger';

const WORKER = path.join(projectRoot, 'dist/src/worker.js');
const world = generateWorld({ seed: 51, size: 0.01 });
const redisUrl = loadConfig().redisUrl;

let db: Database;
let simulator: TransportSimulator;

// Schedules are registered once per deployment: here by the first worker (--schedule); the workers
// restarted after each kill only work the queues.
function startWorker(schedule = false): ChildProcess {
  const child = spawn(process.execPath, [WORKER, ...(schedule ? ['--schedule'] : [])], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      // Every run and batch, into the run log that the end of the test run scans for personal data.
      LOG_LEVEL: 'debug',
      SYNC_INTERVAL_SECONDS: '5',
      QUEUE_PREFIX: `xt_worker_${process.pid}`,
      TRANSPORT_API_URL: simulator.url,
      TRANSPORT_API_TOKEN: simulator.token,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runLogOf(child.stderr!);
  return child;
}

async function hashes(table: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${table} where deleted_at is null`);
  return rows.map((r) => r.h).sort();
}

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('timed out waiting');
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('worker') }), entityModelOf(HUB_DOMAINS));
  // Small pages, so every run is many batches and a kill can land between two commits.
  simulator = await startTransportSimulator(world, { maxPageSize: 20 });
  announceWorld(world.options);
});
afterAll(async () => {
  await simulator?.close();
  await db?.close();
  await dropDatabase(db.url);
});

describe('npm run worker', () => {
  it('syncs on its schedules and stops cleanly on SIGTERM', async () => {
    const worker = startWorker(true);
    try {
      const expected = world.vehicles.map((v) => contentHash(v)).sort();
      await waitFor(async () => (await hashes('vehicle')).length === expected.length, 60);
      expect(await hashes('vehicle')).toEqual(expected);
      worker.kill('SIGTERM');
      expect(await exited(worker)).toBe(0);
    } finally {
      worker.kill('SIGKILL');
    }
  }, 90_000);

  it('killed with SIGKILL again and again mid-sync, then left to run, ends equal to the source', async () => {
    const owner = ownerPool(db.url);
    await owner.query('truncate practitioner, enforcement_case, weighing, operator_licence, vehicle; delete from sync_stream');
    await owner.end();
    simulator.setFaults({ delayMs: 250 });
    const expected: Record<string, string[]> = {
      weighing: world.weighings.map((r) => contentHash(r)).sort(),
      practitioner: world.practitioners.map((r) => contentHash(r)).sort(),
      vehicle: world.vehicles.map((r) => contentHash(r)).sort(),
      operator_licence: world.licences.map((r) => contentHash(r)).sort(),
      enforcement_case: world.enforcementCases.map((r) => contentHash(r)).sort(),
    };
    const converged = async () => {
      for (const [table, want] of Object.entries(expected)) if ((await hashes(table)).length !== want.length) return false;
      return true;
    };
    try {
      for (let kill = 0; kill < 5; kill++) {
        const [{ last }] = (await db.pool.query<{ last: string }>('select coalesce(max(id), 0)::text as last from sync_run')).rows;
        const worker = startWorker();
        // Kill once a run of this worker has committed a batch (each source page takes 250 ms), at a
        // varying point after it: between two committed batches of a run.
        const running = async () => (await db.pool.query(`select 1 from sync_run where id > $1 and status = 'RUNNING' and batches > 0`, [last])).rowCount! > 0;
        // A killed run's job is retried once BullMQ sees it stalled (its lock lapses after 30 s).
        await waitFor(running, 120);
        await new Promise((resolve) => setTimeout(resolve, (kill * 7919) % 200));
        worker.kill('SIGKILL');
        await exited(worker);
      }
      // Runs cut short by a kill, after committing part of their batches: the kills did land
      // mid-sync. Each is left RUNNING until its job's retry closes it (a kill can also catch a
      // short run just as it ends).
      const cutShort = `batches > 0 and (status = 'RUNNING' or error_message like 'stopped without finishing%')`;
      const cut = await db.pool.query<{ n: number }>(`select count(*)::int as n from sync_run where ${cutShort}`);
      expect(cut.rows[0].n).toBeGreaterThan(0);
      const worker = startWorker();
      try {
        await waitFor(converged, 120);
        for (const [table, want] of Object.entries(expected)) expect(await hashes(table)).toEqual(want);
        // A killed job is retried once BullMQ sees it stalled (within about 30 s); the retry closes
        // the run the kill left behind, so it is not shown as under way for ever.
        await waitFor(
          async () =>
            (
              await db.pool.query<{ n: number }>(`select count(*)::int as n from sync_run
          where batches > 0 and status = 'FAILED' and error_message like 'stopped without finishing%'`)
            ).rows[0].n > 0,
          90,
        );
      } finally {
        worker.kill('SIGKILL');
      }
    } finally {
      simulator.setFaults({});
    }
  }, 600_000);

  it('xietong sync schedules (npm run sync:schedules) registers a schedule per configured stream and removes the rest', async () => {
    const run = async (env: Record<string, string>, ...args: string[]) => {
      const result = await runXietong(['sync', 'schedules', ...args], {
        DATABASE_URL: db.url,
        QUEUE_PREFIX: `xt_sched_${process.pid}`,
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
        ...env,
      });
      if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.err}`);
      return result.out;
    };
    expect(await run({ TRANSPORT_API_URL: simulator.url, TRANSPORT_API_TOKEN: simulator.token })).toBe(
      'registered 5 stream schedules every 300 s and 0 nightly reconciliations (03:00 Asia/Shanghai)',
    );
    expect(JSON.parse(await run({ REGISTRY_API_URL: 'http://127.0.0.1:9' }, '--json'))).toEqual({ incremental: 2, reconciliations: 2, everySeconds: 300 });
    const backend = queueBackend({ redisUrl }, db.url, `xt_sched_${process.pid}`);
    const transport = backend.createQueue(queueNameOf(SourceSystem.TRANSPORT));
    const registry = backend.createQueue(queueNameOf(SourceSystem.MARKET_REGISTRY));
    try {
      expect(await transport.getJobSchedulers()).toEqual([]);
      // The registry reports no deletions: each record stream also gets a nightly FULL run.
      const schedulers = await registry.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([
        'MARKET_REGISTRY:abnormalOperations',
        'MARKET_REGISTRY:abnormalOperations:reconcile',
        'MARKET_REGISTRY:enterprises',
        'MARKET_REGISTRY:enterprises:reconcile',
      ]);
      const nightly = schedulers.find((s) => s.key === 'MARKET_REGISTRY:enterprises:reconcile')!;
      expect(nightly).toMatchObject({ pattern: '0 3 * * *', tz: 'Asia/Shanghai' });
      expect(new Date(nightly.next!).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })).toBe('03:00');
    } finally {
      await transport.close();
      await registry.close();
    }
  }, 60_000);
});
