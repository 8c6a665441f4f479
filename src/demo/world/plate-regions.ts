/** Plate prefixes (province + issuing authority) the world issues, with the registration division behind each. */
export interface PlateRegion {
  prefix: string;
  registrationDivision: string;
}

export const SUZHOU_REGIONS: readonly (readonly [PlateRegion, number])[] = [
  [{ prefix: '苏E', registrationDivision: '320500' }, 80],
  [{ prefix: '苏U', registrationDivision: '320500' }, 20],
];

/** Vehicles of Suzhou enterprises registered elsewhere, and traffic passing through. */
export const NEIGHBOUR_REGIONS: readonly (readonly [PlateRegion, number])[] = [
  [{ prefix: '沪A', registrationDivision: '310000' }, 3],
  [{ prefix: '沪B', registrationDivision: '310000' }, 3],
  [{ prefix: '沪D', registrationDivision: '310000' }, 2],
  [{ prefix: '浙A', registrationDivision: '330100' }, 3],
  [{ prefix: '浙F', registrationDivision: '330400' }, 4],
  [{ prefix: '皖A', registrationDivision: '340100' }, 4],
  [{ prefix: '苏A', registrationDivision: '320100' }, 2],
  [{ prefix: '苏B', registrationDivision: '320200' }, 3],
];

/** Passing traffic from further away (long-haul trucks). */
export const DISTANT_REGIONS: readonly (readonly [PlateRegion, number])[] = [
  [{ prefix: '鲁Q', registrationDivision: '370000' }, 1],
  [{ prefix: '豫A', registrationDivision: '410000' }, 1],
  [{ prefix: '皖K', registrationDivision: '340000' }, 1],
  [{ prefix: '冀A', registrationDivision: '130000' }, 1],
];
