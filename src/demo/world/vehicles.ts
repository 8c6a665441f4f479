import { LicenceStatus, TransportCertificateStatus } from '../../../connectors/contract/canonical/codes';
import { OperatorLicenceRecord, VehicleRecord } from '../../../connectors/contract/canonical/records';
import { isoDateOf, isoInstantOf, localInstant, yearOf } from './calendar';
import { WorldEnterprise } from './enterprises';
import { FLEET_MIX, FLEET_OPERATORS, FLEET_SIZES, FleetSlot, PRIVATE_MIX } from './fleet-mix';
import { NEIGHBOUR_REGIONS, PlateRegion, SUZHOU_REGIONS } from './plate-regions';
import { PlateRegistry, PlateStyle } from './plate-registry';
import { EnterpriseProfile } from './profiles';
import { Random } from './random';
import { DISTRICT_SHARES, SuzhouDistrict } from './suzhou-districts';
import { VehicleClass, VehicleType, vehicleType } from './vehicle-types';
import { VinFactory } from './vin-factory';

export interface WorldVehicle {
  record: VehicleRecord;
  type: VehicleType;
  coach: boolean;
  owner: WorldEnterprise | null;
}

/** Share of new-energy plates per class. */
const NEW_ENERGY_SHARE: Record<VehicleClass, number> = {
  CAR: 0.3,
  LIGHT_TRUCK: 0.15,
  BUS: 0.55,
  MEDIUM_TRUCK: 0.05,
  HEAVY_TRUCK: 0.03,
  TRACTOR: 0.02,
  TRAILER: 0,
};
/** Classes on small (blue) plates; the rest carry large (yellow) plates. */
const SMALL_PLATE_CLASSES: ReadonlySet<VehicleClass> = new Set(['CAR', 'LIGHT_TRUCK']);
const PRIVATE_SHARE = 0.02;
const OUT_OF_PROVINCE_SHARE = 0.1;
/**
 * Operators with a branch (分公司) in another district, and the share of their certified vehicles
 * the branch runs: the branch's district bureau issues those vehicles' certificates.
 */
const BRANCH_SHARE = 0.15;
const BRANCH_FLEET_SHARE = 0.4;
/** Branch-issued certificate serials start here, clear of the districts' own sequences. */
const BRANCH_SERIAL_BASE = 500_000;

export function generateVehicles(
  seed: number,
  target: number,
  enterprises: readonly WorldEnterprise[],
  latestLicence: ReadonlyMap<string, OperatorLicenceRecord>,
  plates: PlateRegistry,
  endDay: number,
): WorldVehicle[] {
  const rng = Random.from(seed, 'vehicles');
  const vins = new VinFactory();
  const certificateSerials = new Map<string, number>();
  // A stream of its own, so that the rest of the world draws exactly as before branches existed.
  const branchRng = Random.from(seed, 'certificate-branches');
  const branches = new Map<WorldEnterprise, SuzhouDistrict | null>();
  const branchSerials = new Map<string, number>();
  const issuerOf = (owner: WorldEnterprise): SuzhouDistrict => {
    if (!branches.has(owner)) {
      const others = DISTRICT_SHARES.filter(([d]) => d.code !== owner.district.code);
      branches.set(owner, branchRng.chance(BRANCH_SHARE) ? branchRng.weighted(others) : null);
    }
    const branch = branches.get(owner)!;
    return branch && branchRng.chance(BRANCH_FLEET_SHARE) ? branch : owner.district;
  };
  const privateCount = Math.round(target * PRIVATE_SHARE);
  const fleets = fleetSizes(rng, enterprises, target - privateCount);
  const endYear = yearOf(endDay);
  const out: WorldVehicle[] = [];

  const build = (owner: WorldEnterprise | null, fleetSlot: FleetSlot, region: PlateRegion): WorldVehicle => {
    const type = vehicleType(fleetSlot.typeCode);
    const shape = rng.pick(type.builds);
    const licence = owner ? latestLicence.get(owner.record.uscc) : undefined;
    const certified = owner !== null && licence !== undefined && needsCertificate(owner, type, fleetSlot);
    const { plateNumber, plateColor } = plates.issue(rng, region.prefix, plateStyle(rng, type, fleetSlot));
    let certificate = certified ? certificateFor(rng, owner!, licence!, certificateSerials, endDay) : null;
    const issuer = certificate ? issuerOf(owner!) : null;
    if (certificate && issuer && issuer !== owner!.district) {
      const serial = (branchSerials.get(issuer.code) ?? BRANCH_SERIAL_BASE) + branchRng.int(1, 5);
      branchSerials.set(issuer.code, serial);
      certificate = { ...certificate, number: `${issuer.code}${String(serial).padStart(6, '0')}` };
    }
    const record: VehicleRecord = {
      plateNumber,
      plateColor,
      vin: vins.issue(rng, type.vehicleClass, rng.int(Math.max(2010, endYear - 14), endYear)),
      vehicleType: type.code,
      ownerUscc: owner?.record.uscc ?? null,
      transportCertificateNumber: certificate?.number ?? null,
      transportCertificateStatus: certificate?.status ?? TransportCertificateStatus.NOT_REQUIRED,
      transportCertificateValidTo: certificate?.validTo ?? null,
      axleCount: shape.axles,
      ratedTotalMassKg: rng.int(shape.massKg[0] / 5, shape.massKg[1] / 5) * 5,
      registrationDivision: region.registrationDivision,
      transportCertificateDivision: issuer?.recordCode ?? null,
      updatedAt: isoInstantOf(localInstant(rng.int(endDay - 730, endDay - 1), rng.int(8 * 3600, 20 * 3600))),
    };
    return { record, type, coach: fleetSlot.coach, owner };
  };

  enterprises.forEach((owner, i) => {
    const home = rng.weighted(SUZHOU_REGIONS);
    for (let n = 0; n < fleets[i]; n++) {
      const fleetSlot = rng.weighted(FLEET_MIX[owner.profile]);
      const region = fleetSlot.coach || classOf(fleetSlot) === 'TRAILER' || !rng.chance(OUT_OF_PROVINCE_SHARE) ? home : rng.weighted(NEIGHBOUR_REGIONS);
      out.push(build(owner, fleetSlot, region));
    }
  });
  for (let n = 0; n < privateCount; n++) out.push(build(null, rng.weighted(PRIVATE_MIX), rng.weighted(SUZHOU_REGIONS)));
  return out;
}

