import { LicenceStatus, PlateColor, TransportCertificateStatus } from '../../../connectors/contract/canonical/codes';
import { OperatorLicenceRecord } from '../../../connectors/contract/canonical/records';
import { DISTANT_REGIONS, NEIGHBOUR_REGIONS, PlateRegion, SUZHOU_REGIONS } from './plate-regions';
import { PlateRegistry, PlateStyle } from './plate-registry';
import { Random } from './random';
import { WorldVehicle } from './vehicles';

/** A vehicle as a checkpoint sees it. */
export interface Passer {
  plateNumber: string;
  plateColor: PlateColor;
  /** Trucks and buses: slower, in the outer lanes. */
  heavy: boolean;
  /** Relative frequency of passing a checkpoint. */
  activity: number;
  /** Indexes of the checkpoints on this vehicle's usual routes. */
  home: readonly number[];
}

const HOME_CHECKPOINTS = 3;
const ACTIVITY: Record<WorldVehicle['type']['vehicleClass'], number> = {
  CAR: 1,
  BUS: 3,
  HEAVY_TRUCK: 3,
  MEDIUM_TRUCK: 2,
  LIGHT_TRUCK: 2,
  TRACTOR: 4,
  TRAILER: 0,
};
const FOREIGN_KINDS: readonly (readonly [{ styles: readonly (readonly [PlateStyle, number])[]; heavy: boolean }, number])[] = [
  [
    {
      styles: [
        ['SMALL', 72],
        ['SMALL_NEW_ENERGY', 28],
      ],
      heavy: false,
    },
    70,
  ],
  [
    {
      styles: [
        ['LARGE', 95],
        ['LARGE_NEW_ENERGY', 5],
      ],
      heavy: true,
    },
    22,
  ],
  [
    {
      styles: [
        ['LARGE', 50],
        ['LARGE_NEW_ENERGY', 50],
      ],
      heavy: true,
    },
    5,
  ],
  [{ styles: [['SMALL', 1]], heavy: false }, 3],
];
const FOREIGN_REGIONS: readonly (readonly [readonly (readonly [PlateRegion, number])[], number])[] = [
  [SUZHOU_REGIONS, 45],
  [NEIGHBOUR_REGIONS, 40],
  [DISTANT_REGIONS, 15],
];

/**
 * Share of vehicles out of force (road transport certificate expired or revoked, or the operator's
 * licence lapsed, suspended or revoked) still on the road: most were sold, scrapped or parked when
 * the papers went; the few that keep running are what EXPIRED_OR_REVOKED_BUT_ACTIVE is for.
 */
export const STILL_RUNNING_SHARE = 0.08;

/** Whether a vehicle may not operate: its certificate, or its operator's latest licence, is not in force. */
export function outOfForce(v: WorldVehicle, latestLicence: ReadonlyMap<string, OperatorLicenceRecord>): boolean {
  const status = v.record.transportCertificateStatus;
  if (status === TransportCertificateStatus.EXPIRED || status === TransportCertificateStatus.REVOKED) return true;
  const licence = v.record.ownerUscc ? latestLicence.get(v.record.ownerUscc) : undefined;
  return licence !== undefined && licence.status !== LicenceStatus.VALID;
}

export interface WorldPassers {
  passers: Passer[];
  /** Vehicles out of force that are still on the road (the rest of those are off it). */
  stillRunning: Passer[];
}

/** The world's own vehicles on the road (trailers are captured under their tractor's plate). */
export function worldPassers(
  seed: number,
  vehicles: readonly WorldVehicle[],
  latestLicence: ReadonlyMap<string, OperatorLicenceRecord>,
  checkpointCount: number,
): WorldPassers {
  const rng = Random.from(seed, 'passers', 'world');
  // Its own stream: which lapsed vehicles still run leaves everything else as it was.
  const lapsedRng = Random.from(seed, 'passers', 'lapsed');
  const stillRunning: Passer[] = [];
  const passers = vehicles
    .filter((v) => ACTIVITY[v.type.vehicleClass] > 0)
    .map((v) => {
      const lapsed = outOfForce(v, latestLicence);
      const running = !lapsed || lapsedRng.chance(STILL_RUNNING_SHARE);
      const passer: Passer = {
        plateNumber: v.record.plateNumber,
        plateColor: v.record.plateColor,
        heavy: v.type.vehicleClass !== 'CAR' && v.type.vehicleClass !== 'LIGHT_TRUCK',
        activity: running ? (v.coach ? 0.5 : ACTIVITY[v.type.vehicleClass]) : 0,
        home: homeCheckpoints(rng, checkpointCount),
      };
      if (lapsed && running) stillRunning.push(passer);
      return passer;
    });
  return { passers, stillRunning };
}

/**
 * Vehicles outside the world's registers: private cars, and vehicles from other cities. Plates
 * come from the world's registry, so none collides with a registered vehicle.
 */
export function foreignPassers(seed: number, count: number, plates: PlateRegistry, checkpointCount: number): Passer[] {
  const rng = Random.from(seed, 'passers', 'foreign');
  const out: Passer[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted(FOREIGN_KINDS);
    const region = rng.weighted(rng.weighted(FOREIGN_REGIONS));
    const plate = plates.issue(rng, region.prefix, rng.weighted(kind.styles));
    out.push({ ...plate, heavy: kind.heavy, activity: 1, home: homeCheckpoints(rng, checkpointCount) });
  }
  return out;
}

function homeCheckpoints(rng: Random, checkpointCount: number): number[] {
  const home: number[] = [];
  for (let i = 0; i < HOME_CHECKPOINTS; i++) home.push(rng.int(0, checkpointCount - 1));
  return home;
}
