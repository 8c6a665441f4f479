import { EnterpriseProfile } from './profiles';

export interface FleetSlot {
  typeCode: string;
  /** Driving-school vehicle with a 学 plate. */
  coach: boolean;
}

type Mix = readonly (readonly [FleetSlot, number])[];
const slot = (typeCode: string, coach = false): FleetSlot => ({ typeCode, coach });

const COMPANY_CARS: Mix = [
  [slot('K33'), 55],
  [slot('K31'), 20],
  [slot('H31'), 12],
  [slot('H32'), 13],
];

/** What each kind of enterprise owns; only operators own vehicles that need a road transport certificate. */
export const FLEET_MIX: Record<EnterpriseProfile, Mix> = {
  [EnterpriseProfile.FREIGHT]: [
    [slot('H11'), 14],
    [slot('H12'), 10],
    [slot('H17'), 5],
    [slot('H19'), 8],
    [slot('Q11'), 14],
    [slot('B11'), 8],
    [slot('B12'), 4],
    [slot('H21'), 6],
    [slot('H22'), 6],
    [slot('H31'), 8],
    [slot('H32'), 9],
    [slot('K33'), 5],
    [slot('K31'), 3],
  ],
  [EnterpriseProfile.DANGEROUS_GOODS]: [
    [slot('H14'), 35],
    [slot('H24'), 10],
    [slot('Q11'), 25],
    [slot('B13'), 22],
    [slot('K33'), 8],
  ],
  [EnterpriseProfile.PASSENGER]: [
    [slot('K11'), 55],
    [slot('K21'), 30],
    [slot('K31'), 8],
    [slot('K33'), 7],
  ],
  [EnterpriseProfile.DRIVER_TRAINING]: [
    [slot('K33', true), 80],
    [slot('H11', true), 6],
    [slot('K11', true), 4],
    [slot('K31'), 10],
  ],
  [EnterpriseProfile.VEHICLE_REPAIR]: COMPANY_CARS,
  [EnterpriseProfile.STATION]: COMPANY_CARS,
  [EnterpriseProfile.OTHER]: COMPANY_CARS,
};

/** Vehicles without an enterprise owner: individually owned light trucks. */
export const PRIVATE_MIX: Mix = [
  [slot('H31'), 60],
  [slot('H32'), 40],
];

/** Fleet-size buckets per profile ([min, max], weight): a few large fleets, many small ones. */
export const FLEET_SIZES: Record<EnterpriseProfile, readonly (readonly [readonly [number, number], number])[]> = {
  [EnterpriseProfile.FREIGHT]: [
    [[1, 3], 35],
    [[4, 10], 30],
    [[11, 30], 22],
    [[31, 80], 10],
    [[81, 200], 3],
  ],
  [EnterpriseProfile.DANGEROUS_GOODS]: [
    [[2, 10], 40],
    [[11, 30], 40],
    [[31, 80], 20],
  ],
  [EnterpriseProfile.PASSENGER]: [
    [[2, 10], 40],
    [[11, 40], 40],
    [[41, 120], 20],
  ],
  [EnterpriseProfile.DRIVER_TRAINING]: [
    [[5, 20], 50],
    [[21, 60], 40],
    [[61, 150], 10],
  ],
  [EnterpriseProfile.VEHICLE_REPAIR]: [
    [[0, 0], 40],
    [[1, 3], 60],
  ],
  [EnterpriseProfile.STATION]: [
    [[0, 0], 40],
    [[1, 3], 60],
  ],
  [EnterpriseProfile.OTHER]: [
    [[0, 0], 55],
    [[1, 2], 35],
    [[3, 8], 10],
  ],
};

/** Profiles whose business needs vehicles: every such enterprise owns at least one. */
export const FLEET_OPERATORS: ReadonlySet<EnterpriseProfile> = new Set([
  EnterpriseProfile.FREIGHT,
  EnterpriseProfile.DANGEROUS_GOODS,
  EnterpriseProfile.PASSENGER,
  EnterpriseProfile.DRIVER_TRAINING,
]);
