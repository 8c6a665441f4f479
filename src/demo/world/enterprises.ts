import { EnterpriseStatus } from '../../../connectors/contract/canonical/codes';
import { EnterpriseRecord } from '../../../connectors/contract/canonical/records';
import { orgCodeCheckChar, USCC_ALPHABET, usccCheckChar } from '../../../connectors/contract/identifiers';
import { dayNumber, isoDateOf, isoInstantOf, localInstant, yearOf } from './calendar';
import { companyName } from './company-names';
import { personName } from './person-names';
import { BUSINESS_SCOPE_TEXT, EnterpriseProfile, PROFILE_SHARES } from './profiles';
import { Random } from './random';
import { DISTRICT_SHARES, SuzhouDistrict } from './suzhou-districts';

export interface WorldEnterprise {
  record: EnterpriseRecord;
  profile: EnterpriseProfile;
  district: SuzhouDistrict;
  establishedDay: number;
  /** Day the enterprise left IN_BUSINESS; null while in business. */
  statusChangedDay: number | null;
}

const ENTERPRISE_TYPES: readonly (readonly [string, number])[] = [
  ['有限责任公司（自然人投资或控股）', 45],
  ['有限责任公司（自然人独资）', 20],
  ['有限责任公司（非自然人投资或控股的法人独资）', 10],
  ['有限责任公司', 10],
  ['股份有限公司（非上市、自然人投资或控股）', 5],
  ['有限责任公司（外商投资、非独资）', 5],
  ['有限责任公司（台港澳法人独资）', 5],
];

const STATUSES: readonly (readonly [EnterpriseStatus, number])[] = [
  [EnterpriseStatus.IN_BUSINESS, 975],
  [EnterpriseStatus.REVOKED, 10],
  [EnterpriseStatus.CANCELLED, 10],
  [EnterpriseStatus.MOVED_OUT, 5],
];

const OPERATOR_CAPITAL: readonly (readonly [number, number])[] = [
  [500_000, 15],
  [1_000_000, 25],
  [2_000_000, 20],
  [3_000_000, 10],
  [5_000_000, 15],
  [10_000_000, 10],
  [50_000_000, 5],
];
const OTHER_CAPITAL: readonly (readonly [number, number])[] = [
  [1_000_000, 20],
  [3_000_000, 15],
  [5_000_000, 20],
  [10_000_000, 20],
  [20_000_000, 10],
  [50_000_000, 10],
  [100_000_000, 5],
];

/** Organisation-code prefixes of pre-2015 Jiangsu registrations. */
const LEGACY_ORG_PREFIXES = ['13', '25', '55', '56', '58', '60', '66', '67', '68', '69', '70', '72', '73', '74', '75', '76', '77', '78', '79'];
/** Codes issued after the 2015 reform carry MA-prefixed subject identifiers. */
const REFORM_DAY = dayNumber('2015-10-01');
const FIRST_YEAR = 1995;

export function generateEnterprises(seed: number, count: number, endDay: number): WorldEnterprise[] {
  const rng = Random.from(seed, 'enterprises');
  const profiles = rng.shuffle(profileQuota(count));
  const names = new Set<string>();
  const codes = new Set<string>();
  const years = yearWeights(yearOf(endDay - 60));
  return profiles.map((profile) => {
    const district = rng.weighted(DISTRICT_SHARES);
    const establishedDay = pickEstablishedDay(rng, years, endDay);
    const type = rng.weighted(ENTERPRISE_TYPES);
    const status = rng.weighted(STATUSES);
    const statusChangedDay =
      status === EnterpriseStatus.IN_BUSINESS ? null : rng.int(Math.min(endDay - 1, Math.max(establishedDay + 180, endDay - 1800)), endDay - 1);
    const updatedDay = statusChangedDay ?? rng.int(Math.max(establishedDay, endDay - 1000), endDay - 1);
    const record: EnterpriseRecord = {
      uscc: uniqueUscc(rng, district.code, establishedDay, codes),
      name: companyName(rng, profile, district.companyPrefixes, type.startsWith('股份') ? '股份有限公司' : '有限公司', names),
      type,
      status,
      legalRepresentative: personName(rng, rng.chance(0.78) ? 'M' : 'F'),
      registeredCapitalYuan: rng.weighted(profile === EnterpriseProfile.OTHER ? OTHER_CAPITAL : OPERATOR_CAPITAL),
      establishedOn: isoDateOf(establishedDay),
      address: `江苏省${district.addressPrefix}${rng.pick(district.streets)}${rng.int(1, 999)}号`,
      divisionCode: district.recordCode,
      businessScope: rng.pick(BUSINESS_SCOPE_TEXT[profile]),
      updatedAt: isoInstantOf(localInstant(updatedDay, rng.int(8 * 3600, 18 * 3600))),
    };
    return { record, profile, district, establishedDay, statusChangedDay };
  });
}

/** Profiles by largest remainder so small worlds keep the mix, with at least one freight operator. */
function profileQuota(count: number): EnterpriseProfile[] {
  const exact = PROFILE_SHARES.map(([profile, share]) => ({ profile, n: Math.floor(share * count), rest: share * count }));
  let assigned = exact.reduce((sum, e) => sum + e.n, 0);
  const byRemainder = exact.slice().sort((x, y) => y.rest - y.n - (x.rest - x.n));
  for (let i = 0; assigned < count; i++, assigned++) byRemainder[i % byRemainder.length].n++;
  const freight = exact.find((e) => e.profile === EnterpriseProfile.FREIGHT)!;
  if (freight.n === 0) {
    const donor = exact.find((e) => e.n > 0)!;
    donor.n--;
    freight.n++;
  }
  return exact.flatMap((e) => Array<EnterpriseProfile>(e.n).fill(e.profile));
}

/** More enterprises were registered in recent years. */
function yearWeights(lastYear: number): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  for (let year = FIRST_YEAR; year <= lastYear; year++) out.push([year, year < 2015 ? 1 + (year - FIRST_YEAR) * 0.2 : 6]);
  if (out.length === 0) out.push([lastYear, 1]);
  return out;
}

function pickEstablishedDay(rng: Random, years: readonly (readonly [number, number])[], endDay: number): number {
  const year = rng.weighted(years);
  const day = dayNumber(`${year}-01-01`) + rng.int(0, 364);
  return Math.min(day, endDay - 60 - rng.int(0, 300));
}

function uniqueUscc(rng: Random, division: string, establishedDay: number, taken: Set<string>): string {
  for (;;) {
    const body =
      establishedDay >= REFORM_DAY ? `MA${rng.pick(['1', '2', '7'])}${rng.chars(USCC_ALPHABET, 5)}` : `${rng.pick(LEGACY_ORG_PREFIXES)}${rng.digits(6)}`;
    const first17 = `91${division}${body}${orgCodeCheckChar(body)}`;
    const uscc = first17 + usccCheckChar(first17);
    if (!taken.has(uscc)) {
      taken.add(uscc);
      return uscc;
    }
  }
}
