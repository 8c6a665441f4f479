import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { commitInTransaction } from '../../src/sync/commit-batch';
import { commitCaptureBatch } from '../../src/sync/commit-capture-batch';
import { queueBackend } from '../../src/sync/queue-backend';
import { queueNameOf, type SyncJobData } from '../../src/sync/sync-job';
import { createSyncWorker } from '../../src/sync/sync-worker';
import { TransportConnector } from '../../connectors/transport';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';
import { ownerPool } from '../support/owner-pool';

/**
 * The rollups are kept by the writes themselves, in the batch's transaction: after sync runs under
 * faults (server errors, rows repeated across pages, malformed records), source updates and
 * deletions, a batch that fails half-way and two runners of the same capture batch, the rollups
 * equal what they would be rebuilt from scratch (`<rollup>_fresh`, the GROUP BY of the base rows).
 */

const world = generateWorld({ seed: 43, size: 0.01 });
const ROLLUPS = ['case_rollup', 'weighing_rollup', 'capture_rollup'] as const;

let db: Database;
let simulator: TransportSimulator;

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('rollups') }), entityModelOf(HUB_DOMAINS));
  simulator = await startTransportSimulator(world);
});
afterAll(async () => {
  await simulator?.close();
  await db?.close();
  await dropDatabase(db.url);
});

async function runJob(stream: string, pageSize: number): Promise<void> {
  const connector = new TransportConnector({ baseUrl: simulator.url, token: simulator.token, pageSize });
  const backend = queueBackend({ redisUrl: null }, db.url, `xt_rollups_${stream}_${process.pid}`);
  const queue = backend.createQueue<SyncJobData>(queueNameOf(SourceSystem.TRANSPORT));
  const worker = createSyncWorker(backend, SourceSystem.TRANSPORT, db.pool, connector);
  try {
    const job = await queue.add(
      'sync',
      { system: SourceSystem.TRANSPORT, stream, mode: 'INCREMENTAL' },
      { attempts: 30, backoff: { type: 'fixed', delay: 20 } },
    );
    await new Promise<void>((resolve, reject) => {
      worker.on('completed', (j) => {
        if (j?.id === job.id) resolve();
      });
      worker.on('failed', (j, e) => {
        if (j && j.id === job.id && j.attemptsMade >= 30) reject(e);
      });
    });
  } finally {
    simulator.setFaults({});
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** Rows in which the maintained rollup and its rebuild from scratch differ, both ways. */
async function drift(table: (typeof ROLLUPS)[number]): Promise<unknown[]> {
  const { rows } = await db.pool.query(
    `(select 'kept' as side, * from ${table} except select 'kept', * from ${table}_fresh)
     union all (select 'rebuilt', * from ${table}_fresh except select 'rebuilt', * from ${table})`,
  );
  return rows;
}

async function rowsOf(table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(rows[0].n);
}

describe('rollups kept by the sync', () => {
  it('equal a rebuild from scratch after faulted runs, changes, deletions and a failed batch', async () => {
    simulator.setFaults({
      serverErrorEvery: 3,
      repeatAcrossPages: true,
      malformed: simulator
        .records('weighings')
        .slice(2, 4)
        .map((r) => r.id),
    });
    await runJob('weighings', 17);
    simulator.setFaults({ serverErrorEvery: 4, repeatAcrossPages: true });
    await runJob('enforcementCases', 7);
    expect(await rowsOf('case_rollup')).toBeGreaterThan(0);
    expect(await rowsOf('weighing_rollup')).toBeGreaterThan(0);

    // Changes at the source that move records between groups, and deletions, in the next runs.
    const [c1, c2] = simulator.records('enforcementCases');
    simulator.update('enforcementCases', c1.id, { divisionCode: '320508', violationCode: 'T9999', penaltyAmountYuan: 1234 }, '2026-12-01T10:00:00+08:00');
    simulator.remove('enforcementCases', c2.id, '2026-12-01T10:00:01+08:00');
    const [w1, w2] = simulator.records('weighings');
    simulator.update('weighings', w1.id, { overloadKg: 9000, overloadRatio: 0.9, axleCount: 6 }, '2026-12-01T10:00:00+08:00');
    simulator.remove('weighings', w2.id, '2026-12-01T10:00:01+08:00');
    simulator.setFaults({ serverErrorEvery: 2 });
    await runJob('enforcementCases', 5);
    await runJob('weighings', 50);

    // A batch that writes its rows and then fails: the rows and their rollup roll back together.
    const before = await db.pool.query('select * from case_rollup order by 1, 2, 3, 4');
    const extra = world.enforcementCases.slice(0, 5).map((c) => ({ ...c, caseNumber: `${c.caseNumber}X`, updatedAt: '2026-12-02T00:00:00+08:00' }));
    await expect(
      commitInTransaction(
        db.pool,
        { system: SourceSystem.TRANSPORT, stream: 'rollup-fault' },
        { quarantine: [], cursor: 1, expectedVersion: 0, runId: null },
        async (client, at) => {
          await upsertRecords(client, RECORD_TABLES.enforcementCase, extra, at);
          throw new Error('the connection dropped mid-batch');
        },
      ),
    ).rejects.toThrow('mid-batch');
    expect((await db.pool.query('select * from case_rollup order by 1, 2, 3, 4')).rows).toEqual(before.rows);

    // Two runners of one capture batch: exactly one commits, its captures counted once.
    const captures: CaptureRecord[] = [...world.captures()].flat().slice(0, 400);
    const ref = { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'rollup-captures' };
    const batch = { captures, quarantine: [], cursor: { serial: 400 }, expectedVersion: 0, runId: null };
    const outcomes = await Promise.allSettled([commitCaptureBatch(db.pool, ref, batch), commitCaptureBatch(db.pool, ref, batch)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    // A replayed look-back batch (its captures seen before, plus new ones) adds only the new.
    await commitCaptureBatch(db.pool, ref, { ...batch, captures: [...world.captures()].flat().slice(200, 600), cursor: { serial: 600 }, expectedVersion: 1 });
    const { rows } = await db.pool.query<{ n: string }>('select sum(captures) as n from capture_rollup');
    expect(Number(rows[0].n)).toBe(600);

    for (const table of ROLLUPS) expect(await drift(table)).toEqual([]);
  }, 180_000);

  it('are filled from the existing rows by the migration, and refuse nothing the hub writes', async () => {
    // The rebuild the migration ran is the same view the comparison uses: truncating and refilling
    // from it gives the maintained rows back exactly.
    const owner = ownerPool(db.url);
    try {
      for (const table of ROLLUPS) {
        const kept = (await owner.query(`select * from ${table} order by 1, 2, 3, 4, 5`)).rows;
        await owner.query(`truncate ${table}`);
        await owner.query(`insert into ${table} select * from ${table}_fresh`);
        expect((await owner.query(`select * from ${table} order by 1, 2, 3, 4, 5`)).rows).toEqual(kept);
      }
    } finally {
      await owner.end();
    }
  });
});
