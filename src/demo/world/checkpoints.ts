import { TravelDirection } from '../../../connectors/contract/canonical/codes';
import { CheckpointRecord } from '../../../connectors/contract/canonical/records';
import { isoInstantOf, localInstant } from './calendar';
import { Random } from './random';
import { LANES, Road, ROADS } from './roads';
import { districtByCode, SUZHOU_BOUNDS, SuzhouDistrict } from './suzhou-districts';

export interface WorldCheckpoint {
  record: CheckpointRecord;
  road: Road;
  lanes: number;
  /** Relative traffic volume. */
  traffic: number;
}

const DIRECTIONS_BY_AXIS: Record<Road['axis'], readonly TravelDirection[]> = {
  NS: [TravelDirection.NORTHBOUND, TravelDirection.SOUTHBOUND],
  EW: [TravelDirection.EASTBOUND, TravelDirection.WESTBOUND],
  RING: [TravelDirection.NORTHBOUND, TravelDirection.SOUTHBOUND, TravelDirection.EASTBOUND, TravelDirection.WESTBOUND],
};
const DIRECTION_LABEL: Record<TravelDirection, string> = {
  [TravelDirection.NORTHBOUND]: '由南向北',
  [TravelDirection.SOUTHBOUND]: '由北向南',
  [TravelDirection.EASTBOUND]: '由西向东',
  [TravelDirection.WESTBOUND]: '由东向西',
};
const TRAFFIC: Record<Road['kind'], readonly [number, number]> = {
  EXPRESSWAY: [15, 30],
  URBAN_EXPRESSWAY: [10, 25],
  ARTERIAL: [5, 15],
};

export function generateCheckpoints(seed: number, count: number, endDay: number): WorldCheckpoint[] {
  const rng = Random.from(seed, 'checkpoints');
  const sequence = new Map<string, number>();
  const names = new Map<string, number>();
  const out: WorldCheckpoint[] = [];
  for (let i = 0; i < count; i++) {
    const road = rng.weighted(ROADS.map((r) => [r, r.weight] as const));
    const district = districtByCode(rng.pick(road.districts));
    const direction = rng.pick(DIRECTIONS_BY_AXIS[road.axis]);
    const [latitude, longitude] = position(rng, district);
    const n = (sequence.get(district.recordCode) ?? 0) + 1;
    sequence.set(district.recordCode, n);
    const place = `${road.name}${rng.pick(district.towns)}`;
    const seen = (names.get(place) ?? 0) + 1;
    names.set(place, seen);
    out.push({
      record: {
        code: `${district.recordCode}-KK-${String(n).padStart(4, '0')}`,
        name: `${place}${seen > 1 ? `${seen}号` : ''}卡口（${DIRECTION_LABEL[direction]}）`,
        road: road.name,
        direction,
        latitude,
        longitude,
        divisionCode: district.recordCode,
        updatedAt: isoInstantOf(localInstant(rng.int(endDay - 1500, endDay - 1), rng.int(9 * 3600, 17 * 3600))),
      },
      road,
      lanes: rng.int(...LANES[road.kind]),
      traffic: rng.int(...TRAFFIC[road.kind]),
    });
  }
  return out;
}

/** A point near the district centre, kept inside Suzhou, to 6 decimals (about 0.1 m). */
export function position(rng: Random, district: SuzhouDistrict): [number, number] {
  const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
  const lat = clamp(district.centre[0] + (rng.next() * 2 - 1) * district.spread, SUZHOU_BOUNDS.minLat, SUZHOU_BOUNDS.maxLat);
  const lon = clamp(district.centre[1] + (rng.next() * 2 - 1) * district.spread, SUZHOU_BOUNDS.minLon, SUZHOU_BOUNDS.maxLon);
  return [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6];
}
