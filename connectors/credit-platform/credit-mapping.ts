import { CreditGrade } from '../contract/canonical/codes';
import type { CreditListEntryRecord, CreditRatingRecord } from '../contract/canonical/records';
import { validateUscc } from '../contract/identifiers';
import type { Mapped } from '../contract';
import { beijingIso, isoDate, LIST_TYPE_CODES, type PlatformListEntry, type PlatformRating } from './credit-format';

function subjectOf(value: unknown, reasons: string[]): string {
  const checked = typeof value === 'string' ? validateUscc(value, { allowChecksumFailure: true }) : { ok: false as const, reason: 'missing' };
  if (!checked.ok) reasons.push(`ztdm: ${checked.reason}`);
  return checked.ok ? checked.value : String(value);
}

/** A change time must be a real instant, and not in the future (a day of clock skew allowed). */
function changedAt(value: unknown, reasons: string[]): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > Date.now() + 86_400_000) {
    reasons.push(`gxsjc: ${String(value)} is not a plausible change time`);
    return '';
  }
  return beijingIso(value);
}

/** The platform's grade words (`AA级`) on the Jiangsu scale, or null when they are not on it. */
function jiangsuGrade(word: string): CreditGrade | null {
  const grade = word.replace(/级$/, '');
  return (Object.values(CreditGrade) as string[]).includes(grade) ? (grade as CreditGrade) : null;
}

export function mapPlatformRating(row: PlatformRating): Mapped<CreditRatingRecord> {
  const reasons: string[] = [];
  const subjectUscc = subjectOf(row.ztdm, reasons);
  const grade = jiangsuGrade(String(row.pjdj));
  if (!grade) reasons.push(`pjdj: "${row.pjdj}" is not on the Jiangsu scale`);
  if (typeof row.pjfs !== 'number' || !(row.pjfs >= 0 && row.pjfs <= 100)) reasons.push(`pjfs: ${String(row.pjfs)} is not a score`);
  if (row.kfz !== null && (typeof row.kfz !== 'number' || !(row.kfz >= 0))) reasons.push(`kfz: ${String(row.kfz)} is not a number of penalty points`);
  if (!Number.isInteger(row.pjnd) || row.pjnd < 2000 || row.pjnd > 2100) reasons.push(`pjnd: ${String(row.pjnd)} is not a year`);
  const updatedAt = changedAt(row.gxsjc, reasons);
  if (reasons.length) return { quarantine: { sourceId: row.pjbh ?? null, raw: row, reasons } };
  return {
    record: {
      sourceId: row.pjbh,
      subjectUscc,
      grade: grade!,
      sourceGrade: row.pjdj,
      score: row.pjfs,
      penaltyPoints: row.kfz,
      year: row.pjnd,
      ratingAuthority: row.pjjg,
      updatedAt,
    },
  };
}

export function mapPlatformListEntry(row: PlatformListEntry): Mapped<CreditListEntryRecord> {
  const reasons: string[] = [];
  const subjectUscc = subjectOf(row.ztdm, reasons);
  // Own keys only: an inherited name ('toString', 'constructor') is an unknown code, not a list type.
  const listType = Object.hasOwn(LIST_TYPE_CODES, row.mdlx) ? LIST_TYPE_CODES[row.mdlx] : undefined;
  if (!listType) reasons.push(`mdlx: unknown list type code "${row.mdlx}"`);
  const listedOn = isoDate(row.lrrq);
  if (!listedOn) reasons.push(`lrrq: "${row.lrrq}" is not a date`);
  const removedOn = isoDate(row.ycrq);
  if (removedOn === undefined) reasons.push(`ycrq: "${row.ycrq}" is not a date`);
  else if (removedOn && listedOn && removedOn < listedOn) reasons.push(`ycrq: removed on ${removedOn}, before it was listed on ${listedOn}`);
  const updatedAt = changedAt(row.gxsjc, reasons);
  if (reasons.length) return { quarantine: { sourceId: row.mdbh ?? null, raw: row, reasons } };
  return {
    record: {
      sourceId: row.mdbh,
      subjectUscc,
      listType: listType!,
      reason: row.lrly,
      authority: row.lrjg,
      listedOn: listedOn!,
      removedOn: removedOn!,
      updatedAt,
    },
  };
}
