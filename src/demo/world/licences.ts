import { LicenceScope, LicenceStatus } from '../../../connectors/contract/canonical/codes';
import { OperatorLicenceRecord } from '../../../connectors/contract/canonical/records';
import { isoDateOf, isoInstantOf, localInstant } from './calendar';
import { WorldEnterprise } from './enterprises';
import { EnterpriseProfile, isOperator, SCOPE_OPTIONS } from './profiles';
import { Random } from './random';
import { SUZHOU_CITY_CODE, SUZHOU_TRANSPORT_BUREAU } from './suzhou-districts';

export interface WorldLicences {
  records: OperatorLicenceRecord[];
  /** The latest licence of each holder (by credit code): what its vehicles' certificates follow. */
  latestByHolder: Map<string, OperatorLicenceRecord>;
}

/** A licence term of four years; each renewal is issued under a new number in this world. */
const TERM_DAYS = 4 * 365 + 1;
const KEPT_TERMS = 3;
/** The city bureau licenses passenger, dangerous-goods and station operators; districts license the rest. */
const CITY_LICENSED = new Set([EnterpriseProfile.PASSENGER, EnterpriseProfile.DANGEROUS_GOODS, EnterpriseProfile.STATION]);

interface Term {
  holder: WorldEnterprise;
  scopes: LicenceScope[];
  validFrom: number;
  validTo: number;
  status: LicenceStatus;
  updatedDay: number;
}

export function generateLicences(seed: number, enterprises: readonly WorldEnterprise[], endDay: number): WorldLicences {
  const rng = Random.from(seed, 'licences');
  const terms: Term[] = [];
  for (const holder of enterprises) {
    if (!isOperator(holder.profile)) continue;
    terms.push(...termsOf(rng, holder, endDay));
  }
  // Serial numbers follow issue order, as a register's counter would.
  const ordered = terms.map((term, index) => ({ term, index })).sort((x, y) => x.term.validFrom - y.term.validFrom || x.index - y.index);
  const counters = new Map<string, number>();
  const records: OperatorLicenceRecord[] = [];
  const latestByHolder = new Map<string, OperatorLicenceRecord>();
  for (const { term } of ordered) {
    const cityLicensed = CITY_LICENSED.has(term.holder.profile);
    const prefix = cityLicensed ? SUZHOU_CITY_CODE : term.holder.district.code;
    const serial = (counters.get(prefix) ?? rng.int(100, 900)) + rng.int(1, 9);
    counters.set(prefix, serial);
    const record: OperatorLicenceRecord = {
      number: `苏交运管许可苏字${prefix}${String(serial).padStart(6, '0')}号`,
      holderUscc: term.holder.record.uscc,
      scopes: term.scopes,
      issuingAuthority: cityLicensed ? SUZHOU_TRANSPORT_BUREAU : term.holder.district.transportAuthority,
      validFrom: isoDateOf(term.validFrom),
      validTo: isoDateOf(term.validTo),
      status: term.status,
      updatedAt: isoInstantOf(localInstant(term.updatedDay, rng.int(9 * 3600, 17 * 3600))),
    };
    records.push(record);
    latestByHolder.set(record.holderUscc, record);
  }
  return { records, latestByHolder };
}

function termsOf(rng: Random, holder: WorldEnterprise, endDay: number): Term[] {
  const scopes = rng.weighted(SCOPE_OPTIONS[holder.profile]);
  const closedDay = holder.statusChangedDay ?? endDay;
  const start = Math.min(holder.establishedDay + rng.int(0, 120), closedDay - 1);
  const lapses = holder.statusChangedDay === null && rng.chance(0.03);
  const starts: number[] = [];
  for (let from = start; from < closedDay; from += TERM_DAYS) starts.push(from);
  if (lapses && starts.length > 1) starts.pop();
  const kept = starts.slice(-KEPT_TERMS);
  return kept.map((validFrom, i) => {
    const validTo = validFrom + TERM_DAYS - 1;
    const last = i === kept.length - 1;
    let status = LicenceStatus.EXPIRED;
    let updatedDay = Math.min(validTo + 1, endDay - 1);
    if (last && holder.statusChangedDay !== null) {
      status = LicenceStatus.REVOKED;
      updatedDay = holder.statusChangedDay;
    } else if (last && validTo >= endDay) {
      status = rng.chance(0.03) ? LicenceStatus.SUSPENDED : LicenceStatus.VALID;
      updatedDay = status === LicenceStatus.SUSPENDED ? rng.int(Math.max(validFrom, endDay - 120), endDay - 1) : validFrom;
    }
    return { holder, scopes, validFrom, validTo, status, updatedDay };
  });
}
