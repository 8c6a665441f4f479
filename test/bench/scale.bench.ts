import 'reflect-metadata';
import { print } from 'graphql';
import type { Pool } from 'pg';
import { startHub } from '../../src/app';
import { shanghaiDay } from '../../src/ingest/insert-captures';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { silentLogger } from '../../src/logger';
import { CheckpointCapturesDocument, VehicleCapturesDocument } from '../generated/graphql';
import { postGraphQL } from '../support/http-post';
import { hubAccessToken } from '../support/oauth-client';
import { ownerPool } from '../support/owner-pool';
import { runBenchmark } from './bench-database';
import { reusableToken } from './bench-tokens';
import { explainHubStatements } from './explain-hub-statements';
import { interleavedLatencies } from './load-measures';
import { measureSteadyIngest } from './steady-ingest';
import { spawnHub } from './spawn-hub';

const DAY_MS = 86_400_000;
const DAYS = 90;
/** Plates passing the checkpoints: the world's registered vehicles plus passing ones, ~3 captures a plate a day at 30M. */
const PLATES = 100_000;
/** Days loaded at once (one statement each, one connection each). */
const LOADERS = 2;
const RUNS = 300;
const TARGET_P99_MS = 10;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Fills the real partitioned, indexed `checkpoint_capture` (its rollup trigger and every index
 * live) with `total` captures spread evenly over the `DAYS` days ending at `end`, generated in the
 * server (`generate_series`, one insert per day): plates drawn uniformly from the world's vehicles
 * and synthetic passing plates, checkpoints (and their direction) from the world's, times uniform
 * within the day. Serials start at 10^12, clear of the exchange's.
 */
async function loadCaptures(owner: Pool, total: number, end: Date): Promise<void> {
  // Shanghai keeps no summer time: its days are 24 hours apart.
  const day = (d: number) => new Date(end.getTime() - (DAYS - d) * DAY_MS);
  await owner.query('select ensure_capture_partitions($1::date, $2::date)', [shanghaiDay(day(0).toISOString()), shanghaiDay(day(DAYS - 1).toISOString())]);
  await owner.query(`create table bench_plate as
    select (row_number() over (order by plate_number, plate_color) - 1)::int as i, plate_number, plate_color from vehicle`);
  await owner.query(
    `insert into bench_plate select (select count(*) from bench_plate)::int + g - 1,
      (array['沪A','浙E','皖B','鲁Q','苏E','豫A'])[1 + g % 6] || upper(substr(md5(g::text), 1, 5)), 'YELLOW'
     from generate_series(1, greatest(0, $1::int - (select count(*) from bench_plate)::int)) g`,
    [PLATES],
  );
  await owner.query('alter table bench_plate add primary key (i)');
  await owner.query('create table bench_checkpoint as select (row_number() over (order by code) - 1)::int as i, code, direction from checkpoint');
  await owner.query('alter table bench_checkpoint add primary key (i)');
  const plates = Number((await owner.query<{ n: string }>('select count(*) as n from bench_plate')).rows[0].n);
  const checkpoints = Number((await owner.query<{ n: string }>('select count(*) as n from bench_checkpoint')).rows[0].n);
  const perDay = Math.ceil(total / DAYS);
  let next = 0;
  let loaded = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (let d = next++; d < DAYS; d = next++) {
      const n = Math.min(perDay, total - d * perDay);
      if (n <= 0) continue;
      await owner.query(
        `insert into checkpoint_capture (source_serial, captured_at, checkpoint_code, plate_number, plate_color, direction, lane, speed_kmh, image_ref, synced_at)
         select $1::bigint + g.n, $2::timestamptz + g.t * interval '1 millisecond', c.code, p.plate_number, p.plate_color, c.direction,
                1 + g.n % 4, 30 + g.n % 71, 'bench/' || ($1::bigint + g.n), now()
           from (select n, floor(random() * $3)::int as pi, floor(random() * $4)::int as ci, floor(random() * 86400000)::bigint as t
                   from generate_series(1, $5::int) n) g
           join bench_plate p on p.i = g.pi join bench_checkpoint c on c.i = g.ci`,
        [1e12 + d * 1e7, day(d).toISOString(), plates, checkpoints, n],
      );
      loaded += n;
      if ((d + 1) % 10 === 0) console.log(`  ${loaded.toLocaleString('en')} captures loaded (${Math.round(loaded / since(started)).toLocaleString('en')}/s)`);
    }
  };
  await Promise.all(Array.from({ length: LOADERS }, worker));
  await owner.query('drop table bench_plate, bench_checkpoint');
}

