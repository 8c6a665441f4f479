import { CaseStatus, PlateColor, PractitionerStatus, TransportCertificateStatus } from '../../../connectors/contract/canonical/codes';
import { EnforcementCaseRecord } from '../../../connectors/contract/canonical/records';
import { dayOfInstant, isoInstantOf, localInstant, SECONDS_PER_DAY, yearOf } from './calendar';
import { WorldEnterprise } from './enterprises';
import { overloadFineYuan, WARNING_MARGIN_KG } from './overload-limits';
import { WorldPractitioner } from './practitioners';
import { EnterpriseProfile } from './profiles';
import { Random } from './random';
import { DISTRICT_SHARES, SuzhouDistrict } from './suzhou-districts';
import { WorldVehicle } from './vehicles';
import { OVERLOAD_VIOLATION, Violation, VIOLATIONS, ViolationSubject } from './violations';
import { WorldWeighing } from './weighings';

export interface WorldCase {
  record: EnforcementCaseRecord;
  violation: Violation;
  party: WorldEnterprise | null;
  occurredInstant: number;
}

export interface CaseSources {
  enterprises: readonly WorldEnterprise[];
  vehicles: readonly WorldVehicle[];
  practitioners: readonly WorldPractitioner[];
  weighings: readonly WorldWeighing[];
}

/** Cases reach back three years. */
const CASE_WINDOW_DAYS = 3 * 365;
/** No case in an enterprise's first month. */
const SETTLING_DAYS = 30;
/** Share of cases raised from weighings (non-site enforcement of overloading). */
const OVERLOAD_CASE_SHARE = 0.2;
const COLOR_NAME: Partial<Record<PlateColor, string>> = {
  [PlateColor.BLUE]: '蓝牌',
  [PlateColor.YELLOW]: '黄牌',
  [PlateColor.GRADIENT_GREEN]: '渐变绿牌',
  [PlateColor.YELLOW_GREEN]: '黄绿牌',
};

interface Draft {
  violation: Violation;
  party: WorldEnterprise | null;
  partyPerson: WorldPractitioner | null;
  vehicle: WorldVehicle | null;
  district: SuzhouDistrict;
  occurredInstant: number;
  summary: string;
  overloadKg: number | null;
}

export function generateEnforcementCases(seed: number, count: number, sources: CaseSources, endDay: number): WorldCase[] {
  const rng = Random.from(seed, 'enforcement-cases');
  const pools = subjectPools(sources);
  const staff = staffByEmployer(sources.practitioners);
  const drafts: Draft[] = [];

  const overloads = rng.shuffle(
    sources.weighings.filter((w) => w.record.overloadKg > WARNING_MARGIN_KG && w.vehicle.owner && isActive(w.vehicle.owner, dayOfInstant(w.measuredInstant))),
  );
  for (const weighing of overloads.slice(0, Math.min(overloads.length, Math.round(count * OVERLOAD_CASE_SHARE)))) {
    drafts.push(overloadDraft(rng, weighing, staff));
  }
  const available = VIOLATIONS.filter((v) => poolSize(pools, v.subject) > 0);
  while (drafts.length < count && available.length > 0) {
    const violation = rng.weighted(available.map((v) => [v, v.weight] as const));
    drafts.push(roadsideDraft(rng, violation, pools, staff, endDay));
  }

  const order = drafts.map((_, i) => i).sort((a, b) => drafts[a].occurredInstant - drafts[b].occurredInstant || a - b);
  const perYear = new Map<number, number>();
  return order.map((i) => {
    const draft = drafts[i];
    const year = yearOf(dayOfInstant(draft.occurredInstant));
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    return finish(rng, draft, `苏E交执〔${year}〕${String(seq).padStart(5, '0')}号`, endDay);
  });
}

interface Pools {
  certified: WorldVehicle[];
  invalidCertificate: WorldVehicle[];
  passenger: WorldVehicle[];
  dangerousGoods: WorldVehicle[];
  unqualified: WorldPractitioner[];
  unlicensedEnterprises: WorldEnterprise[];
  freelancers: WorldPractitioner[];
  repairShops: WorldEnterprise[];
  schools: WorldEnterprise[];
}

function subjectPools({ enterprises, vehicles, practitioners }: CaseSources): Pools {
  const certified = vehicles.filter(
    (v) => v.owner && v.type.vehicleClass !== 'TRAILER' && v.record.transportCertificateStatus !== TransportCertificateStatus.NOT_REQUIRED,
  );
  return {
    certified,
    invalidCertificate: certified.filter((v) => v.record.transportCertificateStatus !== TransportCertificateStatus.VALID),
    passenger: certified.filter((v) => v.owner!.profile === EnterpriseProfile.PASSENGER && !v.coach),
    dangerousGoods: certified.filter((v) => v.owner!.profile === EnterpriseProfile.DANGEROUS_GOODS && v.type.vehicleClass !== 'CAR'),
    unqualified: practitioners.filter((p) => p.record.status !== PractitionerStatus.ACTIVE),
    unlicensedEnterprises: enterprises.filter((e) => e.profile === EnterpriseProfile.OTHER),
    freelancers: practitioners.filter((p) => p.employer === null),
    repairShops: enterprises.filter((e) => e.profile === EnterpriseProfile.VEHICLE_REPAIR),
    schools: enterprises.filter((e) => e.profile === EnterpriseProfile.DRIVER_TRAINING),
  };
}