function classOf(fleetSlot: FleetSlot): VehicleClass {
  return vehicleType(fleetSlot.typeCode).vehicleClass;
}

/**
 * Draw a fleet size per enterprise, then scale to the target so worlds grow linearly with size.
 * Operators whose business needs vehicles always keep at least one.
 */
function fleetSizes(rng: Random, enterprises: readonly WorldEnterprise[], target: number): number[] {
  const raw = enterprises.map((e) => {
    const [min, max] = rng.weighted(FLEET_SIZES[e.profile]);
    return rng.int(min, max);
  });
  const total = raw.reduce((a, b) => a + b, 0);
  const factor = total > 0 ? Math.max(0, target) / total : 0;
  return raw.map((r, i) => {
    const scaled = r * factor;
    const n = Math.floor(scaled) + (rng.next() < scaled - Math.floor(scaled) ? 1 : 0);
    return FLEET_OPERATORS.has(enterprises[i].profile) ? Math.max(1, n) : n;
  });
}

/**
 * Operating vehicles of licensed operators carry a road transport certificate: trucks above
 * 4.5 t, tractors, trailers, tankers, buses, charter minibuses and driving-school vehicles.
 * General-cargo vehicles of ≤ 4.5 t and company cars carry none, lawfully (since 2019).
 */
function needsCertificate(owner: WorldEnterprise, type: VehicleType, fleetSlot: FleetSlot): boolean {
  if (!FLEET_OPERATORS.has(owner.profile)) return false;
  if (fleetSlot.coach || type.dangerousGoods) return true;
  if (type.vehicleClass === 'CAR') return type.code === 'K31' && owner.profile === EnterpriseProfile.PASSENGER;
  return type.vehicleClass !== 'LIGHT_TRUCK';
}

function plateStyle(rng: Random, type: VehicleType, fleetSlot: FleetSlot): PlateStyle {
  if (fleetSlot.coach) return 'COACH';
  if (type.vehicleClass === 'TRAILER') return 'TRAILER';
  const newEnergy = !type.dangerousGoods && rng.chance(NEW_ENERGY_SHARE[type.vehicleClass]);
  if (SMALL_PLATE_CLASSES.has(type.vehicleClass)) return newEnergy ? 'SMALL_NEW_ENERGY' : 'SMALL';
  return newEnergy ? 'LARGE_NEW_ENERGY' : 'LARGE';
}

interface Certificate {
  number: string;
  status: TransportCertificateStatus;
  validTo: string;
}

/** Certificates follow the holder's licence: a revoked or lapsed licence takes its certificates with it. */
function certificateFor(rng: Random, owner: WorldEnterprise, licence: OperatorLicenceRecord, serials: Map<string, number>, endDay: number): Certificate {
  const prefix = owner.district.code;
  const serial = (serials.get(prefix) ?? rng.int(1000, 5000)) + rng.int(1, 5);
  serials.set(prefix, serial);
  let status: TransportCertificateStatus;
  if (licence.status === LicenceStatus.REVOKED) status = TransportCertificateStatus.REVOKED;
  else if (licence.status === LicenceStatus.EXPIRED) status = TransportCertificateStatus.EXPIRED;
  else
    status = rng.weighted([
      [TransportCertificateStatus.VALID, 94],
      [TransportCertificateStatus.EXPIRED, 5],
      [TransportCertificateStatus.REVOKED, 1],
    ] as const);
  const validToDay =
    status === TransportCertificateStatus.VALID
      ? endDay + rng.int(30, 1200)
      : status === TransportCertificateStatus.EXPIRED
        ? endDay - rng.int(5, 700)
        : endDay + rng.int(-400, 600);
  return { number: `${prefix}${String(serial).padStart(6, '0')}`, status, validTo: isoDateOf(validToDay) };
}
