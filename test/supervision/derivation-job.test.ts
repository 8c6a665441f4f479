import { Pool } from 'pg';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { announceWorld, testLogger } from '../support/test-logger';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { derivationJobFor } from '../../src/supervision/derivation-job';
import { startSyncRuntime, type SyncRuntime } from '../../src/sync/sync-runtime';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const rules = loadClueRules(loadConfig({}).clueRulesFile);
const world = generateWorld({ seed: 23, size: 0.01 });
const TRANSPORT_STREAMS = ['licences', 'vehicles', 'practitioners', 'enforcementCases', 'weighings'];

/** Weighings of vehicles that never had a case: one made over the limit is a clue whatever its day. */
const caseless = world.weighings.filter((w) => !world.enforcementCases.some((c) => c.vehiclePlateNumber === w.plateNumber));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('derivation jobs are one per debounce interval', () => {
  it('gives commits in one interval one job, run when the interval ends, and a later commit another', () => {
    const a = derivationJobFor(10_000, 1_000);
    const b = derivationJobFor(10_999, 1_000);
    const c = derivationJobFor(11_000, 1_000);
    expect(a).toEqual({ jobId: 'derive-11000', delay: 1_000 });
    expect(b).toEqual({ jobId: 'derive-11000', delay: 1 });
    expect(c.jobId).toBe('derive-12000');
  });
});

describe.each(kinds)('clue derivation driven by the sync on %s', (kind) => {
  let db: Database;
  let simulator: TransportSimulator;
  let runtime: SyncRuntime;
  let n = 0;

  const sync = async (streams: string[]) => {
    const before = await succeeded();
    for (const stream of streams) {
      await runtime.queues.get(SourceSystem.TRANSPORT)!.add('sync', { system: SourceSystem.TRANSPORT, stream, mode: 'INCREMENTAL' }, { jobId: `t-${++n}` });
    }
    await until('the sync runs', async () => (await succeeded()) >= before + streams.length);
  };
  const succeeded = async () => (await db.pool.query<{ n: number }>(`select count(*)::int as n from sync_run where status = 'SUCCEEDED'`)).rows[0].n;
  const idle = async () => {
    const counts = await runtime.derivation.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).every((c) => c === 0);
  };
  const overloadClues = async (plate?: string) =>
    (
      await db.pool.query<{ id: string; evidence_count: number }>(
        `select id, evidence_count from clue where kind = 'OVERLOAD' and deleted_at is null and ($1::text is null or plate_number = $1) order by id`,
        [plate ?? null],
      )
    ).rows;
  const overWeight = (index: number, day: string) => {
    const w = caseless[index];
    simulator.update('weighings', w.sourceId, { axleCount: 2, measuredTotalMassKg: 30_000, measuredAt: `${day}T10:00:00+08:00` }, new Date().toISOString());
    return w.plateNumber;
  };

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`derivejob_${kind}`), LOG_LEVEL: 'error' }), entityModelOf(HUB_DOMAINS));
    simulator = await startTransportSimulator(world);
    const config = {
      ...loadConfig({ DATABASE_URL: db.url, QUEUE_PREFIX: `xt_derive_${kind}_${process.pid}`, ...(kind === 'redis' ? { REDIS_URL: redisUrl! } : {}) }),
      upstream: { transport: { url: simulator.url, token: simulator.token }, registry: null, credit: null, exchange: null },
    };
    // Its runs, batches and derivations are logged to the run log, scanned for the world's personal data.
    announceWorld(world.options);
    runtime = await startSyncRuntime(config, db, testLogger().logger, { schedule: false });
  }, 60_000);

  afterAll(async () => {
    await runtime?.derivation.queue.obliterate({ force: true }).catch(() => undefined);
    await runtime?.close();
    await simulator?.close();
    await db?.close();
    await dropDatabase(db.url);
  });

  it('raises the clues of weighings a sync commits over the limit, with no derivation run by hand', async () => {
    const plate = overWeight(0, '2026-10-12');
    await sync(TRANSPORT_STREAMS);
    await until('the clue', async () => (await overloadClues(plate)).length === 1);
    await until('the derivation queue to drain', idle);
    // What the jobs derived is what a full derivation finds: nothing left to write or withdraw.
    const full = await deriveClues(db.pool, rules, { full: true });
    expect(full.map((r) => [r.ruleId, r.written, r.withdrawn])).toEqual(full.map((r) => [r.ruleId, 0, 0]));
  }, 90_000);

  it('a later batch is derived from the cursor: a new over-limit weighing becomes its own clue, an old one stays as it was', async () => {
    const before = await overloadClues();
    const plate = overWeight(1, '2026-10-13');
    await sync(['weighings']);
    await until('the new clue', async () => (await overloadClues(plate)).length === 1);
    const after = await overloadClues();
    expect(after.filter((c) => !before.some((b) => b.id === c.id)).length).toBe(1);
    expect(after.filter((c) => before.some((b) => b.id === c.id))).toEqual(before);
  }, 60_000);

  it('a derivation that fails before its commit writes neither clue nor cursor, and its retry writes the clue once', async () => {
    // The cursor update raises: the clues written in the same transaction go with it.
    // The hub's pool may not change the schema; the database owner may.
    const owner = new Pool({ connectionString: db.url, max: 1 });
    await owner.query(`create sequence derivation_failures;
      create function fail_derivation() returns trigger language plpgsql as $$ begin perform nextval('derivation_failures'); raise exception 'injected'; end $$;
      create trigger fail_derivation before update on clue_derivation_cursor for each row execute function fail_derivation()`);
    // A new rule's cursor starts with an update too: every rule has its row already (the runs above).
    const cursors = (await db.pool.query('select rule_id, derived_through from clue_derivation_cursor order by rule_id')).rows;
    const plate = overWeight(2, '2026-10-14');
    await sync(['weighings']);
    await until('a failed derivation', async () => Number((await owner.query('select last_value from derivation_failures')).rows[0].last_value) >= 2);
    expect(await overloadClues(plate)).toEqual([]);
    expect((await db.pool.query('select rule_id, derived_through from clue_derivation_cursor order by rule_id')).rows).toEqual(cursors);
    await owner.query('drop trigger fail_derivation on clue_derivation_cursor');
    await owner.end();
    const [clue] = await until('the retried clue', async () => {
      const found = await overloadClues(plate);
      return found.length ? found : null;
    });
    expect(clue.evidence_count).toBe(1);
    // Runs again (a stalled job redone, a second worker) change nothing.
    await runtime.derivation.queue.add('derive', {}, { jobId: 'again-1' });
    await runtime.derivation.queue.add('derive', {}, { jobId: 'again-2' });
    await until('the derivation queue to drain', idle);
    expect(await overloadClues(plate)).toEqual([clue]);
    const evidence = await db.pool.query<{ n: number }>('select count(*)::int as n from clue_evidence where clue_id = $1', [clue.id]);
    expect(evidence.rows[0].n).toBe(1);
  }, 90_000);
});