function poolSize(pools: Pools, subject: ViolationSubject): number {
  switch (subject) {
    case 'CERTIFIED_VEHICLE':
      return pools.certified.length;
    case 'INVALID_CERTIFICATE':
      return pools.invalidCertificate.length;
    case 'PASSENGER_VEHICLE':
      return pools.passenger.length;
    case 'DANGEROUS_GOODS_VEHICLE':
      return pools.dangerousGoods.length;
    case 'UNQUALIFIED_DRIVER':
      return pools.unqualified.length > 0 ? pools.certified.length : 0;
    case 'UNLICENSED':
      return pools.unlicensedEnterprises.length + pools.freelancers.length;
    case 'REPAIR_SHOP':
      return pools.repairShops.length;
    case 'DRIVING_SCHOOL':
      return pools.schools.length;
    case 'OVERLOAD':
      return 0;
  }
}

function isActive(party: WorldEnterprise, day: number): boolean {
  return day >= party.establishedDay + SETTLING_DAYS && (party.statusChangedDay === null || day <= party.statusChangedDay);
}

function overloadDraft(rng: Random, weighing: WorldWeighing, staff: Staff): Draft {
  const { record, vehicle, station } = weighing;
  return {
    violation: OVERLOAD_VIOLATION,
    party: vehicle.owner,
    partyPerson: rng.chance(0.5) ? employeeOf(rng, vehicle.owner, staff) : null,
    vehicle,
    district: station.district,
    occurredInstant: weighing.measuredInstant,
    summary:
      `${plateText(vehicle)}经${station.name}检测，${record.axleCount}轴车货总质量${record.measuredTotalMassKg}千克，` +
      `超过限值${record.limitKg}千克（超限${record.overloadKg}千克），称重记录${record.sourceId}。`,
    overloadKg: record.overloadKg,
  };
}

function roadsideDraft(rng: Random, violation: Violation, pools: Pools, staff: Staff, endDay: number): Draft {
  /** Within the window and while the party existed; half uniform, half skewed to recent months (enforcement has intensified). */
  const when = (party: WorldEnterprise | null): number => {
    const first = Math.max(endDay - CASE_WINDOW_DAYS, party ? party.establishedDay + SETTLING_DAYS : -Infinity);
    const last = Math.min(endDay - 1, party?.statusChangedDay ?? endDay - 1);
    const skew = rng.chance(0.5) ? rng.next() : Math.min(rng.next(), rng.next());
    return localInstant(last - Math.floor(skew * Math.max(0, last - first)), rng.int(7 * 3600, 21 * 3600));
  };
  const vehicleDraft = (vehicle: WorldVehicle, person: WorldPractitioner | null): Draft => {
    const district = rng.chance(0.7) ? vehicle.owner!.district : rng.weighted(DISTRICT_SHARES);
    return {
      violation,
      party: vehicle.owner,
      partyPerson: person,
      vehicle,
      district,
      occurredInstant: when(vehicle.owner),
      overloadKg: null,
      summary: `${plateText(vehicle)}在${district.name}${rng.pick(district.streets)}被查获，${violation.name}，车辆所有人${vehicle.owner!.record.name}。`,
    };
  };
  const enterpriseDraft = (party: WorldEnterprise): Draft => ({
    violation,
    party,
    partyPerson: null,
    vehicle: null,
    district: party.district,
    occurredInstant: when(party),
    overloadKg: null,
    summary: `执法检查发现${party.record.name}${violation.name}。`,
  });
  const employee = (owner: WorldEnterprise | null) => (rng.chance(0.6) ? employeeOf(rng, owner, staff) : null);

  switch (violation.subject) {
    case 'CERTIFIED_VEHICLE': {
      const vehicle = rng.pick(pools.certified);
      return vehicleDraft(vehicle, employee(vehicle.owner));
    }
    case 'INVALID_CERTIFICATE': {
      const vehicle = rng.pick(pools.invalidCertificate);
      return vehicleDraft(vehicle, employee(vehicle.owner));
    }
    case 'PASSENGER_VEHICLE': {
      const vehicle = rng.pick(pools.passenger);
      return vehicleDraft(vehicle, employee(vehicle.owner));
    }
    case 'DANGEROUS_GOODS_VEHICLE': {
      const vehicle = rng.pick(pools.dangerousGoods);
      return vehicleDraft(vehicle, employee(vehicle.owner));
    }
    case 'UNQUALIFIED_DRIVER':
      return vehicleDraft(rng.pick(pools.certified), rng.pick(pools.unqualified));
    case 'UNLICENSED': {
      const byEnterprise = pools.freelancers.length === 0 || (pools.unlicensedEnterprises.length > 0 && rng.chance(0.7));
      if (byEnterprise) return enterpriseDraft(rng.pick(pools.unlicensedEnterprises));
      const district = rng.weighted(DISTRICT_SHARES);
      return {
        violation,
        party: null,
        partyPerson: rng.pick(pools.freelancers),
        vehicle: null,
        district,
        occurredInstant: when(null),
        overloadKg: null,
        summary: `执法检查发现当事人（个人）在${district.name}${violation.name}。`,
      };
    }
    case 'REPAIR_SHOP':
      return enterpriseDraft(rng.pick(pools.repairShops));
    case 'DRIVING_SCHOOL':
      return enterpriseDraft(rng.pick(pools.schools));
    case 'OVERLOAD':
      throw new RangeError('overload cases come from weighings');
  }
}

