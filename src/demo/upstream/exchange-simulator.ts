import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CaptureRecord, CheckpointRecord } from '../../../connectors/contract/canonical/records';
import { Random } from '../world/random';
import { distanceKm, TravelLog } from '../world/travel-time';
import { WeightedTable } from '../world/weighted-table';
import type { World } from '../world';
import { DIRECTION_CODE_OF, EXCHANGE_SCHEMA, VENDOR_CODE_OF, wallTime } from '../../../connectors/checkpoint-exchange/exchange-format';

/** Data faults the police system shows in the exchange. */
export interface ExchangeFaults {
  /**
   * Every Nth capture written is malformed, in turn: a vendor plate colour outside the mapping,
   * an unknown direction code, a camera clock reset to its epoch, a plate with letters never issued.
   */
  malformedEvery?: number;
  /**
   * Every Nth tick of live traffic is committed late: its serials are taken at once, its rows
   * committed after the next tick's, which have higher serials.
   */
  lateEvery?: number;
}

export interface ExchangeSimulator {
  /** Switches data faults on; `{}` switches them off. */
  setFaults(faults: ExchangeFaults): void;
  /** The faults switched on. */
  readonly faults: ExchangeFaults;
  /** Image references of the captures written malformed so far, in order. */
  readonly malformedWritten: readonly string[];
  /** Writes captures the way the police system does; serials come from the exchange's own sequence. */
  writeCaptures(captures: readonly CaptureRecord[]): Promise<void>;
  /**
   * Reserves serials for `captures` now but commits them only when `commit` is called: rows that
   * appear late with serials lower than rows already visible.
   */
  writeLate(captures: readonly CaptureRecord[]): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
  close(): Promise<void>;
}

const COLUMNS = 'kkbh, hphm, hpys, jgsj, fxbh, cdh, clsd, tpurl';
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

type ExchangeRow = [kkbh: string, hphm: string, hpys: number, jgsj: string, fxbh: string, cdh: number, clsd: number, tpurl: string];

const rowOf = (c: CaptureRecord): ExchangeRow => [
  c.checkpointCode,
  c.plateNumber,
  VENDOR_CODE_OF[c.plateColor],
  wallTime(c.capturedAt),
  DIRECTION_CODE_OF[c.direction],
  c.lane,
  c.speedKmh,
  c.imageRef,
];

/** The four ways the police system writes a bad capture, taken in turn. */
const MALFORMATIONS: Array<(row: ExchangeRow) => ExchangeRow> = [
  (r) => {
    const m: ExchangeRow = [...r];
    m[2] = 42;
    return m;
  },
  (r) => {
    const m: ExchangeRow = [...r];
    m[4] = '09';
    return m;
  },
  (r) => {
    const m: ExchangeRow = [...r];
    m[3] = '2000-01-01 00:00:00';
    return m;
  },
  (r) => {
    const m: ExchangeRow = [...r];
    m[1] = `${r[1].slice(0, 2)}IO${r[1].slice(4)}`;
    return m;
  },
];

/**
 * The police exchange database, in its own schema of the same PostgreSQL server: checkpoints
 * (kkxx) and captures (gcjl) with a serial (xh) the police system assigns.
 */
