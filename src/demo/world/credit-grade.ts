import { CreditGrade } from '../../../connectors/contract/canonical/codes';

/**
 * Jiangsu operator credit grade from the score and the year's penalty points:
 * AA ≥ 90; A 80–89; B 60–79, or 40–59 with fewer than 20 points; C 40–59 with ≥ 20 points;
 * D below 40 with ≥ 20 points. The rules do not cover below 40 with fewer than 20 points;
 * we grade it C, since D requires the points.
 */
export function creditGradeFor(score: number, penaltyPoints: number): CreditGrade {
  if (score >= 90) return CreditGrade.AA;
  if (score >= 80) return CreditGrade.A;
  if (score >= 60) return CreditGrade.B;
  if (score >= 40) return penaltyPoints >= 20 ? CreditGrade.C : CreditGrade.B;
  return penaltyPoints >= 20 ? CreditGrade.D : CreditGrade.C;
}
