import { Random } from './random';
import { WeightedTable } from './weighted-table';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Relative traffic per hour of day: morning and evening peaks, quiet small hours. */
const ALL_TRAFFIC = [0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.6, 5.2, 6.4, 5.6, 5.2, 5.0, 4.6, 4.8, 5.0, 5.2, 5.8, 6.6, 5.8, 4.6, 3.8, 3.2, 2.4, 1.6];
/** Freight moves more evenly, with night runs (city truck bans push trucks out of daytime hours). */
const FREIGHT = [2.4, 2.2, 2.0, 2.0, 2.4, 3.0, 3.8, 4.2, 4.0, 4.4, 4.8, 4.8, 4.4, 4.6, 4.8, 4.8, 4.6, 4.2, 3.8, 3.6, 3.6, 3.4, 3.0, 2.6];

export const TRAFFIC_HOURS = new WeightedTable(HOURS, (h) => ALL_TRAFFIC[h]);
export const FREIGHT_HOURS = new WeightedTable(HOURS, (h) => FREIGHT[h]);

/** A second of the day following an hourly profile, uniform within the hour. */
export function secondOfDay(rng: Random, hours: WeightedTable<number>): number {
  return hours.pick(rng) * 3600 + rng.int(0, 3599);
}