export async function startExchangeSimulator(world: World, databaseUrl: string): Promise<ExchangeSimulator> {
  const pool = new Pool({ connectionString: databaseUrl, max: 3 });
  // A connection the server drops while idle (a restart, a test dropping its database) is not
  // the simulated police system's failure: the next write reconnects.
  pool.on('error', () => undefined);
  await pool.query(`create schema if not exists ${EXCHANGE_SCHEMA}`);
  await pool.query(`create table if not exists ${EXCHANGE_SCHEMA}.kkxx (
    kkbh text primary key, kkmc text not null, dlmc text not null, fxbh text not null, jd double precision not null,
    wd double precision not null, xzqh text not null, gxsj timestamp not null)`);
  await pool.query(`create table if not exists ${EXCHANGE_SCHEMA}.gcjl (
    xh bigserial primary key, kkbh text not null, hphm text not null, hpys smallint not null, jgsj timestamp not null,
    fxbh text not null, cdh smallint not null, clsd smallint not null, tpurl text not null)`);
  await pool.query(
    `insert into ${EXCHANGE_SCHEMA}.kkxx (kkbh, kkmc, dlmc, fxbh, jd, wd, xzqh, gxsj)
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::timestamp[])
    on conflict do nothing`,
    [
      world.checkpoints.map((c) => c.code),
      world.checkpoints.map((c) => c.name),
      world.checkpoints.map((c) => c.road),
      world.checkpoints.map((c) => DIRECTION_CODE_OF[c.direction]),
      world.checkpoints.map((c) => c.longitude),
      world.checkpoints.map((c) => c.latitude),
      world.checkpoints.map((c) => c.divisionCode),
      world.checkpoints.map((c) => wallTime(c.updatedAt)),
    ],
  );
  let faults: ExchangeFaults = {};
  let written = 0;
  const malformedWritten: string[] = [];
  const line = (c: CaptureRecord): string => {
    written += 1;
    let row = rowOf(c);
    if (faults.malformedEvery && written % faults.malformedEvery === 0) {
      row = MALFORMATIONS[malformedWritten.length % MALFORMATIONS.length](row);
      malformedWritten.push(c.imageRef);
    }
    // COPY text format: backslash, tab and line breaks escaped.
    return `${row.map((v) => String(v).replace(/[\\\t\n\r]/g, (c) => ESCAPES[c])).join('\t')}\n`;
  };
  const copy = async (client: { query: Pool['query'] }, captures: readonly CaptureRecord[]) => {
    async function* lines() {
      let chunk = '';
      for (const c of captures) {
        chunk += line(c);
        if (chunk.length > 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    await pipeline(
      Readable.from(lines()),
      (client as unknown as { query: (q: unknown) => NodeJS.WritableStream }).query(copyFrom(`copy ${EXCHANGE_SCHEMA}.gcjl (${COLUMNS}) from stdin`)),
    );
  };
  return {
    setFaults(next) {
      faults = next;
    },
    get faults() {
      return faults;
    },
    malformedWritten,
    async writeCaptures(captures) {
      const client = await pool.connect();
      // A server restart during the write fails the write (the tick is lost, as the police system's would be), not the process.
      const ignore = () => undefined;
      client.on('error', ignore);
      try {
        await copy(client as never, captures);
      } finally {
        client.off('error', ignore);
        client.release();
      }
    },
    async writeLate(captures) {
      const client = await pool.connect();
      client.on('error', () => undefined);
      await client.query('begin');
      await copy(client as never, captures);
      const end = async (how: 'commit' | 'rollback') => {
        await client.query(how);
        client.release();
      };
      return { commit: () => end('commit'), rollback: () => end('rollback') };
    },
    close: () => pool.end(),
  };
}

/** How many ticks apart the regular vehicle passes a checkpoint (every 20 s at the demo's 2 s ticks). */
const REGULAR_EVERY_TICKS = 10;

/** The open case transferred to the police (what they hold) that names `vehicle`, if any. */
export function policeCaseOf(world: World, vehicle: World['vehicles'][number]): World['enforcementCases'][number] | undefined {
  return world.enforcementCases.find(
    (c) => c.transferredToPolice && c.status !== 'CLOSED' && c.vehiclePlateNumber === vehicle.plateNumber && c.vehiclePlateColor === vehicle.plateColor,
  );
}

/**
 * The vehicle the live traffic brings past a checkpoint regularly, as a truck on a daily route
 * does: the first Suzhou-registered (苏E) one of the world that an open case transferred to the
 * police names (else the first 苏E one). The demo's police watches its plate under that case (a
 * watch is set only under a case about the vehicle), so a watch hit shows within a minute of `npm start`.
 */
export function regularVehicle(world: World): World['vehicles'][number] {
  const suzhou = world.vehicles.filter((v) => v.plateNumber.startsWith('苏E'));
  return suzhou.find((v) => policeCaseOf(world, v)) ?? suzhou[0] ?? world.vehicles[0];
}

/** Options of the demo's live traffic. */
export interface LiveTrafficOptions {
  /** How often a tick of captures is written (ms). Default 2,000. */
  intervalMs?: number;
  /** Captures per tick. Default 25. */
  perTick?: number;
  /**
   * How often a cloned plate (套牌) is planted: one vehicle's plate at two far checkpoints minutes
   * apart, so a running hub raises a fresh CLONED_PLATE clue. Default 60,000; 0 for none. The
   * first comes after a fifth of the interval.
   */
  cloneEveryMs?: number;
}

/** A cloned plate's two sightings are at least this far apart (the rule asks for 10 km). */
const CLONE_MIN_KM = 30;

/**
 * Live traffic for the demo: every `intervalMs`, writes `perTick` captures of the world's
 * vehicles that are on the road at its checkpoints, stamped with the current time, as the police
 * system does all day. No vehicle is seen anywhere it could not have driven to since it was last
 * seen (the world's travel-time rule), except the cloned plates planted every `cloneEveryMs`.
 * Every `REGULAR_EVERY_TICKS` ticks the regular vehicle (`regularVehicle`) passes the first
 * checkpoint (or the nearest it can have reached).
 */
export function startLiveTraffic(
  exchange: ExchangeSimulator,
  world: World,
  options: LiveTrafficOptions = {},
): { stop(): Promise<void>; readonly lateTicks: number; readonly clonesPlanted: readonly CloneSighting[] } {
  const { intervalMs = 2_000, perTick = 25, cloneEveryMs = 60_000 } = options;
  const rng = Random.from(world.options.seed, 'live-traffic');
  const vehicles = new WeightedTable(world.onRoad, (v) => v.activity);
  const checkpoints = world.checkpoints;
  const travel = new TravelLog<string, CheckpointRecord>((c) => c);
  const clonesPlanted: CloneSighting[] = [];
  let serial = 0;
  let tick = 0;
  let lateTicks = 0;
  let nextClone = cloneEveryMs > 0 ? Date.now() + Math.round(cloneEveryMs / 5) : Infinity;
  // Late ticks still to commit: each commits once the next tick is in, or at stop.
  let pending: Array<() => Promise<void>> = [];
  const reservations = new Set<Promise<void>>();
  const commitPending = async () => {
    const due = pending;
    pending = [];
    for (const commit of due) await commit().catch(() => undefined);
  };
  const capture = (plate: { plateNumber: string; plateColor: CaptureRecord['plateColor'] }, checkpoint: CheckpointRecord, at: number, now: number) => {
    serial += 1;
    travel.see(`${plate.plateNumber}|${plate.plateColor}`, checkpoint, at / 1000);
    return {
      serial,
      checkpointCode: checkpoint.code,
      plateNumber: plate.plateNumber,
      plateColor: plate.plateColor,
      capturedAt: new Date(at).toISOString(),
      direction: checkpoint.direction,
      lane: rng.int(1, 4),
      speedKmh: rng.int(30, 110),
      imageRef: `img://checkpoint/${checkpoint.code}/live-${now}-${serial}.jpg`,
    };
  };
  const timer = setInterval(() => {
    if (vehicles.total <= 0) return;
    const now = Date.now();
    tick += 1;
    // In time order, so each vehicle's sightings are judged against the one just before.
    const times = Array.from({ length: perTick }, () => now - rng.int(0, intervalMs)).sort((a, b) => a - b);
    const captures: CaptureRecord[] = times.map((at) => {
      const vehicle = vehicles.pick(rng);
      const intended = checkpoints[rng.int(0, checkpoints.length - 1)];
      return capture(vehicle, travel.reachable(`${vehicle.plateNumber}|${vehicle.plateColor}`, intended, [], at / 1000), at, now);
    });
    if (tick % REGULAR_EVERY_TICKS === 1) {
      const regular = regularVehicle(world);
      captures.push(capture(regular, travel.reachable(`${regular.plateNumber}|${regular.plateColor}`, checkpoints[0], [], now / 1000), now, now));
    }
    if (now >= nextClone) {
      nextClone = now + cloneEveryMs;
      const clone = plantClone(rng, vehicles.pick(rng), checkpoints, travel, now);
      if (clone) {
        clonesPlanted.push(clone);
        captures.push(capture(clone, clone.from, clone.fromAt, now), capture(clone, clone.to, now, now));
      }
    }
    const { lateEvery } = exchange.faults;
    if (lateEvery && tick % lateEvery === 0) {
      lateTicks += 1;
      const reserving = exchange
        .writeLate(captures)
        .then((late) => {
          pending.push(() => late.commit());
        })
        .catch(() => undefined);
      reservations.add(reserving);
      void reserving.finally(() => reservations.delete(reserving));
    } else {
      exchange
        .writeCaptures(captures)
        .then(commitPending)
        .catch(() => undefined);
    }
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(reservations);
      await commitPending();
    },
    get lateTicks() {
      return lateTicks;
    },
    clonesPlanted,
  };
}

/** A cloned plate planted in the live traffic: the vehicle's sighting, then the clone's, far away and too soon. */
export interface CloneSighting {
  plateNumber: string;
  plateColor: CaptureRecord['plateColor'];
  from: CheckpointRecord;
  fromAt: number;
  to: CheckpointRecord;
  toAt: number;
  km: number;
}

/**
 * The real vehicle is seen where it was last (or anywhere, if not seen yet) minutes ago; its
 * clone now, at a checkpoint at least CLONE_MIN_KM away: an implied 300-600 km/h.
 */
function plantClone(
  rng: Random,
  vehicle: { plateNumber: string; plateColor: CaptureRecord['plateColor'] },
  checkpoints: readonly CheckpointRecord[],
  travel: TravelLog<string, CheckpointRecord>,
  now: number,
): CloneSighting | null {
  const from = travel.lastPlace(`${vehicle.plateNumber}|${vehicle.plateColor}`) ?? rng.pick(checkpoints);
  const far = checkpoints.filter((c) => distanceKm(from, c) >= CLONE_MIN_KM);
  if (far.length === 0) return null;
  const to = rng.pick(far);
  const km = distanceKm(from, to);
  const fromAt = now - Math.max(60_000, Math.round((km / rng.int(300, 600)) * 3_600_000));
  // The real vehicle's sighting must be the plate's latest before the clone's: skip one seen since.
  if (!travel.canReach(`${vehicle.plateNumber}|${vehicle.plateColor}`, from, fromAt / 1000)) return null;
  return { ...vehicle, from, fromAt, to, toAt: now, km };
}
