import { PractitionerStatus, QualificationCategory, TransportCertificateStatus } from '../../../connectors/contract/canonical/codes';
import { PractitionerRecord } from '../../../connectors/contract/canonical/records';
import { isoInstantOf, localInstant, yearOf } from './calendar';
import { WorldEnterprise } from './enterprises';
import { personName } from './person-names';
import { EnterpriseProfile } from './profiles';
import { Random } from './random';
import { ResidentIdFactory } from './resident-ids';
import { SUZHOU_CITY_CODE } from './suzhou-districts';
import { WorldVehicle } from './vehicles';
import { WeightedTable } from './weighted-table';

export interface WorldPractitioner {
  record: PractitionerRecord;
  employer: WorldEnterprise | null;
}

/** Drivers without an employer (self-employed, between jobs). */
const FREELANCE_SHARE = 0.06;
const MALE_SHARE = 0.9;

const CATEGORIES: Partial<Record<EnterpriseProfile, readonly (readonly [QualificationCategory, number])[]>> = {
  [EnterpriseProfile.FREIGHT]: [[QualificationCategory.FREIGHT_DRIVER, 1]],
  [EnterpriseProfile.DANGEROUS_GOODS]: [
    [QualificationCategory.DANGEROUS_GOODS_DRIVER, 65],
    [QualificationCategory.DANGEROUS_GOODS_ESCORT, 35],
  ],
  [EnterpriseProfile.PASSENGER]: [
    [QualificationCategory.PASSENGER_DRIVER, 85],
    [QualificationCategory.TAXI_DRIVER, 15],
  ],
  [EnterpriseProfile.DRIVER_TRAINING]: [[QualificationCategory.DRIVING_INSTRUCTOR, 1]],
};
const FREELANCE_CATEGORIES: readonly (readonly [QualificationCategory, number])[] = [
  [QualificationCategory.FREIGHT_DRIVER, 70],
  [QualificationCategory.TAXI_DRIVER, 30],
];
const STATUSES: readonly (readonly [PractitionerStatus, number])[] = [
  [PractitionerStatus.ACTIVE, 94],
  [PractitionerStatus.SUSPENDED, 3],
  [PractitionerStatus.REVOKED, 3],
];
/** Mobile prefixes of the three carriers. */
const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

export function generatePractitioners(
  seed: number,
  target: number,
  enterprises: readonly WorldEnterprise[],
  vehicles: readonly WorldVehicle[],
  endDay: number,
): WorldPractitioner[] {
  const rng = Random.from(seed, 'practitioners');
  const endYear = yearOf(endDay);
  const ids = new ResidentIdFactory(1960, Math.min(2003, endYear - 18));
  const employers = employerTable(enterprises, vehicles);
  const certificateSerials = new Map<number, number>();

  const out: WorldPractitioner[] = [];
  for (let i = 0; i < target; i++) {
    const employer = employers.total > 0 && !rng.chance(FREELANCE_SHARE) ? employers.pick(rng) : null;
    const category = rng.weighted(employer ? CATEGORIES[employer.profile]! : FREELANCE_CATEGORIES);
    const person = ids.issue(rng, category === QualificationCategory.DANGEROUS_GOODS_ESCORT ? 0.6 : MALE_SHARE);
    const firstIssueYear = Math.max(Number(person.birthDate.slice(0, 4)) + 21, endYear - 20);
    const issueYear = rng.int(Math.min(firstIssueYear, endYear - 1), endYear - 1);
    const serial = (certificateSerials.get(issueYear) ?? rng.int(1000, 9000)) + rng.int(1, 20);
    certificateSerials.set(issueYear, serial);
    out.push({
      employer,
      record: {
        idNumber: person.idNumber,
        name: personName(rng, person.sex),
        phone: rng.chance(0.95) ? rng.pick(PHONE_PREFIXES) + rng.digits(8) : null,
        qualificationCategory: category,
        certificateNumber: `${SUZHOU_CITY_CODE}${issueYear}${String(serial).padStart(6, '0')}`,
        employerUscc: employer?.record.uscc ?? null,
        status: rng.weighted(STATUSES),
        updatedAt: isoInstantOf(localInstant(rng.int(endDay - 900, endDay - 1), rng.int(8 * 3600, 18 * 3600))),
      },
    });
  }
  return out;
}

/** Employers weighted by the vehicles that need a qualified driver (certified vehicles). */
function employerTable(enterprises: readonly WorldEnterprise[], vehicles: readonly WorldVehicle[]): WeightedTable<WorldEnterprise> {
  const certified = new Map<WorldEnterprise, number>();
  for (const v of vehicles) {
    if (!v.owner || v.record.transportCertificateStatus === TransportCertificateStatus.NOT_REQUIRED) continue;
    if (v.type.vehicleClass === 'TRAILER') continue;
    certified.set(v.owner, (certified.get(v.owner) ?? 0) + 1);
  }
  return new WeightedTable(
    enterprises.filter((e) => CATEGORIES[e.profile] && certified.has(e)),
    (e) => certified.get(e)!,
  );
}
