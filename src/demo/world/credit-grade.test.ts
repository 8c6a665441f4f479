import { CreditGrade } from '../../../connectors/contract/canonical/codes';
import { creditGradeFor } from './credit-grade';

describe('creditGradeFor', () => {
  it.each([
    [100, 0, CreditGrade.AA],
    [90, 30, CreditGrade.AA],
    [89, 0, CreditGrade.A],
    [80, 0, CreditGrade.A],
    [79, 25, CreditGrade.B],
    [60, 0, CreditGrade.B],
    [59, 19, CreditGrade.B],
    [40, 0, CreditGrade.B],
    [59, 20, CreditGrade.C],
    [40, 35, CreditGrade.C],
    [39, 20, CreditGrade.D],
    [0, 50, CreditGrade.D],
    [39, 19, CreditGrade.C], // outside the published rules: D needs ≥ 20 points
  ])('score %i with %i points → %s', (score, points, grade) => {
    expect(creditGradeFor(score, points)).toBe(grade);
  });
});
