import 'reflect-metadata';
import { PlateColor, SourceSystem, TravelDirection } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { loadWorld } from '../../src/demo/load-world';
import { startLiveTraffic } from '../../src/demo/upstream/exchange-simulator';
import { generateWorld } from '../../src/demo/world';
import { createLogger } from '../../src/logger';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { startSyncRuntime } from '../../src/sync/sync-runtime';
import { runBenchmark } from './bench-database';
import { ingestCapturesViaConnector, seconds } from './capture-ingest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm run bench:derive [size]`: capture ingest (exchange → connector → partitions) and clue
 * derivation from the cursor over the same captures, in the same run; target ratio
 * derivation/ingest ≥ 1 (it keeps up). Then, with the sync workers and the demo's live traffic
 * (25 captures every 2 s), the latency from a capture's commit to its clue (target ≤ 5 s).
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
  console.log(`derivation:         ${Math.round(derivation)} captures/s (${runs.map((r) => `${r.ruleId} ${r.keys} keys`).join(', ')})`);
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
  const [a, b] = [...world.checkpoints].sort((x, y) => x.longitude - y.longitude);
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(3_000);
    // A cloned plate: the same plate at the westernmost and easternmost checkpoints a minute apart.
    const plate = `苏E9B${String(i).padStart(3, '0')}`;
    const now = Date.now();
    const pair: CaptureRecord[] = [a, b].map((checkpoint, k) => ({
      serial: 0,
      checkpointCode: checkpoint.code,
      plateNumber: plate,
      plateColor: PlateColor.BLUE,
      capturedAt: new Date(now - 60_000 + k * 60_000).toISOString(),
      direction: TravelDirection.EASTBOUND,
      lane: 1,
      speedKmh: 80,
      imageRef: `img://bench/${plate}/${k}`,
    }));
    await exchange.writeCaptures(pair);
    for (let waited = 0; waited < 30_000; waited += 100) {
      const { rows } = await db.pool.query<{ ms: number }>(
        `select extract(epoch from c.provenance_synced_at - max(x.synced_at)) * 1000 as ms
         from clue c join checkpoint_capture x on x.plate_number = c.plate_number and x.plate_color = c.plate_color
         where c.kind = 'CLONED_PLATE' and c.plate_number = $1 group by c.provenance_synced_at`,
        [plate],
      );
      if (rows.length) {
        latencies.push(Number(rows[0].ms));
        break;
      }
      await sleep(100);
    }
  }
  clearInterval(poll);
  await traffic.stop();
  await runtime.derivation.queue.obliterate({ force: true }).catch(() => undefined);
  await runtime.close();
  const worst = Math.max(...latencies);
  console.log(
    `capture commit → clue at 12.5 captures/s: ${latencies.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} (${latencies.length}/5 seen; target ≤ 5 s): ${latencies.length === 5 && worst <= 5_000 ? 'met' : 'NOT met'}`,
  );
  await exchange.close();
  await owner.end();
});
