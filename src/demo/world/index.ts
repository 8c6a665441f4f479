/**
 * A deterministic synthetic Suzhou: one consistent world of enterprises, licences, vehicles,
 * practitioners, checkpoints, credit records, enforcement cases, weighings and captures, from
 * which the simulated upstream systems and the demo are fed.
 */
export type { World, WorldOptions } from './world';
export { DEFAULT_DAYS, DEFAULT_END_DATE, generateWorld } from './world';
export type { WorldCounts } from './world-counts';
export { worldCounts } from './world-counts';
export type { AxleConfiguration } from './overload-limits';
export { overloadFineYuan, overloadLimitKg, WARNING_MARGIN_KG } from './overload-limits';
export { creditGradeFor } from './credit-grade';
