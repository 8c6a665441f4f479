import type { AbnormalOperationRecord, EnterpriseRecord } from '../contract/canonical/records';
import { isRealCompactDate, validateDivisionCode, validateUscc } from '../contract/identifiers';
import type { Mapped } from '../contract';
import { fromRegistryTime, STATUS_WORDS, type RegistryAbnormal, type RegistryEnterprise } from './registry-format';

// A day that exists: Date.parse rolls 2026-02-30 over to March 2 instead of refusing it.
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealCompactDate(v.replace(/-/g, ''));

function usccOf(value: unknown, reasons: string[]): string {
  // Early pilot-area codes are legally valid yet fail the checksum: flag, do not drop.
  const checked = typeof value === 'string' ? validateUscc(value, { allowChecksumFailure: true }) : { ok: false as const, reason: 'missing' };
  if (!checked.ok) reasons.push(`tyshxydm: ${checked.reason}`);
  return checked.ok ? checked.value : String(value);
}

export function mapRegistryEnterprise(row: RegistryEnterprise): Mapped<EnterpriseRecord> {
  const reasons: string[] = [];
  const uscc = usccOf(row.tyshxydm, reasons);
  // Own keys only: an inherited name ('toString', '__proto__') is an unknown word, not a status.
  const status = Object.hasOwn(STATUS_WORDS, row.djzt) ? STATUS_WORDS[row.djzt] : undefined;
  if (!status) reasons.push(`djzt: unknown status "${row.djzt}"`);
  const capital = Number(row.zczb);
  // Decimal digits only: Number() also reads '' and blanks as 0, and hex and exponent forms.
  if (!/^\d+(\.\d+)?$/.test(row.zczb) || !Number.isFinite(capital)) reasons.push(`zczb: "${row.zczb}" is not an amount`);
  if (!isDate(row.clrq)) reasons.push(`clrq: "${row.clrq}" is not a date`);
  const division = validateDivisionCode(row.xzqh ?? '');
  if (!division.ok) reasons.push(`xzqh: ${division.reason}`);
  const updatedAt = fromRegistryTime(row.gxsj);
  if (!updatedAt) reasons.push(`gxsj: "${row.gxsj}" is not a registry time`);
  // Under the hub's key for the enterprise (the normalised code), so its valid version landing resolves the entry.
  if (reasons.length) return { quarantine: { sourceId: row.tyshxydm == null ? null : uscc, raw: row, reasons } };
  return {
    record: {
      uscc,
      name: row.qymc,
      type: row.qylx,
      status: status!,
      legalRepresentative: row.fddbr,
      // 万元 with up to four decimals: rounding removes the binary fraction error, not precision.
      registeredCapitalYuan: Math.round(capital * 10_000),
      establishedOn: row.clrq,
      address: row.zs,
      divisionCode: division.ok ? division.value : row.xzqh,
      businessScope: row.jyfw,
      updatedAt: updatedAt!,
    },
  };
}

export function mapRegistryAbnormal(row: RegistryAbnormal): Mapped<AbnormalOperationRecord> {
  const reasons: string[] = [];
  const uscc = usccOf(row.tyshxydm, reasons);
  if (!isDate(row.lrrq)) reasons.push(`lrrq: "${row.lrrq}" is not a date`);
  if (row.ycrq !== null && !isDate(row.ycrq)) reasons.push(`ycrq: "${row.ycrq}" is not a date`);
  const updatedAt = fromRegistryTime(row.gxsj);
  if (!updatedAt) reasons.push(`gxsj: "${row.gxsj}" is not a registry time`);
  if (reasons.length) return { quarantine: { sourceId: row.id ?? null, raw: row, reasons } };
  return {
    record: { sourceId: row.id, uscc, reason: row.lryy, authority: row.zcjg, listedOn: row.lrrq, removedOn: row.ycrq, updatedAt: updatedAt! },
  };
}
