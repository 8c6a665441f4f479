import { CreditListType } from '../contract/canonical/codes';
import type { CreditListEntryRecord, CreditRatingRecord } from '../contract/canonical/records';

/**
 * The credit platform's own format: pinyin-initial field names, list types as two-digit codes,
 * compact dates (YYYYMMDD, '' for none) and change times as epoch milliseconds.
 */
export interface PlatformRating {
  pjbh: string;
  ztdm: string;
  pjdj: string;
  pjfs: number;
  kfz: number | null;
  pjnd: number;
  pjjg: string;
  gxsjc: number;
}

export interface PlatformListEntry {
  mdbh: string;
  ztdm: string;
  mdlx: string;
  lrly: string;
  lrjg: string;
  lrrq: string;
  ycrq: string;
  gxsjc: number;
}

export const LIST_TYPE_CODES: Record<string, CreditListType> = {
  '01': CreditListType.SERIOUS_DISHONESTY,
  '02': CreditListType.DISHONEST_JUDGMENT_DEBTOR,
  '03': CreditListType.ABNORMAL_OPERATION,
  '04': CreditListType.JOINT_SANCTION,
};

export const LIST_TYPE_CODE_OF = Object.fromEntries(Object.entries(LIST_TYPE_CODES).map(([code, type]) => [type, code])) as Record<CreditListType, string>;

export const compactDate = (date: string | null): string => (date ? date.replace(/-/g, '') : '');

/** `20250325` → `2025-03-25`; '' → null; anything else → undefined (not a date). */
export function isoDate(compact: string): string | null | undefined {
  if (compact === '') return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(compact);
  // Credit records began in this century; year 0000 or 1899 is a placeholder, not a date.
  if (!m || Number(m[1]) < 1949) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** Epoch milliseconds → the canonical `+08:00` ISO form the rest of the hub uses (milliseconds kept when there are any). */
export function beijingIso(epochMs: number): string {
  const local = new Date(epochMs + 8 * 3_600_000).toISOString();
  return `${local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23)}+08:00`;
}

export const CREDIT_STREAMS = ['ratings', 'listEntries'] as const;
export type CreditStream = (typeof CREDIT_STREAMS)[number];

/** A canonical rating in the platform's own form (what the platform serves; the mapping is its inverse). */
export const toPlatformRating = (r: CreditRatingRecord): PlatformRating => ({
  pjbh: r.sourceId,
  ztdm: r.subjectUscc,
  pjdj: r.sourceGrade,
  pjfs: r.score,
  kfz: r.penaltyPoints,
  pjnd: r.year,
  pjjg: r.ratingAuthority,
  gxsjc: Date.parse(r.updatedAt),
});

/** A canonical list entry in the platform's own form. */
export const toPlatformListEntry = (e: CreditListEntryRecord): PlatformListEntry => ({
  mdbh: e.sourceId,
  ztdm: e.subjectUscc,
  mdlx: LIST_TYPE_CODE_OF[e.listType],
  lrly: e.reason,
  lrjg: e.authority,
  lrrq: compactDate(e.listedOn),
  ycrq: compactDate(e.removedOn),
  gxsjc: Date.parse(e.updatedAt),
});
