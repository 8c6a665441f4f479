/** How many of each thing a world of `size` holds; everything is linear in size. */
export interface WorldCounts {
  enterprises: number;
  vehicles: number;
  practitioners: number;
  checkpoints: number;
  weighingStations: number;
  weighings: number;
  enforcementCases: number;
  abnormalOperations: number;
  /** Credit-list entries besides the abnormal-operation mirrors. */
  creditListEntries: number;
  /** Foreign vehicles (not in the world's registers) that pass checkpoints. */
  passingVehicles: number;
  capturesPerDay: number;
  /** Black cabs (黑车) working the railway and coach stations. */
  blackCabs: number;
  /** Cars visiting the stations now and then (the black cabs' negatives). */
  stationVisitors: number;
  /** World vehicles whose plate a second vehicle carries (套牌), each seen once. */
  clonedPlates: number;
}

const AT_SIZE_ONE: WorldCounts = {
  enterprises: 2000,
  vehicles: 20000,
  practitioners: 8000,
  checkpoints: 200,
  weighingStations: 24,
  weighings: 20000,
  enforcementCases: 3000,
  abnormalOperations: 120,
  creditListEntries: 180,
  passingVehicles: 12000,
  capturesPerDay: 1_000_000 / 30,
  blackCabs: 40,
  stationVisitors: 200,
  clonedPlates: 12,
};

/** Floors keep a tiny world usable: at least one of each kind, five checkpoints, two weighing stations. */
const MINIMUM: WorldCounts = {
  enterprises: 1,
  vehicles: 1,
  practitioners: 1,
  checkpoints: 5,
  weighingStations: 2,
  weighings: 1,
  enforcementCases: 1,
  abnormalOperations: 1,
  creditListEntries: 1,
  passingVehicles: 5,
  capturesPerDay: 1,
  blackCabs: 1,
  stationVisitors: 2,
  clonedPlates: 1,
};

export function worldCounts(size: number): WorldCounts {
  if (!(size > 0) || !Number.isFinite(size)) throw new RangeError(`size must be a positive number, got ${size}`);
  const counts = {} as WorldCounts;
  for (const key of Object.keys(AT_SIZE_ONE) as (keyof WorldCounts)[]) {
    const scaled = AT_SIZE_ONE[key] * size;
    counts[key] = key === 'capturesPerDay' ? Math.max(MINIMUM[key], scaled) : Math.max(MINIMUM[key], Math.round(scaled));
  }
  return counts;
}
