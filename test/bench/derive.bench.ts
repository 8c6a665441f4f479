import 'reflect-metadata';
import { PlateColor, SourceSystem, TravelDirection } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord, CheckpointRecord } from '../../connectors/contract/canonical/records';
import { loadWorld } from '../../src/demo/load-world';
import { startLiveTraffic } from '../../src/demo/upstream/exchange-simulator';
import { generateWorld } from '../../src/demo/world';
import { createLogger } from '../../src/logger';
import { ClueKind } from '../../src/domains/clue';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { startSyncRuntime } from '../../src/sync/sync-runtime';
import { runBenchmark } from './bench-database';
import { ingestCapturesViaConnector, seconds } from './capture-ingest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often the latency probe looks for its captures and its clue. */
const POLL_MS = 25;

/** Great-circle distance in km (haversine), as the CLONED_PLATE rule measures it. */
function distanceKm(a: CheckpointRecord, b: CheckpointRecord): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** The two checkpoints furthest apart. */
function farthestPair(checkpoints: readonly CheckpointRecord[]): [CheckpointRecord, CheckpointRecord] {
  let best: [CheckpointRecord, CheckpointRecord] = [checkpoints[0], checkpoints[1]];
  for (const a of checkpoints) for (const b of checkpoints) if (distanceKm(a, b) > distanceKm(...best)) best = [a, b];
  return best;
}

/**
 * `npm run bench:derive [size]`: capture ingest (exchange → connector → partitions) and clue
 * derivation from the cursor over the same captures, in the same run; target ratio
 * derivation/ingest ≥ 1 (it keeps up). Then, with the sync workers and the demo's live traffic
 * (25 captures every 2 s), the latency from a capture's commit to its clue (target ≤ 5 s), probed
 * with a plate seen at the two checkpoints furthest apart a minute apart: a speed the rule must flag.
 */
runBenchmark('derive', async (config, db) => {
  const size = Number(process.argv[2] ?? '0.1');
  const world = generateWorld({ seed: 20211, size });
  const captures = [...world.captures()].flat();
  console.log(`world size ${size}: ${captures.length} captures`);
  await loadWorld(db.pool, world, { captureFilter: () => false });
  const rules = loadClueRules(config.clueRulesFile);
  // Cursors set on the records alone: the captures below are what the next run derives.
  await deriveClues(db.pool, rules);
  const { run, rate: ingest, exchange, owner } = await ingestCapturesViaConnector(db, world, captures);
  await owner.query('analyze');

  const start = process.hrtime.bigint();
  const runs = await deriveClues(db.pool, rules);
  const derivation = run.inserted / seconds(start);
  console.log(`capture ingest:     ${Math.round(ingest)} rows/s (${run.inserted} rows)`);
  console.log(`derivation:         ${Math.round(derivation)} captures/s (${runs.map((r) => `${r.ruleId} ${r.keys} keys ${Math.round(r.ms)} ms`).join(', ')})`);
  console.log(`ratio ${(derivation / ingest).toFixed(2)} (target ≥ 1): ${derivation >= ingest ? 'met' : 'NOT met'}`);

  // Latency at the demo's traffic: workers syncing the exchange every second, derivation driven by them.
  const runtime = await startSyncRuntime(
    {
      ...config,
      upstream: { transport: null, registry: null, credit: null, exchange: { databaseUrl: db.url } },
      queuePrefix: `xt_bench_derive_${process.pid}`,
    },
    db,
    createLogger({ level: 'warn' }),
    { schedule: false },
  );
  const traffic = startLiveTraffic(exchange, world);
  const queue = runtime.queues.get(SourceSystem.CHECKPOINT_EXCHANGE)!;
  let n = 0;
  const poll = setInterval(() => {
    void queue.add('sync', { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'captures', mode: 'INCREMENTAL' }, { jobId: `bench-${++n}` });
  }, 1_000);
  // The probe: one plate at the two checkpoints furthest apart, a minute apart, a speed no car drives.
  const cloned = rules.enabled(ClueKind.CLONED_PLATE);
  if (!cloned) throw new Error('the CLONED_PLATE rule is not enabled: no latency probe');
  const [a, b] = farthestPair(world.checkpoints);
  const km = distanceKm(a, b);
  const gapMinutes = 1;
  const kmh = km / (gapMinutes / 60);
  if (km < cloned.minDistanceKm || kmh <= cloned.maxImpliedSpeedKmh) {
    throw new Error(`the probe's checkpoints ${a.code} and ${b.code} (${km.toFixed(1)} km) imply no cloned plate`);
  }
  console.log(
    `probe: ${a.code} → ${b.code}, ${km.toFixed(1)} km in ${gapMinutes} min (${Math.round(kmh)} km/h; rule: > ${cloned.maxImpliedSpeedKmh} km/h over ≥ ${cloned.minDistanceKm} km)`,
  );
  const latencies: number[] = [];
  const endToEnd: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(3_000);
    const plate = `苏E9B${String(i).padStart(3, '0')}`;
    const now = Date.now();
    const pair: CaptureRecord[] = [a, b].map((checkpoint, k) => ({
      serial: 0,
      checkpointCode: checkpoint.code,
      plateNumber: plate,
      plateColor: PlateColor.BLUE,
      capturedAt: new Date(now - gapMinutes * 60_000 + k * gapMinutes * 60_000).toISOString(),
      direction: TravelDirection.EASTBOUND,
      lane: 1,
      speedKmh: 80,
      imageRef: `img://bench/${plate}/${k}`,
    }));
    const written = Date.now();
    await exchange.writeCaptures(pair);
    // Watched from outside: when both captures are first visible in the hub (their batch committed),
    // and when the clue citing both is (the derivation committed). No clock inside either transaction
    // says when it committed, so the watch polls; its step bounds the error.
    let committedAt: number | null = null;
    for (const end = Date.now() + 30_000; Date.now() < end; await sleep(POLL_MS)) {
      const { rows } = await db.pool.query<{ captures: number; evidence: number }>(
        `select (select count(*)::int from checkpoint_capture where plate_number = $1 and plate_color = 'BLUE') as captures,
           (select count(*)::int from clue c join clue_evidence e on e.clue_id = c.id
            where c.kind = 'CLONED_PLATE' and c.plate_number = $1 and c.plate_color = 'BLUE' and c.deleted_at is null) as evidence`,
        [plate],
      );
      const seen = Date.now();
      if (committedAt === null && rows[0].captures === 2) committedAt = seen;
      if (rows[0].evidence === 2 && committedAt !== null) {
        latencies.push(seen - committedAt);
        endToEnd.push(seen - written);
        break;
      }
    }
  }
  clearInterval(poll);
  await traffic.stop();
  await runtime.derivation.queue.obliterate({ force: true }).catch(() => undefined);
  await runtime.close();
  const worst = Math.max(...latencies);
  const list = (ms: number[]) => ms.map((x) => `${(x / 1000).toFixed(2)} s`).join(', ');
  console.log(
    `capture commit → clue at 12.5 captures/s (±${POLL_MS} ms): ${list(latencies)} (${latencies.length}/5 seen; target ≤ 5 s): ${latencies.length === 5 && worst <= 5_000 ? 'met' : 'NOT met'}`,
  );
  console.log(`exchange write → clue (with the sync's 1 s polling): ${list(endToEnd)}`);
  await exchange.close();
  await owner.end();
});
