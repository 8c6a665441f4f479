/**
 * Total-mass limits for road freight vehicles (GB 1589, as summarised in identifiers.md) and
 * the fine for exceeding them.
 */
export interface AxleConfiguration {
  axleCount: number;
  /** A tractor pulling a semi-trailer (or a truck with a trailer), as opposed to a rigid truck. */
  combination: boolean;
  /** Six or more axles with a single drive axle on the tractor: the lower 46 t limit. */
  singleDriveAxle?: boolean;
}

export function overloadLimitKg({ axleCount, combination, singleDriveAxle = false }: AxleConfiguration): number {
  if (!Number.isInteger(axleCount) || axleCount < 2) throw new RangeError(`no limit for ${axleCount} axles`);
  switch (axleCount) {
    case 2:
      return 18_000;
    case 3:
      return combination ? 27_000 : 25_000;
    case 4:
      return combination ? 36_000 : 31_000;
    case 5:
      return 43_000;
    default:
      return singleDriveAxle ? 46_000 : 49_000;
  }
}

/** Up to this much over the limit earns a warning, not a fine. */
export const WARNING_MARGIN_KG = 1_000;
const FINE_PER_STARTED_TONNE_YUAN = 500;
const FINE_CAP_YUAN = 30_000;

/**
 * ¥500 per 1,000 kg over, capped at ¥30,000; 0 within the warning margin. A started tonne
 * counts as a tonne (our reading: the summary does not say how part-tonnes round).
 */
export function overloadFineYuan(overloadKg: number): number {
  if (overloadKg <= WARNING_MARGIN_KG) return 0;
  return Math.min(FINE_CAP_YUAN, Math.ceil(overloadKg / 1_000) * FINE_PER_STARTED_TONNE_YUAN);
}
