import { CreditGrade, CreditListType, EnterpriseStatus } from '../../../connectors/contract/canonical/codes';
import { CreditListEntryRecord } from '../../../connectors/contract/canonical/records';
import { isoDateOf, isoInstantOf, localInstant } from './calendar';
import { WorldAbnormalOperation } from './abnormal-operations';
import { WorldCreditRating } from './credit-ratings';
import { WorldCase } from './enforcement-cases';
import { WorldEnterprise } from './enterprises';
import { Random } from './random';
import { SUZHOU_TRANSPORT_BUREAU } from './suzhou-districts';

const SOURCE_PREFIX: Record<CreditListType, string> = {
  [CreditListType.ABNORMAL_OPERATION]: 'AO',
  [CreditListType.SERIOUS_DISHONESTY]: 'SD',
  [CreditListType.DISHONEST_JUDGMENT_DEBTOR]: 'JD',
  [CreditListType.JOINT_SANCTION]: 'JS',
};
const OTHER_TYPES: readonly (readonly [CreditListType, number])[] = [
  [CreditListType.SERIOUS_DISHONESTY, 35],
  [CreditListType.DISHONEST_JUDGMENT_DEBTOR, 45],
  [CreditListType.JOINT_SANCTION, 20],
];
const REPEATED_OVERLOAD = '一年内违法超限运输超过3次';
const SERIOUS_REASONS = ['发生道路运输安全生产重大责任事故', '以欺骗、贿赂等不正当手段取得道路运输经营许可'];
const JUDGMENT_REASON = '有履行能力而拒不履行生效法律文书确定义务';
const JOINT_REASON = '被列入交通运输领域严重失信主体名单，实施联合惩戒';
const JOINT_AUTHORITY = '江苏省发展和改革委员会';
const LIST_WINDOW_DAYS = 3 * 365;

export interface ListSources {
  enterprises: readonly WorldEnterprise[];
  abnormalOperations: readonly WorldAbnormalOperation[];
  ratings: readonly WorldCreditRating[];
  cases: readonly WorldCase[];
}

/**
 * The credit platform republishes every abnormal-operation listing, and adds `others` entries
 * of its own lists, drawn mostly from the worst-behaved enterprises.
 */
export function generateCreditListEntries(seed: number, others: number, sources: ListSources, endDay: number): CreditListEntryRecord[] {
  const rng = Random.from(seed, 'credit-list-entries');
  const sequence = new Map<CreditListType, number>();
  const sourceId = (type: CreditListType) => {
    const n = (sequence.get(type) ?? 0) + 1;
    sequence.set(type, n);
    return `XYMD-${SOURCE_PREFIX[type]}-${String(n).padStart(6, '0')}`;
  };

  const out: CreditListEntryRecord[] = sources.abnormalOperations.map(({ record }) => ({
    sourceId: sourceId(CreditListType.ABNORMAL_OPERATION),
    subjectUscc: record.uscc,
    listType: CreditListType.ABNORMAL_OPERATION,
    reason: record.reason,
    authority: record.authority,
    listedOn: record.listedOn,
    removedOn: record.removedOn,
    updatedAt: record.updatedAt,
  }));

  const overloads = overloadCounts(sources.cases);
  const ranked = riskRanking(rng, sources);
  const used = new Map<CreditListType, Set<WorldEnterprise>>();
  const serious: WorldEnterprise[] = [];
  for (let i = 0; i < others && sources.enterprises.length > 0; i++) {
    const type = rng.weighted(OTHER_TYPES);
    const taken = used.get(type) ?? new Set<WorldEnterprise>();
    used.set(type, taken);
    const subject = pickSubject(rng, type, ranked, serious, taken);
    if (!subject) continue;
    taken.add(subject);
    if (type === CreditListType.SERIOUS_DISHONESTY) serious.push(subject);
    const listedDay = rng.int(Math.max(subject.establishedDay + 1, endDay - LIST_WINDOW_DAYS), endDay - 1);
    const removedDay = endDay - 1 - listedDay > 90 && rng.chance(0.25) ? rng.int(listedDay + 90, endDay - 1) : null;
    out.push({
      sourceId: sourceId(type),
      subjectUscc: subject.record.uscc,
      listType: type,
      reason: reasonFor(rng, type, (overloads.get(subject) ?? 0) > 3),
      authority: authorityFor(rng, type, subject),
      listedOn: isoDateOf(listedDay),
      removedOn: removedDay === null ? null : isoDateOf(removedDay),
      updatedAt: isoInstantOf(localInstant(removedDay ?? listedDay, rng.int(9 * 3600, 17 * 3600))),
    });
  }
  return out;
}