type Staff = ReadonlyMap<WorldEnterprise, readonly WorldPractitioner[]>;

function staffByEmployer(practitioners: readonly WorldPractitioner[]): Staff {
  const staff = new Map<WorldEnterprise, WorldPractitioner[]>();
  for (const p of practitioners) {
    if (!p.employer) continue;
    const list = staff.get(p.employer);
    if (list) list.push(p);
    else staff.set(p.employer, [p]);
  }
  return staff;
}

function employeeOf(rng: Random, owner: WorldEnterprise | null, staff: Staff): WorldPractitioner | null {
  const employees = owner ? staff.get(owner) : undefined;
  return employees && employees.length > 0 ? rng.pick(employees) : null;
}

function plateText(vehicle: WorldVehicle): string {
  return `${vehicle.record.plateNumber}（${COLOR_NAME[vehicle.record.plateColor] ?? vehicle.record.plateColor}）`;
}

/** Status follows the case's age; fines only once decided; suspected crimes go to the police. */
function finish(rng: Random, draft: Draft, caseNumber: string, endDay: number): WorldCase {
  const occurredDay = dayOfInstant(draft.occurredInstant);
  const age = endDay - 1 - occurredDay;
  let status: CaseStatus;
  if (rng.chance(draft.violation.transferShare)) status = CaseStatus.TRANSFERRED;
  else if (age < 15) status = rng.chance(0.6) ? CaseStatus.REGISTERED : CaseStatus.INVESTIGATING;
  else if (age < 90)
    status = rng.weighted([
      [CaseStatus.INVESTIGATING, 30],
      [CaseStatus.PENALTY_DECIDED, 50],
      [CaseStatus.CLOSED, 20],
    ] as const);
  else status = rng.chance(0.8) ? CaseStatus.CLOSED : CaseStatus.PENALTY_DECIDED;
  const decided = status === CaseStatus.PENALTY_DECIDED || status === CaseStatus.CLOSED;
  const lastSecond = endDay * SECONDS_PER_DAY - 1;
  const updatedInstant =
    status === CaseStatus.REGISTERED
      ? draft.occurredInstant + rng.int(600, 6 * 3600)
      : draft.occurredInstant + rng.int(1, Math.max(1, Math.min(age, 60))) * SECONDS_PER_DAY;
  const record: EnforcementCaseRecord = {
    caseNumber,
    violationCode: draft.violation.code,
    violationType: draft.violation.name,
    partyUscc: draft.party?.record.uscc ?? null,
    partyIdNumber: draft.partyPerson?.record.idNumber ?? null,
    vehiclePlateNumber: draft.vehicle?.record.plateNumber ?? null,
    vehiclePlateColor: draft.vehicle?.record.plateColor ?? null,
    occurredAt: isoInstantOf(draft.occurredInstant),
    divisionCode: draft.district.recordCode,
    status,
    penaltyAmountYuan: decided ? fine(rng, draft) : null,
    // The decision (or the hand-over) is the case's last change: no draw of its own, so the world stays as it was.
    decidedAt: decided ? isoInstantOf(Math.min(updatedInstant, lastSecond)) : null,
    transferredToPolice: status === CaseStatus.TRANSFERRED,
    transferredAt: status === CaseStatus.TRANSFERRED ? isoInstantOf(Math.min(updatedInstant, lastSecond)) : null,
    receivingPoliceUnit: status === CaseStatus.TRANSFERRED ? `苏州市公安局${draft.district.name}分局` : null,
    summary: draft.summary,
    updatedAt: isoInstantOf(Math.min(updatedInstant, lastSecond)),
  };
  return { record, violation: draft.violation, party: draft.party, occurredInstant: draft.occurredInstant };
}

function fine(rng: Random, draft: Draft): number {
  if (draft.overloadKg !== null) return overloadFineYuan(draft.overloadKg);
  const [min, max] = draft.violation.fineYuan;
  const step = max >= 1000 ? 100 : 10;
  return Math.min(max, Math.max(min, Math.round(rng.int(min, max) / step) * step));
}
