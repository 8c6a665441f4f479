import { TravelDirection } from '../../../connectors/contract/canonical/codes';
import { isoInstantOf, localInstant } from './calendar';
import { WorldCheckpoint } from './checkpoints';
import { Random } from './random';
import { Road } from './roads';

/**
 * Suzhou's railway and coach stations, each watched by a checkpoint on its forecourt road: where
 * black cabs (黑车) wait for passengers, and so where the ILLEGAL_OPERATION rule looks (the rule
 * file's hubCheckpointNameContains words: 火车站, 汽车站, 客运站, 高铁). Real places at their
 * approximate coordinates; the same in every world.
 */
interface TransportHub {
  name: string;
  road: string;
  /** District code (record form). */
  division: string;
  latitude: number;
  longitude: number;
  direction: TravelDirection;
}

export const TRANSPORT_HUBS: readonly TransportHub[] = [
  { name: '苏州火车站', road: '北环快速路', division: '320508', latitude: 31.331236, longitude: 120.610512, direction: TravelDirection.WESTBOUND },
  { name: '苏州北站高铁', road: '相城大道', division: '320507', latitude: 31.418734, longitude: 120.632781, direction: TravelDirection.SOUTHBOUND },
  { name: '苏州汽车北站客运站', road: '西汇路', division: '320508', latitude: 31.334102, longitude: 120.615633, direction: TravelDirection.EASTBOUND },
  { name: '苏州汽车南站客运站', road: '南环东路', division: '320508', latitude: 31.283417, longitude: 120.627954, direction: TravelDirection.NORTHBOUND },
  { name: '苏州园区站高铁', road: '星湖街', division: '320576', latitude: 31.320875, longitude: 120.717512, direction: TravelDirection.SOUTHBOUND },
  { name: '昆山南站高铁', road: '前进西路', division: '320583', latitude: 31.376604, longitude: 120.954891, direction: TravelDirection.EASTBOUND },
];

const DIRECTION_LABEL: Record<TravelDirection, string> = {
  [TravelDirection.NORTHBOUND]: '由南向北',
  [TravelDirection.SOUTHBOUND]: '由北向南',
  [TravelDirection.EASTBOUND]: '由西向东',
  [TravelDirection.WESTBOUND]: '由东向西',
};

/**
 * The stations' checkpoints, numbered on after the district's other checkpoints (`general`).
 * Their traffic is the station traffic of `station-traffic.ts`: they take no share of the
 * general traffic.
 */
export function hubCheckpoints(seed: number, general: readonly WorldCheckpoint[], endDay: number): WorldCheckpoint[] {
  const rng = Random.from(seed, 'checkpoints', 'transport-hubs');
  const sequence = new Map<string, number>();
  for (const c of general) {
    const n = Number(c.record.code.slice(-4));
    if (n > (sequence.get(c.record.divisionCode) ?? 0)) sequence.set(c.record.divisionCode, n);
  }
  return TRANSPORT_HUBS.map((hub) => {
    const n = (sequence.get(hub.division) ?? 0) + 1;
    sequence.set(hub.division, n);
    const road: Road = { name: hub.road, kind: 'ARTERIAL', axis: 'EW', districts: [hub.division], weight: 0 };
    return {
      record: {
        code: `${hub.division}-KK-${String(n).padStart(4, '0')}`,
        name: `${hub.road}${hub.name}卡口（${DIRECTION_LABEL[hub.direction]}）`,
        road: hub.road,
        direction: hub.direction,
        latitude: hub.latitude,
        longitude: hub.longitude,
        divisionCode: hub.division,
        updatedAt: isoInstantOf(localInstant(rng.int(endDay - 1500, endDay - 1), rng.int(9 * 3600, 17 * 3600))),
      },
      road,
      lanes: 2,
      traffic: 0,
    };
  });
}
