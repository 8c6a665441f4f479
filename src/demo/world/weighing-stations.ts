import { Random } from './random';
import { Road, ROADS } from './roads';
import { districtByCode, SuzhouDistrict } from './suzhou-districts';

/** A fixed or non-stop weighing point (治超站 / 不停车检测点). */
export interface WeighingStation {
  code: string;
  name: string;
  road: Road;
  district: SuzhouDistrict;
  /** Relative number of weighings. */
  traffic: number;
}

/** Urban expressways ban heavy trucks, so stations stand on expressways and arterial roads. */
const FREIGHT_ROADS = ROADS.filter((r) => r.kind !== 'URBAN_EXPRESSWAY');

export function generateWeighingStations(seed: number, count: number): WeighingStation[] {
  const rng = Random.from(seed, 'weighing-stations');
  const sequence = new Map<string, number>();
  const names = new Set<string>();
  const out: WeighingStation[] = [];
  for (let i = 0; i < count; i++) {
    const road = rng.weighted(FREIGHT_ROADS.map((r) => [r, r.weight] as const));
    const district = districtByCode(rng.pick(road.districts));
    const n = (sequence.get(district.recordCode) ?? 0) + 1;
    sequence.set(district.recordCode, n);
    const kind = road.kind === 'EXPRESSWAY' ? '收费站入口称重检测点' : '治超检测站';
    let name = `${road.name}${rng.pick(district.towns)}${kind}`;
    for (let k = 2; names.has(name); k++) name = `${road.name}${rng.pick(district.towns)}${k}号${kind}`;
    names.add(name);
    out.push({ code: `${district.recordCode}-ZC-${String(n).padStart(2, '0')}`, name, road, district, traffic: rng.int(5, 20) });
  }
  return out;
}
