import { PlateColor } from '../../../connectors/contract/canonical/codes';
import { isoDateOf } from './calendar';
import { WorldCheckpoint } from './checkpoints';
import { Passer } from './passing-traffic';
import { Random } from './random';
import { PlantedSighting } from './station-traffic';
import { distanceKm, plausibleTrip } from './travel-time';

/** A cloned plate (套牌) as the world planted it: a second vehicle with a real vehicle's plate, seen once. */
export interface ClonedPlate {
  plateNumber: string;
  plateColor: PlateColor;
  /** The Beijing day of the clone's sighting (the CLONED_PLATE clue's window). */
  date: string;
  /** Division of the checkpoint that saw the clone. */
  division: string;
  /** The real vehicle's capture just before, and the clone's: checkpoint codes, km and minutes apart. */
  original: string;
  clone: string;
  km: number;
  minutes: number;
}

export interface ClonedPlates {
  planted: ClonedPlate[];
  /** The real vehicles' and the clones' captures on those days, per day of the window. */
  sightings: PlantedSighting[][];
  /** Per day, the real vehicles whose captures that day are all planted: the general traffic leaves them out. */
  reserved: Map<number, Set<Passer>>;
}

/** A clone is seen far from the original: well past the rule's minimum distance. */
const MIN_KM = 30;
/** The real vehicle's day: two sightings in the daytime, so nothing planted is near midnight. */
const FIRST = 7 * 3600;
const LAST = 19 * 3600;

/**
 * `count` cloned plates of distinct world vehicles that are on the road, each on one day: that
 * day the real vehicle passes two of its usual checkpoints, and minutes after the first, the
 * clone is captured at a checkpoint at least MIN_KM away (an implied 250-900 km/h). The first
 * clone is seen on the window's last day in `focusDivision` (the README's district).
 */
export function plantClones(
  seed: number,
  count: number,
  window: { firstDay: number; days: number },
  passers: readonly Passer[],
  general: readonly WorldCheckpoint[],
  everywhere: readonly WorldCheckpoint[],
  focusDivision: string,
): ClonedPlates {
  const rng = Random.from(seed, 'cloned-plates');
  const onRoad = passers.filter((p) => p.activity >= 1);
  const planted: ClonedPlate[] = [];
  const sightings: PlantedSighting[][] = Array.from({ length: window.days }, () => []);
  const reserved = new Map<number, Set<Passer>>();
  const used = new Set<Passer>();
  const at = (c: WorldCheckpoint, second: number) => ({ latitude: c.record.latitude, longitude: c.record.longitude, second });
  for (let i = 0; i < count && onRoad.length > 0; i++) {
    const day = i === 0 ? window.days - 1 : rng.int(0, window.days - 1);
    const division = i === 0 ? focusDivision : null;
    for (let attempt = 0; attempt < 50; attempt++) {
      const passer = rng.pick(onRoad);
      if (used.has(passer)) continue;
      const from = general[passer.home[0]];
      const far = everywhere.filter((x) => (division === null || x.record.divisionCode === division) && distanceKm(from.record, x.record) >= MIN_KM);
      if (far.length === 0) continue;
      const to = rng.pick(far);
      const km = distanceKm(from.record, to.record);
      const first = rng.int(FIRST, LAST - 3 * 3600);
      const cloneSecond = first + Math.max(60, Math.round((km / rng.int(250, 900)) * 3600));
      // The real vehicle goes on, later, to another of its checkpoints it can reach in time.
      const later = general[passer.home[1]];
      const laterSecond = rng.int(cloneSecond + 3600, LAST);
      const then = plausibleTrip(at(from, first), at(later, laterSecond)) ? later : from;
      used.add(passer);
      if (!reserved.has(day)) reserved.set(day, new Set());
      reserved.get(day)!.add(passer);
      const plate = { plateNumber: passer.plateNumber, plateColor: passer.plateColor };
      sightings[day].push(
        { day, second: first, checkpoint: from, ...plate },
        { day, second: cloneSecond, checkpoint: to, ...plate },
        { day, second: laterSecond, checkpoint: then, ...plate },
      );
      planted.push({
        ...plate,
        date: isoDateOf(window.firstDay + day),
        division: to.record.divisionCode,
        original: from.record.code,
        clone: to.record.code,
        km: Math.round(km * 10) / 10,
        minutes: Math.round(((cloneSecond - first) / 60) * 10) / 10,
      });
      break;
    }
  }
  for (const day of sightings) day.sort((a, b) => a.second - b.second);
  return { planted, sightings, reserved };
}
