import { CaseStatus } from '../../../connectors/contract/canonical/codes';
import { CreditRatingRecord } from '../../../connectors/contract/canonical/records';
import { dayNumber, dayOfInstant, isoInstantOf, localInstant, yearOf } from './calendar';
import { creditGradeFor } from './credit-grade';
import { WorldCase } from './enforcement-cases';
import { WorldEnterprise } from './enterprises';
import { isOperator } from './profiles';
import { Random } from './random';
import { SUZHOU_TRANSPORT_BUREAU } from './suzhou-districts';

export interface WorldCreditRating {
  record: CreditRatingRecord;
  enterprise: WorldEnterprise;
  /** The grade depends on it (B versus C below 60); also in the record as `penaltyPoints`. */
  penaltyPoints: number;
}

/** Ratings of year Y are published in the spring of Y + 1. */
const PUBLISHED_ON = '-04-15';
const RATED_YEARS = 3;
const NON_TRANSPORT_RATER = '江苏省公共信用信息中心';
/** Points cost score: each point about 0.9 of a score point. */
const POINTS_TO_SCORE = 0.9;

export function generateCreditRatings(seed: number, enterprises: readonly WorldEnterprise[], cases: readonly WorldCase[], endDay: number): WorldCreditRating[] {
  const rng = Random.from(seed, 'credit-ratings');
  const points = penaltyPointsByYear(cases);
  const endYear = yearOf(endDay);
  const perYear = new Map<number, number>();
  const out: WorldCreditRating[] = [];
  for (const enterprise of enterprises) {
    const operator = isOperator(enterprise.profile);
    if (!rng.chance(operator ? 0.95 : 0.75)) continue;
    const base = rng.normal(84, 8);
    const establishedYear = yearOf(enterprise.establishedDay);
    const closedYear = enterprise.statusChangedDay === null ? Infinity : yearOf(enterprise.statusChangedDay);
    for (let year = endYear - RATED_YEARS; year < endYear; year++) {
      const publishedDay = dayNumber(`${year + 1}${PUBLISHED_ON}`);
      if (year <= establishedYear || year >= closedYear || publishedDay >= endDay) continue;
      const yearPoints = points.get(`${enterprise.record.uscc}|${year}`) ?? 0;
      let score = Math.round(Math.min(100, Math.max(0, base + rng.normal(0, 3) - yearPoints * POINTS_TO_SCORE)));
      // Below 40 without 20 points is outside the grading rules; the world stays inside them.
      if (score < 40 && yearPoints < 20) score = 40;
      const n = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, n);
      out.push({
        enterprise,
        penaltyPoints: yearPoints,
        record: {
          sourceId: `XYPJ-${year}-${String(n).padStart(6, '0')}`,
          subjectUscc: enterprise.record.uscc,
          grade: creditGradeFor(score, yearPoints),
          sourceGrade: `${creditGradeFor(score, yearPoints)}级`,
          score,
          penaltyPoints: yearPoints,
          year,
          ratingAuthority: operator ? SUZHOU_TRANSPORT_BUREAU : NON_TRANSPORT_RATER,
          updatedAt: isoInstantOf(localInstant(publishedDay, rng.int(9 * 3600, 17 * 3600))),
        },
      });
    }
  }
  return out;
}

/** Points of decided (or transferred) cases, by party and year of the offence. */
function penaltyPointsByYear(cases: readonly WorldCase[]): Map<string, number> {
  const points = new Map<string, number>();
  for (const c of cases) {
    if (!c.record.partyUscc || c.record.status === CaseStatus.REGISTERED || c.record.status === CaseStatus.INVESTIGATING) continue;
    const key = `${c.record.partyUscc}|${yearOf(dayOfInstant(c.occurredInstant))}`;
    points.set(key, (points.get(key) ?? 0) + c.violation.penaltyPoints);
  }
  return points;
}
