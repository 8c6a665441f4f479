import { PlateColor } from '../../../connectors/contract/canonical/codes';
import { WorldCheckpoint } from './checkpoints';
import { NEIGHBOUR_REGIONS, PlateRegion, SUZHOU_REGIONS } from './plate-regions';
import { PlateRegistry } from './plate-registry';
import { Random } from './random';
import { plausibleTrip } from './travel-time';

/** A capture the world plants among the general traffic: where, when (second of its day), whose plate. */
export interface PlantedSighting {
  /** Index of the capture window's day (0 = first day). */
  day: number;
  second: number;
  checkpoint: WorldCheckpoint;
  plateNumber: string;
  plateColor: PlateColor;
}

/** A car working (or visiting) the stations, as the world planted it: what a rule may find. */
export interface StationCar {
  plateNumber: string;
  plateColor: PlateColor;
  /** Distinct days it was captured at a station checkpoint. */
  stationDays: number;
  /** Its captures at station checkpoints. */
  stationCaptures: number;
  /** Its captures on expressways, on runs to other cities. */
  trips: number;
}

export interface StationTraffic {
  /** Black cabs (黑车): private passenger cars, no operating certificate, working the stations day after day. */
  blackCabs: StationCar[];
  /** Ordinary cars dropping off or picking up at the stations now and then, some often: never a commercial pattern. */
  visitors: StationCar[];
  /** Their captures, per day of the window, in time order. */
  sightings: PlantedSighting[][];
}

/** Stations are worked and visited in the daytime; nothing planted crosses midnight. */
const FIRST_SECOND = 6 * 3600 + 30 * 60;
const LAST_SECOND = 21 * 3600;
/** Shortest wait at a station between two fares. */
const MIN_GAP = 40 * 60;
const PLATE_REGIONS: readonly (readonly [readonly (readonly [PlateRegion, number])[], number])[] = [
  [SUZHOU_REGIONS, 85],
  [NEIGHBOUR_REGIONS, 15],
];

/**
 * Station traffic of private cars outside the world's registers (their plates from the world's
 * registry, so none collides with a registered vehicle): `blackCabs` working the railway and coach
 * stations on many distinct days (some days with a run to another city over the expressway),
 * and `visitors`, the ordinary traffic of a station, a few visits each; some visit often, but on
 * too few days or too rarely to be a commercial pattern.
 */
export function stationTraffic(
  seed: number,
  counts: { blackCabs: number; visitors: number },
  days: number,
  stations: readonly WorldCheckpoint[],
  expressways: readonly WorldCheckpoint[],
  plates: PlateRegistry,
): StationTraffic {
  const rng = Random.from(seed, 'station-traffic');
  const sightings: PlantedSighting[][] = Array.from({ length: days }, () => []);
  const car = () => {
    const region = rng.weighted(rng.weighted(PLATE_REGIONS));
    return plates.issue(rng, region.prefix, rng.chance(0.7) ? 'SMALL' : 'SMALL_NEW_ENERGY');
  };
  const plant = (plate: { plateNumber: string; plateColor: PlateColor }, workDays: readonly number[], perDay: () => number, tripShare: number): StationCar => {
    const haunts = [rng.pick(stations), rng.pick(stations)];
    const out: StationCar = { ...plate, stationDays: 0, stationCaptures: 0, trips: 0 };
    for (const day of workDays) {
      const stops = perDay();
      const times = spacedSeconds(rng, stops + (rng.chance(tripShare) ? 1 : 0));
      const route: PlantedSighting[] = [];
      times.forEach((second, i) => {
        const trip = i >= stops && expressways.length > 0;
        const checkpoint = trip ? rng.pick(expressways) : rng.chance(0.8) ? haunts[0] : haunts[1];
        const previous = route[route.length - 1];
        // A stop the car could not have reached in time is not taken: the world never implies an impossible trip.
        if (previous && !plausibleTrip(sightingOf(previous), sightingOf({ second, checkpoint }))) return;
        route.push({ day, second, checkpoint, ...plate });
      });
      const atStations = route.filter((s) => stations.includes(s.checkpoint)).length;
      out.stationCaptures += atStations;
      out.stationDays += atStations > 0 ? 1 : 0;
      out.trips += route.length - atStations;
      sightings[day].push(...route);
    }
    return out;
  };
  const blackCabs: StationCar[] = [];
  for (let i = 0; i < counts.blackCabs; i++) {
    // Most work most days; a few only part of the month.
    const workDays = pickDays(rng, days, Math.min(days, rng.int(10, 24)));
    blackCabs.push(plant(car(), workDays, () => rng.int(2, 4), 0.4));
  }
  const visitors: StationCar[] = [];
  for (let i = 0; i < counts.visitors; i++) {
    const habit = rng.weighted([
      ['once', 50],
      ['sometimes', 35],
      ['daily-commuter', 8],
      ['twice-a-day', 7],
    ] as const);
    // A commuter is there on many days, but once a day; one who drops off and picks up is there twice, on few days.
    const workDays =
      habit === 'once'
        ? pickDays(rng, days, 1)
        : habit === 'sometimes'
          ? pickDays(rng, days, Math.min(days, rng.int(2, 4)))
          : habit === 'daily-commuter'
            ? pickDays(rng, days, Math.min(days, rng.int(8, 11)))
            : pickDays(rng, days, Math.min(days, rng.int(3, 6)));
    visitors.push(plant(car(), workDays, () => (habit === 'twice-a-day' ? 2 : 1), 0));
  }
  for (const day of sightings) day.sort((a, b) => a.second - b.second);
  return { blackCabs, visitors, sightings };
}

const sightingOf = (s: { second: number; checkpoint: WorldCheckpoint }) => ({
  latitude: s.checkpoint.record.latitude,
  longitude: s.checkpoint.record.longitude,
  second: s.second,
});

/** `n` distinct day indexes of `days`, ascending. */
function pickDays(rng: Random, days: number, n: number): number[] {
  return rng
    .shuffle(Array.from({ length: days }, (_, d) => d))
    .slice(0, n)
    .sort((a, b) => a - b);
}

/** `n` seconds of the day in time order, at least MIN_GAP apart, within the daytime. */
function spacedSeconds(rng: Random, n: number): number[] {
  const slack = LAST_SECOND - FIRST_SECOND - MIN_GAP * (n - 1);
  const offsets = Array.from({ length: n }, () => rng.int(0, Math.max(0, slack))).sort((a, b) => a - b);
  return offsets.map((o, i) => FIRST_SECOND + o + i * MIN_GAP);
}
