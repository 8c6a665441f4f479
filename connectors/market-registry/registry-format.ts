import { EnterpriseStatus } from '../contract/canonical/codes';
import type { AbnormalOperationRecord, EnterpriseRecord } from '../contract/canonical/records';

/**
 * The market-regulation registry's own format: pinyin-initial field names, Chinese status words,
 * registered capital in 万元 and Beijing local times without a zone, as the registry exports them.
 */
export interface RegistryEnterprise {
  tyshxydm: string;
  qymc: string;
  qylx: string;
  djzt: string;
  fddbr: string;
  zczb: string;
  clrq: string;
  zs: string;
  xzqh: string;
  jyfw: string;
  gxsj: string;
}

export interface RegistryAbnormal {
  id: string;
  tyshxydm: string;
  lryy: string;
  zcjg: string;
  lrrq: string;
  ycrq: string | null;
  gxsj: string;
}

/** Registration status words and the canonical status each means. 在业 and 存续 mean the same. */
export const STATUS_WORDS: Record<string, EnterpriseStatus> = {
  存续: EnterpriseStatus.IN_BUSINESS,
  在业: EnterpriseStatus.IN_BUSINESS,
  吊销: EnterpriseStatus.REVOKED,
  注销: EnterpriseStatus.CANCELLED,
  迁出: EnterpriseStatus.MOVED_OUT,
};

export const STATUS_WORD_OF: Record<EnterpriseStatus, string> = {
  [EnterpriseStatus.IN_BUSINESS]: '存续',
  [EnterpriseStatus.REVOKED]: '吊销',
  [EnterpriseStatus.CANCELLED]: '注销',
  [EnterpriseStatus.MOVED_OUT]: '迁出',
};

/** `2024-06-20T09:58:33+08:00` → `2024-06-20 09:58:33` (the registry keeps Beijing time, no zone). */
export const toRegistryTime = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** `2024-06-20 09:58:33` (Beijing) → `2024-06-20T09:58:33+08:00`, or null when it is not such a time. */
export function fromRegistryTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}+08:00`;
  return Number.isNaN(Date.parse(iso)) || toRegistryTime(iso) !== text ? null : iso;
}

export const REGISTRY_STREAMS = ['enterprises', 'abnormalOperations'] as const;
export type RegistryStream = (typeof REGISTRY_STREAMS)[number];

/** A canonical enterprise in the registry's own form (what the registry serves; the mapping is its inverse). */
export const toRegistryEnterprise = (e: EnterpriseRecord): RegistryEnterprise => ({
  tyshxydm: e.uscc,
  qymc: e.name,
  qylx: e.type,
  djzt: STATUS_WORD_OF[e.status],
  fddbr: e.legalRepresentative,
  zczb: String(e.registeredCapitalYuan / 10_000),
  clrq: e.establishedOn,
  zs: e.address,
  xzqh: e.divisionCode,
  jyfw: e.businessScope,
  gxsj: toRegistryTime(e.updatedAt),
});

/** A canonical abnormal-operation listing in the registry's own form. */
export const toRegistryAbnormal = (a: AbnormalOperationRecord): RegistryAbnormal => ({
  id: a.sourceId,
  tyshxydm: a.uscc,
  lryy: a.reason,
  zcjg: a.authority,
  lrrq: a.listedOn,
  ycrq: a.removedOn,
  gxsj: toRegistryTime(a.updatedAt),
});
