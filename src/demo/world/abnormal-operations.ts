import { AbnormalOperationRecord } from '../../../connectors/contract/canonical/records';
import { isoDateOf, isoInstantOf, localInstant } from './calendar';
import { WorldEnterprise } from './enterprises';
import { EnterpriseProfile } from './profiles';
import { Random } from './random';

export interface WorldAbnormalOperation {
  record: AbnormalOperationRecord;
  enterprise: WorldEnterprise;
  listedDay: number;
  removedDay: number | null;
}

/** The grounds of 企业经营异常名录管理暂行办法, Art. 4. */
const REASONS: readonly (readonly [string, number])[] = [
  ['未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告的', 55],
  ['通过登记的住所或者经营场所无法联系的', 30],
  ['未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息的', 10],
  ['公示企业信息隐瞒真实情况、弄虚作假的', 5],
];

export function generateAbnormalOperations(seed: number, count: number, enterprises: readonly WorldEnterprise[], endDay: number): WorldAbnormalOperation[] {
  const rng = Random.from(seed, 'abnormal-operations');
  // Small non-transport firms miss annual reports most often.
  const candidates = rng.shuffle(enterprises).sort((a, b) => rank(a) - rank(b));
  const chosen = candidates.slice(0, Math.min(count, enterprises.length));
  const sequence = new Map<string, number>();
  return chosen.map((enterprise) => {
    const earliest = Math.min(endDay - 2, Math.max(enterprise.establishedDay + 365, endDay - 2000));
    const listedDay = rng.int(earliest, endDay - 2);
    const removable = endDay - 1 - listedDay > 30 && rng.chance(0.4);
    const removedDay = removable ? rng.int(listedDay + 30, Math.min(endDay - 1, listedDay + 400)) : null;
    const division = enterprise.district.code;
    const n = (sequence.get(division) ?? 0) + 1;
    sequence.set(division, n);
    const record: AbnormalOperationRecord = {
      sourceId: `JYYC-${division}-${String(n).padStart(6, '0')}`,
      uscc: enterprise.record.uscc,
      reason: rng.weighted(REASONS),
      authority: enterprise.district.marketAuthority,
      listedOn: isoDateOf(listedDay),
      removedOn: removedDay === null ? null : isoDateOf(removedDay),
      updatedAt: isoInstantOf(localInstant(removedDay ?? listedDay, rng.int(9 * 3600, 17 * 3600))),
    };
    return { record, enterprise, listedDay, removedDay };
  });
}

/** Stable preference order; the shuffle before the sort decides among equals. */
function rank(e: WorldEnterprise): number {
  if (e.profile === EnterpriseProfile.OTHER) return 0;
  if (e.profile === EnterpriseProfile.VEHICLE_REPAIR || e.profile === EnterpriseProfile.STATION) return 1;
  return 2;
}
