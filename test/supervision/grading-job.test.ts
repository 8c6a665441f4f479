import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { gradingJobFor } from '../../src/supervision/grading-job';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';
import { startSyncRuntime, type SyncRuntime } from '../../src/sync/sync-runtime';
import { freshDatabaseUrl } from '../support/test-database';
import { announceWorld, testLogger } from '../support/test-logger';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const rules = loadRiskGradeRules(loadConfig({}).riskGradeRulesFile);
const world = generateWorld({ seed: 29, size: 0.01 });
const TRANSPORT_STREAMS = ['licences', 'vehicles', 'practitioners', 'enforcementCases', 'weighings'];

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('grading jobs are one per debounce interval', () => {
  it('gives requests in one interval one job, run when the interval ends, and a later request another', () => {
    expect(gradingJobFor(10_000, 2_000)).toEqual({ jobId: 'grade-12000', delay: 2_000 });
    expect(gradingJobFor(11_999, 2_000)).toEqual({ jobId: 'grade-12000', delay: 1 });
    expect(gradingJobFor(12_000, 2_000).jobId).toBe('grade-14000');
  });
});

describe.each(kinds)('risk grading driven by the sync on %s', (kind) => {
  let db: Database;
  let simulator: TransportSimulator;
  let runtime: SyncRuntime;
  let n = 0;

  const succeeded = async () => (await db.pool.query<{ n: number }>(`select count(*)::int as n from sync_run where status = 'SUCCEEDED'`)).rows[0].n;
  const sync = async (streams: string[]) => {
    const before = await succeeded();
    for (const stream of streams) {
      await runtime.queues.get(SourceSystem.TRANSPORT)!.add('sync', { system: SourceSystem.TRANSPORT, stream, mode: 'INCREMENTAL' }, { jobId: `t-${++n}` });
    }
    await until('the sync runs', async () => (await succeeded()) >= before + streams.length);
  };
  const idle = async () => {
    for (const queue of [runtime.derivation.queue, runtime.grading.queue]) {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      if (Object.values(counts).some((c) => c > 0)) return false;
    }
    return true;
  };
  const gradeOf = async (uscc: string) =>
    (await db.pool.query<{ score: number; grade: string }>('select score, grade from enterprise_risk_grade where uscc = $1 and deleted_at is null', [uscc]))
      .rows[0];

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`gradejob_${kind}`), LOG_LEVEL: 'error' }), entityModelOf(HUB_DOMAINS));
    // The registry's enterprises, as its sync would have brought them: operators are graded once their licences arrive.
    await upsertRecords(db.pool, RECORD_TABLES.enterprise, world.enterprises, new Date());
    simulator = await startTransportSimulator(world);
    const config = {
      ...loadConfig({ DATABASE_URL: db.url, QUEUE_PREFIX: `xt_grade_${kind}_${process.pid}`, ...(kind === 'redis' ? { REDIS_URL: redisUrl! } : {}) }),
      upstream: { transport: { url: simulator.url, token: simulator.token }, registry: null, credit: null, exchange: null },
    };
    announceWorld(world.options);
    runtime = await startSyncRuntime(config, db, testLogger().logger, { schedule: false });
  }, 60_000);

  afterAll(async () => {
    await runtime?.grading.queue.obliterate({ force: true }).catch(() => undefined);
    await runtime?.derivation.queue.obliterate({ force: true }).catch(() => undefined);
    await runtime?.close();
    await simulator?.close();
    await db?.close();
    await dropDatabase(db.url);
  });

  it('grades the operators a sync brings, with no grading run by hand, as a full grading does', async () => {
    await sync(TRANSPORT_STREAMS);
    const holders = new Set(world.licences.map((l) => l.holderUscc).filter((u) => world.enterprises.some((e) => e.uscc === u)));
    await until('the grades', async () => (await db.pool.query('select count(*)::int as n from enterprise_risk_grade')).rows[0].n === holders.size);
    await until('the queues to drain', idle);
    // What the jobs graded (clues the derivation raised included) is what a full grading finds.
    expect(await gradeEnterprises(db.pool, rules, { full: true })).toMatchObject({ written: 0, changes: 0, withdrawn: 0 });
  }, 90_000);

  it('cases that change party in a later batch re-grade the new party and the old ones, each change logged once', async () => {
    const holders = [...new Set(world.licences.map((l) => l.holderUscc))].filter((u) => world.enterprises.some((e) => e.uscc === u));
    const to = holders[0];
    const at = new Date().toISOString();
    // Six heavy recent cases move to `to` from wherever they were: `to` falls to a lower grade.
    const moved = world.enforcementCases.slice(0, 6);
    for (const c of moved) simulator.update('enforcementCases', c.caseNumber, { partyUscc: to, penaltyAmountYuan: 50_000, occurredAt: at }, at);
    const before = (await db.pool.query<{ n: number }>('select max(id)::int as n from enterprise_risk_grade_change')).rows[0].n;
    await sync(['enforcementCases']);
    await until('the new grade of the new party', async () => (await gradeOf(to))?.score <= 760);
    await until('the queues to drain', idle);
    const logged = await db.pool.query<{ uscc: string; new_grade: string }>('select uscc, new_grade from enterprise_risk_grade_change where id > $1', [before]);
    expect(logged.rows.filter((r) => r.uscc === to)).toHaveLength(1);
    // The old parties were graded again too: a full grading finds nothing left to write.
    expect(await gradeEnterprises(db.pool, rules, { full: true })).toMatchObject({ written: 0, changes: 0, withdrawn: 0 });
  }, 90_000);
});