function pickSubject(
  rng: Random,
  type: CreditListType,
  ranked: readonly WorldEnterprise[],
  serious: readonly WorldEnterprise[],
  taken: ReadonlySet<WorldEnterprise>,
): WorldEnterprise | undefined {
  const free = (list: readonly WorldEnterprise[]) => list.filter((e) => !taken.has(e));
  if (type === CreditListType.JOINT_SANCTION) {
    const listed = free(serious);
    if (listed.length > 0) return rng.pick(listed);
  }
  const pool = free(ranked);
  if (pool.length === 0) return undefined;
  // Court debtors are anyone; the transport lists take the worst first.
  if (type === CreditListType.DISHONEST_JUDGMENT_DEBTOR) return rng.pick(pool);
  return pool[Math.min(pool.length - 1, rng.int(0, 4))];
}

/** Enterprises from worst to best: revoked registrations, poor grades, many penalty points. */
function riskRanking(rng: Random, { enterprises, ratings }: ListSources): WorldEnterprise[] {
  const risk = new Map<WorldEnterprise, number>();
  for (const e of enterprises) risk.set(e, e.record.status === EnterpriseStatus.REVOKED ? 50 : 0);
  for (const r of ratings) {
    const gradeRisk = r.record.grade === CreditGrade.D ? 40 : r.record.grade === CreditGrade.C ? 20 : 0;
    risk.set(r.enterprise, (risk.get(r.enterprise) ?? 0) + gradeRisk + r.penaltyPoints);
  }
  return rng.shuffle(enterprises).sort((a, b) => risk.get(b)! - risk.get(a)!);
}

function overloadCounts(cases: readonly WorldCase[]): Map<WorldEnterprise, number> {
  const counts = new Map<WorldEnterprise, number>();
  for (const c of cases) if (c.party && c.violation.subject === 'OVERLOAD') counts.set(c.party, (counts.get(c.party) ?? 0) + 1);
  return counts;
}

function reasonFor(rng: Random, type: CreditListType, repeatedOverload: boolean): string {
  switch (type) {
    case CreditListType.SERIOUS_DISHONESTY:
      return repeatedOverload ? REPEATED_OVERLOAD : rng.pick(SERIOUS_REASONS);
    case CreditListType.DISHONEST_JUDGMENT_DEBTOR:
      return JUDGMENT_REASON;
    case CreditListType.JOINT_SANCTION:
      return JOINT_REASON;
    case CreditListType.ABNORMAL_OPERATION:
      throw new RangeError('abnormal-operation entries mirror the registry');
  }
}

function authorityFor(rng: Random, type: CreditListType, subject: WorldEnterprise): string {
  switch (type) {
    case CreditListType.SERIOUS_DISHONESTY:
      return SUZHOU_TRANSPORT_BUREAU;
    case CreditListType.DISHONEST_JUDGMENT_DEBTOR:
      return rng.chance(0.3) ? '苏州市中级人民法院' : subject.district.court;
    case CreditListType.JOINT_SANCTION:
      return JOINT_AUTHORITY;
    case CreditListType.ABNORMAL_OPERATION:
      return subject.district.marketAuthority;
  }
}
