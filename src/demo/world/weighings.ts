import { WeighingRecord } from '../../../connectors/contract/canonical/records';
import { isoInstantOf, localInstant, SECONDS_PER_DAY } from './calendar';
import { FREIGHT_HOURS, secondOfDay } from './hour-profiles';
import { AxleConfiguration, overloadLimitKg } from './overload-limits';
import { Random } from './random';
import { VehicleClass } from './vehicle-types';
import { WeighingStation } from './weighing-stations';
import { WorldVehicle } from './vehicles';
import { WeightedTable } from './weighted-table';

export interface WorldWeighing {
  record: WeighingRecord;
  vehicle: WorldVehicle;
  station: WeighingStation;
  measuredInstant: number;
}

/** Weighings span the last half year. */
export const WEIGHING_WINDOW_DAYS = 180;
const WEIGHT_BY_CLASS: Partial<Record<VehicleClass, number>> = { HEAVY_TRUCK: 3, MEDIUM_TRUCK: 2, TRACTOR: 4, LIGHT_TRUCK: 0.3 };
/** Light trucks are never over the 2-axle limit; everything heavier is, about one time in nine. */
const OVERLOAD_SHARE = 0.11;
/** How far over the overloaded are: mostly a little, a few grossly. */
const EXCESS: readonly (readonly [readonly [number, number], number])[] = [
  [[0.002, 0.05], 45],
  [[0.05, 0.2], 35],
  [[0.2, 0.5], 15],
  [[0.5, 1.0], 5],
];

export function generateWeighings(
  seed: number,
  count: number,
  vehicles: readonly WorldVehicle[],
  stations: readonly WeighingStation[],
  endDay: number,
): WorldWeighing[] {
  const rng = Random.from(seed, 'weighings');
  const trucks = vehicles.filter((v) => WEIGHT_BY_CLASS[v.type.vehicleClass]);
  const pool = new WeightedTable(trucks.length > 0 ? trucks : vehicles, (v) => WEIGHT_BY_CLASS[v.type.vehicleClass] ?? 1);
  const stationTable = new WeightedTable(stations, (s) => s.traffic);
  const singleDrive = new Map<WorldVehicle, boolean>();
  const drafts: Omit<WorldWeighing, 'record'>[] = [];
  const measurements: { config: AxleConfiguration; measured: number; limit: number }[] = [];
  for (let i = 0; i < count; i++) {
    const vehicle = pool.pick(rng);
    const station = stationTable.pick(rng);
    const day = rng.int(endDay - WEIGHING_WINDOW_DAYS, endDay - 1);
    const config = axleConfiguration(rng, vehicle, singleDrive);
    const limit = overloadLimitKg(config);
    measurements.push({ config, measured: measuredMass(rng, vehicle, limit), limit });
    drafts.push({ vehicle, station, measuredInstant: localInstant(day, secondOfDay(rng, FREIGHT_HOURS)) });
  }
  const order = drafts.map((_, i) => i).sort((a, b) => drafts[a].measuredInstant - drafts[b].measuredInstant || a - b);
  const lastSecond = endDay * SECONDS_PER_DAY - 1;
  return order.map((i, n) => {
    const { vehicle, station, measuredInstant } = drafts[i];
    const { config, measured, limit } = measurements[i];
    const overloadKg = Math.max(0, measured - limit);
    const record: WeighingRecord = {
      sourceId: `WG${String(n + 1).padStart(8, '0')}`,
      stationCode: station.code,
      stationName: station.name,
      stationDivisionCode: station.district.recordCode,
      plateNumber: vehicle.record.plateNumber,
      plateColor: vehicle.record.plateColor,
      axleCount: config.axleCount,
      measuredTotalMassKg: measured,
      limitKg: limit,
      overloadKg,
      overloadRatio: overloadKg > 0 ? Math.round((overloadKg / limit) * 10000) / 10000 : 0,
      measuredAt: isoInstantOf(measuredInstant),
      updatedAt: isoInstantOf(Math.min(measuredInstant + 30 + ((n * 7919) % 570), lastSecond)),
    };
    return { record, vehicle, station, measuredInstant };
  });
}

/** Tractors mostly pull a semi-trailer; a few 3-axle tractors have a single drive axle. */
function axleConfiguration(rng: Random, vehicle: WorldVehicle, singleDrive: Map<WorldVehicle, boolean>): AxleConfiguration {
  const axles = vehicle.record.axleCount;
  if (vehicle.type.vehicleClass !== 'TRACTOR' || rng.chance(0.1)) return { axleCount: axles, combination: false };
  if (!singleDrive.has(vehicle)) singleDrive.set(vehicle, axles === 3 && rng.chance(0.1));
  const trailerAxles = rng.chance(0.8) ? 3 : 2;
  return { axleCount: axles + trailerAxles, combination: true, singleDriveAxle: singleDrive.get(vehicle) };
}

function measuredMass(rng: Random, vehicle: WorldVehicle, limit: number): number {
  const round10 = (kg: number) => Math.round(kg / 10) * 10;
  if (vehicle.type.vehicleClass === 'LIGHT_TRUCK') return round10(vehicle.record.ratedTotalMassKg * (0.6 + rng.next()));
  if (rng.chance(OVERLOAD_SHARE)) {
    const [min, max] = rng.weighted(EXCESS);
    return Math.max(limit + 10, round10(limit * (1 + min + rng.next() * (max - min))));
  }
  return Math.min(limit, round10(limit * (0.3 + rng.next() * 0.69)));
}
