import 'reflect-metadata';
import { copyCaptures } from '../../src/ingest/insert-captures';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { generateWorld } from '../../src/demo/world';
import { runBenchmark } from './bench-database';
import { ingestCapturesViaConnector, seconds } from './capture-ingest';

/**
 * `npm run bench:ingest [size]`: checkpoint captures through the connector path (exchange
 * database → connector → COPY into staging → day partitions, cursor committed per batch) next to
 * a raw COPY of the same rows into the same table, in the same run; target ratio ≥ 0.5. Also
 * entity upserts per second.
 */
runBenchmark('ingest', async (_config, db) => {
  const size = Number(process.argv[2] ?? '0.1');
  const world = generateWorld({ seed: 20211, size });
  const captures = [...world.captures()].flat();
  console.log(`world size ${size}: ${captures.length} captures`);
  const { run, rate: viaConnector, exchange, owner } = await ingestCapturesViaConnector(db, world, captures);

  await owner.query('truncate checkpoint_capture');
  const client = await db.pool.connect();
  let start = process.hrtime.bigint();
  await copyCaptures(client, 'checkpoint_capture', captures, new Date());
  const raw = captures.length / seconds(start);
  client.release();

  const records = [...world.enterprises.map((r) => [RECORD_TABLES.enterprise, r] as const), ...world.vehicles.map((r) => [RECORD_TABLES.vehicle, r] as const)];
  start = process.hrtime.bigint();
  for (let i = 0; i < world.vehicles.length; i += 5_000) await upsertRecords(db.pool, RECORD_TABLES.vehicle, world.vehicles.slice(i, i + 5_000), new Date());
  for (let i = 0; i < world.enterprises.length; i += 5_000)
    await upsertRecords(db.pool, RECORD_TABLES.enterprise, world.enterprises.slice(i, i + 5_000), new Date());
  const upserts = records.length / seconds(start);

  console.log(`captures via connector path: ${Math.round(viaConnector)} rows/s (${run.inserted} rows, ${run.batches} batches)`);
  console.log(`captures via raw COPY:       ${Math.round(raw)} rows/s`);
  console.log(`ratio ${(viaConnector / raw).toFixed(2)} (target ≥ 0.5): ${viaConnector / raw >= 0.5 ? 'met' : 'NOT met'}`);
  console.log(`entity upserts (vehicles, enterprises, first write): ${Math.round(upserts)} rows/s`);
  await exchange.close();
  await owner.end();
});