const quantiles = (l: { p50: number; p99: number }) => `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`;

/**
 * `npm run bench:scale [captures]` (default 30,000,000): issue 15's captures at scale. Loads a
 * size-1 demo world's records and `captures` generated captures over 90 days into the real table,
 * then through a spawned hub with access control at c=1: one plate × 30 days (VehicleCaptures,
 * several plates, each under the open case naming it) and one checkpoint × one hour
 * (CheckpointCaptures, several checkpoints, a police case declared ALL_PLATES), with the plans of
 * the hub's own statements; last, ingest through the connector against raw COPY into the same
 * (full) table, a first load and a steady state whose polls re-read a look-back.
 */
runBenchmark('scale', async (config, db) => {
  const total = Number(process.argv[2] ?? 30_000_000);
  if (!Number.isSafeInteger(total) || total < DAYS) throw new RangeError(`captures must be a whole number ≥ ${DAYS}, got ${process.argv[2]}`);
  const owner = ownerPool(db.url);
  try {
    const world = generateWorld({ seed: 20211, size: 1 });
    let start = process.hrtime.bigint();
    await loadWorld(db.pool, world, { captureFilter: () => false });
    console.log(`world size 1 records (${world.vehicles.length} vehicles, ${world.checkpoints.length} checkpoints) loaded in ${since(start).toFixed(1)} s`);
    // The world's "today", midnight in Shanghai: the 90 days end the day before, as the world's own captures do.
    const end = new Date(`${world.options.endDate}T00:00:00+08:00`);
    console.log(
      `loading ${total.toLocaleString('en')} captures over ${DAYS} days ending ${end.toISOString()} (generate_series into checkpoint_capture, ${LOADERS} connections)…`,
    );
    start = process.hrtime.bigint();
    await loadCaptures(owner, total, end);
    const loadSeconds = since(start);
    start = process.hrtime.bigint();
    await owner.query('vacuum (analyze) checkpoint_capture');
    await owner.query('analyze');
    const vacuumSeconds = since(start);
    const { rows: sized } = await owner.query<{ captures: string; heap: string; indexes: string; partitions: string }>(
      `select (select count(*) from checkpoint_capture) as captures,
              sum(pg_table_size(c.oid)) as heap, sum(pg_indexes_size(c.oid)) as indexes, count(*) as partitions
         from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'checkpoint_capture'::regclass`,
    );
    const count = Number(sized[0].captures);
    console.log(
      `loaded ${count.toLocaleString('en')} captures in ${loadSeconds.toFixed(0)} s (${Math.round(total / loadSeconds).toLocaleString('en')}/s), vacuum+analyze ${vacuumSeconds.toFixed(0)} s; ` +
        `${sized[0].partitions} partitions, table ${mb(Number(sized[0].heap))}, indexes ${mb(Number(sized[0].indexes))}`,
    );

    // Plates under open cases: the transport officer reads a plate's captures under the case naming it.
    const cases = world.enforcementCases.filter((c) => c.status !== 'CLOSED' && c.vehiclePlateNumber).slice(0, 8);
    const to = end;
    const from = new Date(to.getTime() - 30 * DAY_MS);
    const { rows: perPlate } = await owner.query<{ n: string }>(
      `select count(*) as n from checkpoint_capture c join unnest($1::text[], $2::text[]) p(n, k) on c.plate_number = p.n and c.plate_color = p.k
        where c.captured_at >= $3 and c.captured_at < $4 group by p.n, p.k`,
      [cases.map((c) => c.vehiclePlateNumber), cases.map((c) => c.vehiclePlateColor), from, to],
    );
    const counts = perPlate.map((r) => Number(r.n)).sort((a, b) => a - b);
    console.log(`trajectory: ${cases.length} plates (each under its open case) × 30 days, ${counts[0]}–${counts[counts.length - 1]} captures each`);

    // Checkpoint × hour: a police case officer under a transferred case declared ALL_PLATES.
    const policeCase = cases[0].caseNumber;
    await owner.query('update enforcement_case set transferred_to_police = true where case_number = $1', [policeCase]);
    // 10:00 on the last day.
    const hour = new Date(end.getTime() - 14 * 3_600_000);
    const checkpoints = world.checkpoints.slice(0, 8).map((c) => c.code);

    const hub = await spawnHub(config.databaseUrl);
    try {
      const officer = await reusableToken(hub.graphqlUrl);
      const police = (await hubAccessToken(hub.graphqlUrl.replace(/\/graphql$/, ''), 'suzhou-psb', 'role:case-officer')).access_token;
      const vehicleCaptures = print(VehicleCapturesDocument);
      const checkpointCaptures = print(CheckpointCapturesDocument);
      const trajectory = (i: number) => {
        const c = cases[i % cases.length];
        return postGraphQL(
          hub.graphqlUrl,
          vehicleCaptures,
          { plateNumber: c.vehiclePlateNumber, plateColor: c.vehiclePlateColor, from: from.toISOString(), to: to.toISOString(), first: 500 },
          { authorization: `Bearer ${officer}`, 'x-purpose': 'case-investigation', 'x-case-number': encodeURIComponent(c.caseNumber) },
        );
      };
      const checkpointHour = (i: number) =>
        postGraphQL(
          hub.graphqlUrl,
          checkpointCaptures,
          {
            filter: { checkpointCode: checkpoints[i % checkpoints.length], from: hour.toISOString(), to: new Date(hour.getTime() + 3_600_000).toISOString() },
            first: 500,
          },
          {
            authorization: `Bearer ${police}`,
            'x-purpose': 'case-investigation',
            'x-case-number': encodeURIComponent(policeCase),
            'x-case-scope': 'ALL_PLATES',
          },
        );
      const edges: number[] = [];
      for (let i = 0; i < cases.length; i++) {
        const answer = JSON.parse(await trajectory(i)) as { errors?: unknown[]; data?: { vehicle: { captures: { totalCount: number } } } };
        if (answer.errors) throw new Error(`the trajectory was refused: ${JSON.stringify(answer.errors)}`);
      }
      for (let i = 0; i < checkpoints.length; i++) {
        const answer = JSON.parse(await checkpointHour(i)) as { errors?: unknown[]; data?: { checkpointCaptures: { totalCount: number } } };
        if (answer.errors) throw new Error(`the checkpoint hour was refused: ${JSON.stringify(answer.errors)}`);
        edges.push(answer.data!.checkpointCaptures.totalCount);
      }
      console.log(`checkpoint × hour: ${checkpoints.length} checkpoints, ${Math.min(...edges)}–${Math.max(...edges)} captures each`);
      let i = 0;
      let j = 0;
      const [t, h] = await interleavedLatencies([() => trajectory(i++), () => checkpointHour(j++)], RUNS);
      const verdict = (l: { p99: number }) => (l.p99 <= TARGET_P99_MS ? 'met' : 'NOT met');
      console.log(
        `\none plate × 30 days (VehicleCaptures, access control and audit on), c=1 over ${RUNS}: ${quantiles(t)}; target p99 ≤ ${TARGET_P99_MS} ms: ${verdict(t)}`,
      );
      console.log(
        `one checkpoint × one hour (CheckpointCaptures, ALL_PLATES case), c=1 over ${RUNS}: ${quantiles(h)}; target p99 ≤ ${TARGET_P99_MS} ms: ${verdict(h)}`,
      );
    } finally {
      await hub.stop();
    }

    // The hub's own statements, captured in process, planned as its cached plans are (generic).
    const counted = await startHub({ ...config, port: 0 }, silentLogger(), db);
    try {
      const token = await reusableToken(counted.graphqlUrl);
      const police = (await hubAccessToken(counted.graphqlUrl.replace(/\/graphql$/, ''), 'suzhou-psb', 'role:case-officer')).access_token;
      const c = cases[1 % cases.length];
      await explainHubStatements(owner, db, 'one plate × 30 days', () =>
        postGraphQL(
          counted.graphqlUrl,
          print(VehicleCapturesDocument),
          { plateNumber: c.vehiclePlateNumber, plateColor: c.vehiclePlateColor, from: from.toISOString(), to: to.toISOString(), first: 500 },
          { authorization: `Bearer ${token}`, 'x-purpose': 'case-investigation', 'x-case-number': encodeURIComponent(c.caseNumber) },
        ),
      );
      await explainHubStatements(owner, db, 'one checkpoint × one hour', () =>
        postGraphQL(
          counted.graphqlUrl,
          print(CheckpointCapturesDocument),
          { filter: { checkpointCode: checkpoints[1], from: hour.toISOString(), to: new Date(hour.getTime() + 3_600_000).toISOString() }, first: 500 },
          {
            authorization: `Bearer ${police}`,
            'x-purpose': 'case-investigation',
            'x-case-number': encodeURIComponent(policeCase),
            'x-case-scope': 'ALL_PLATES',
          },
        ),
      );
    } finally {
      await counted.close();
    }

    await measureSteadyIngest(db, owner, world);
  } finally {
    await owner.end();
  }
});
