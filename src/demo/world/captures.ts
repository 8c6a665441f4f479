import { CaptureRecord } from '../../../connectors/contract/canonical/records';
import { isoDateOf, weekdayOf } from './calendar';
import { WorldCheckpoint } from './checkpoints';
import { secondOfDay, TRAFFIC_HOURS } from './hour-profiles';
import { Passer } from './passing-traffic';
import { Random } from './random';
import { RoadKind } from './roads';
import { PlantedSighting } from './station-traffic';
import { TravelLog } from './travel-time';
import { WeightedTable } from './weighted-table';

export interface CapturePlan {
  /** First day of the capture window (day number). */
  firstDay: number;
  /** Captures per day; their sum is the exact number the stream yields. */
  dayCounts: readonly number[];
  total: number;
}

/** Weekday traffic relative to the average day. */
const WEEKDAY_FACTOR = [0.85, 1.04, 1.04, 1.05, 1.05, 1.06, 0.91];
/** Share of captures of the world's own vehicles; the rest are passing traffic. */
const WORLD_SHARE = 0.8;
/** Share of captures on a vehicle's usual route rather than anywhere. */
const ROUTINE_SHARE = 0.65;

/** Counts per day decided up front, so the total is known before a single capture is built. */
export function planCaptures(seed: number, perDay: number, days: number, endDay: number): CapturePlan {
  const rng = Random.from(seed, 'captures', 'plan');
  const firstDay = endDay - days;
  const dayCounts: number[] = [];
  for (let d = 0; d < days; d++) {
    const noise = 0.97 + rng.next() * 0.06;
    dayCounts.push(Math.max(1, Math.round(perDay * WEEKDAY_FACTOR[weekdayOf(firstDay + d)] * noise)));
  }
  return { firstDay, dayCounts, total: dayCounts.reduce((a, b) => a + b, 0) };
}

export interface CaptureSources {
  checkpoints: readonly WorldCheckpoint[];
  worldPassers: readonly Passer[];
  foreignPassers: readonly Passer[];
  /** Captures the world plants (station traffic, cloned plates), per day of the window, in time order. */
  planted: readonly (readonly PlantedSighting[])[];
  /** Per day, vehicles the general traffic leaves out: all their captures that day are planted. */
  reserved: ReadonlyMap<number, ReadonlySet<Passer>>;
}

const SECONDS_PER_DAY = 86400;

/**
 * One array per day, in time order, serials continuing from 1, with the planted captures among
 * the general traffic. Each day draws from its own stream; the vehicles' whereabouts carry over
 * from day to day (no vehicle is anywhere it could not have driven to since it was last seen),
 * so the days are always generated from the first. Only one day is held in memory.
 */
export function* streamCaptures(seed: number, plan: CapturePlan, sources: CaptureSources): Generator<CaptureRecord[]> {
  const checkpoints = new WeightedTable(sources.checkpoints, (c) => c.traffic);
  const world = new WeightedTable(sources.worldPassers, (p) => p.activity);
  const foreign = new WeightedTable(sources.foreignPassers, (p) => p.activity);
  const travel = new TravelLog<Passer, WorldCheckpoint>((c) => c.record);
  const homes = new Map<Passer, WorldCheckpoint[]>();
  const homeOf = (p: Passer) => {
    let home = homes.get(p);
    if (!home) homes.set(p, (home = p.home.map((h) => sources.checkpoints[h])));
    return home;
  };
  let serial = 0;
  for (let d = 0; d < plan.dayCounts.length; d++) {
    const rng = Random.from(seed, 'captures', 'day', d);
    const n = plan.dayCounts[d];
    const seconds = new Int32Array(n);
    for (let i = 0; i < n; i++) seconds[i] = secondOfDay(rng, TRAFFIC_HOURS);
    seconds.sort();
    const datePrefix = `${isoDateOf(plan.firstDay + d)}T`;
    const reserved = sources.reserved.get(d);
    const general: CaptureRecord[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let passer = (world.total > 0 && (foreign.total === 0 || rng.chance(WORLD_SHARE)) ? world : foreign).pick(rng);
      while (reserved?.has(passer)) passer = (foreign.total > 0 ? foreign : world).pick(rng);
      const home = homeOf(passer);
      const intended = rng.chance(ROUTINE_SHARE) ? home[rng.int(0, home.length - 1)] : checkpoints.pick(rng);
      const second = d * SECONDS_PER_DAY + seconds[i];
      const checkpoint = travel.reachable(passer, intended, home, second);
      travel.see(passer, checkpoint, second);
      const lanes = checkpoint.lanes;
      general[i] = {
        serial: 0,
        checkpointCode: checkpoint.record.code,
        plateNumber: passer.plateNumber,
        plateColor: passer.plateColor,
        capturedAt: `${datePrefix}${clock(seconds[i])}+08:00`,
        direction: checkpoint.record.direction,
        lane: passer.heavy ? rng.int(Math.max(1, lanes - 1), lanes) : rng.int(1, lanes),
        speedKmh: speed(rng, checkpoint.road.kind, passer.heavy),
        imageRef: '',
      };
    }
    const day = mergePlanted(seed, d, datePrefix, general, sources.planted[d] ?? []);
    for (const capture of day) {
      serial++;
      capture.serial = serial;
      capture.imageRef = `img://checkpoint/${capture.checkpointCode}/${serial}.jpg`;
    }
    yield day;
  }
}

/** The day's planted captures merged into its general traffic, in time order (serials still to be given). */
function mergePlanted(seed: number, d: number, datePrefix: string, general: CaptureRecord[], planted: readonly PlantedSighting[]): CaptureRecord[] {
  if (planted.length === 0) return general;
  const rng = Random.from(seed, 'captures', 'planted', d);
  const out: CaptureRecord[] = [];
  let g = 0;
  for (const p of planted) {
    const at = `${datePrefix}${clock(p.second)}+08:00`;
    while (g < general.length && general[g].capturedAt <= at) out.push(general[g++]);
    const lanes = p.checkpoint.lanes;
    out.push({
      serial: 0,
      checkpointCode: p.checkpoint.record.code,
      plateNumber: p.plateNumber,
      plateColor: p.plateColor,
      capturedAt: at,
      direction: p.checkpoint.record.direction,
      lane: rng.int(1, lanes),
      speedKmh: speed(rng, p.checkpoint.road.kind, false),
      imageRef: '',
    });
  }
  while (g < general.length) out.push(general[g++]);
  return out;
}

const SPEED: Record<RoadKind, { light: readonly [number, number, number, number]; heavy: readonly [number, number, number, number] }> = {
  // mean, sd, min, max (km/h)
  EXPRESSWAY: { light: [100, 12, 40, 160], heavy: [78, 7, 40, 110] },
  URBAN_EXPRESSWAY: { light: [68, 10, 20, 110], heavy: [55, 7, 20, 90] },
  ARTERIAL: { light: [55, 10, 10, 100], heavy: [48, 8, 10, 85] },
};

function speed(rng: Random, kind: RoadKind, heavy: boolean): number {
  const [mean, sd, min, max] = SPEED[kind][heavy ? 'heavy' : 'light'];
  return Math.min(max, Math.max(min, Math.round(rng.normal(mean, sd))));
}

function clock(second: number): string {
  const h = Math.floor(second / 3600);
  const m = Math.floor((second % 3600) / 60);
  const s = second % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
}
