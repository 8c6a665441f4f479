import fs from 'node:fs';
import { CreditGrade, CreditListType } from '../../connectors/contract/canonical/codes';
import { ClueSeverity, ClueStatus } from '../domains/clue';
import { RiskFactor, RiskGradeLetter } from '../domains/risk-grade';
import { RiskGradeRulesError } from './risk-grade-rules-error';
import { RawRules, RuleFileReader } from '../domains/common/rule-file-reader';

/**
 * Enterprise risk grade rules as reviewable data (`schema/rules/risk-grade-rules.json`): the
 * maximum score, the grade bands, the look-back window and each factor's points and cap. Checked
 * when the hub starts, like the agreements and the clue rules: a broken file names the file, the
 * place in it and the problem.
 */

export interface GradeBand {
  grade: RiskGradeLetter;
  /** The lowest score of the grade. */
  from: number;
}

/** Points from a lower bound of a measure up (bounds ascend). */
export interface PointsBand {
  from: number;
  points: number;
}

export interface RiskGradeFactors {
  [RiskFactor.CREDIT_RATING]: { pointsByGrade: Record<CreditGrade, number>; cap: number };
  [RiskFactor.CREDIT_LIST]: { pointsByListType: Record<CreditListType, number>; cap: number };
  [RiskFactor.CASES]: { pointsByPenaltyYuan: PointsBand[]; transferredToPolice: number; cap: number };
  [RiskFactor.OVERLOADS]: { tolerance: number; pointsPerOverloadPerVehicle: number; cap: number };
  [RiskFactor.ABNORMAL_OPERATION]: { pointsPerListing: number; cap: number };
  [RiskFactor.EXPIRED_LICENCES]: { pointsPerLicence: number; cap: number };
  [RiskFactor.EXPIRED_CERTIFICATES]: { pointsPerVehicle: number; cap: number };
  [RiskFactor.OPEN_CLUES]: { statuses: ClueStatus[]; pointsBySeverity: Record<ClueSeverity, number>; cap: number };
}

/** A checked rule file. */
export class RiskGradeRules {
  constructor(
    readonly file: string,
    readonly version: string,
    readonly maxScore: number,
    readonly lookbackMonths: number,
    /** Highest grade first; the last starts at 0. */
    readonly grades: readonly GradeBand[],
    readonly factors: RiskGradeFactors,
  ) {}

  /** The grade of a score. */
  gradeOf(score: number): RiskGradeLetter {
    return (this.grades.find((g) => score >= g.from) ?? this.grades[this.grades.length - 1]).grade;
  }
}

type Raw = RawRules;

/** The risk grade rule file's reader: whole numbers unless said, every keyed object closed. */
class Reader extends RuleFileReader {
  constructor(file: string) {
    super((where, problem) => {
      throw new RiskGradeRulesError(file, where, problem);
    });
  }

  override object(value: unknown, where: string, keys: readonly string[]): Raw {
    return super.object(value, where, keys);
  }

  override number(value: unknown, where: string, min: number, max: number, whole = true): number {
    return super.number(value, where, min, max, whole);
  }

  /** Points for every value of a code list, none left out. */
  pointsByCode<E extends string>(codes: Record<string, E>, value: unknown, where: string, maxPoints: number): Record<E, number> {
    const all = Object.values(codes);
    const raw = this.object(value, where, all);
    const missing = all.filter((c) => !(c in raw));
    if (missing.length) this.fail(where, `must give points for every code: ${missing.join(', ')} missing`);
    return Object.fromEntries(all.map((c) => [c, this.number(raw[c], `${where}.${c}`, 0, maxPoints)])) as Record<E, number>;
  }
}

function parseFactors(r: Reader, value: unknown, maxScore: number): RiskGradeFactors {
  const root = r.object(value, 'factors', Object.values(RiskFactor));
  const missing = Object.values(RiskFactor).filter((f) => !(f in root));
  if (missing.length) r.fail('factors', `must declare every factor: ${missing.join(', ')} missing`);
  const at = (f: RiskFactor) => `factors.${f}`;
  const factor = (f: RiskFactor, keys: string[]) => r.object(root[f], at(f), [...keys, 'cap']);
  const cap = (raw: Raw, f: RiskFactor) => r.number(raw.cap, `${at(f)}.cap`, 0, maxScore);
  const points = (v: unknown, where: string) => r.number(v, where, 0, maxScore);

  const rating = factor(RiskFactor.CREDIT_RATING, ['pointsByGrade']);
  const list = factor(RiskFactor.CREDIT_LIST, ['pointsByListType']);
  const cases = factor(RiskFactor.CASES, ['pointsByPenaltyYuan', 'transferredToPolice']);
  const bandsAt = `${at(RiskFactor.CASES)}.pointsByPenaltyYuan`;
  if (!Array.isArray(cases.pointsByPenaltyYuan) || cases.pointsByPenaltyYuan.length === 0) r.fail(bandsAt, 'must be a list of at least 1');
  const bands = (cases.pointsByPenaltyYuan as unknown[]).map((v, i) => {
    const band = r.object(v, `${bandsAt}[${i}]`, ['from', 'points']);
    return { from: r.number(band.from, `${bandsAt}[${i}].from`, 0, 1e9, false), points: points(band.points, `${bandsAt}[${i}].points`) };
  });
  if (bands[0].from !== 0) r.fail(`${bandsAt}[0].from`, 'must be 0, so every case has points');
  bands.forEach((b, i) => {
    if (i > 0 && b.from <= bands[i - 1].from) r.fail(`${bandsAt}[${i}].from`, `must be above ${bands[i - 1].from} (bands ascend)`);
  });
  const overloads = factor(RiskFactor.OVERLOADS, ['tolerance', 'pointsPerOverloadPerVehicle']);
  const abnormal = factor(RiskFactor.ABNORMAL_OPERATION, ['pointsPerListing']);
  const licences = factor(RiskFactor.EXPIRED_LICENCES, ['pointsPerLicence']);
  const certificates = factor(RiskFactor.EXPIRED_CERTIFICATES, ['pointsPerVehicle']);
  const clues = factor(RiskFactor.OPEN_CLUES, ['statuses', 'pointsBySeverity']);
  const statusesAt = `${at(RiskFactor.OPEN_CLUES)}.statuses`;
  if (!Array.isArray(clues.statuses) || clues.statuses.length === 0) r.fail(statusesAt, 'must be a list of at least 1');
  return {
    [RiskFactor.CREDIT_RATING]: {
      pointsByGrade: r.pointsByCode(CreditGrade, rating.pointsByGrade, `${at(RiskFactor.CREDIT_RATING)}.pointsByGrade`, maxScore),
      cap: cap(rating, RiskFactor.CREDIT_RATING),
    },
    [RiskFactor.CREDIT_LIST]: {
      pointsByListType: r.pointsByCode(CreditListType, list.pointsByListType, `${at(RiskFactor.CREDIT_LIST)}.pointsByListType`, maxScore),
      cap: cap(list, RiskFactor.CREDIT_LIST),
    },
    [RiskFactor.CASES]: {
      pointsByPenaltyYuan: bands,
      transferredToPolice: points(cases.transferredToPolice, `${at(RiskFactor.CASES)}.transferredToPolice`),
      cap: cap(cases, RiskFactor.CASES),
    },
    [RiskFactor.OVERLOADS]: {
      tolerance: r.number(overloads.tolerance, `${at(RiskFactor.OVERLOADS)}.tolerance`, 0, 0.5, false),
      pointsPerOverloadPerVehicle: points(overloads.pointsPerOverloadPerVehicle, `${at(RiskFactor.OVERLOADS)}.pointsPerOverloadPerVehicle`),
      cap: cap(overloads, RiskFactor.OVERLOADS),
    },
    [RiskFactor.ABNORMAL_OPERATION]: {
      pointsPerListing: points(abnormal.pointsPerListing, `${at(RiskFactor.ABNORMAL_OPERATION)}.pointsPerListing`),
      cap: cap(abnormal, RiskFactor.ABNORMAL_OPERATION),
    },
    [RiskFactor.EXPIRED_LICENCES]: {
      pointsPerLicence: points(licences.pointsPerLicence, `${at(RiskFactor.EXPIRED_LICENCES)}.pointsPerLicence`),
      cap: cap(licences, RiskFactor.EXPIRED_LICENCES),
    },
    [RiskFactor.EXPIRED_CERTIFICATES]: {
      pointsPerVehicle: points(certificates.pointsPerVehicle, `${at(RiskFactor.EXPIRED_CERTIFICATES)}.pointsPerVehicle`),
      cap: cap(certificates, RiskFactor.EXPIRED_CERTIFICATES),
    },
    [RiskFactor.OPEN_CLUES]: {
      statuses: (clues.statuses as unknown[]).map((s, i) => r.oneOf(ClueStatus, s, `${statusesAt}[${i}]`)),
      pointsBySeverity: r.pointsByCode(ClueSeverity, clues.pointsBySeverity, `${at(RiskFactor.OPEN_CLUES)}.pointsBySeverity`, maxScore),
      cap: cap(clues, RiskFactor.OPEN_CLUES),
    },
  };
}

/** Checks a parsed rule file (`file` names it in errors). */
export function parseRiskGradeRules(json: unknown, file: string): RiskGradeRules {
  const r = new Reader(file);
  const root = r.object(json, 'the file', ['version', 'maxScore', 'lookbackMonths', 'grades', 'factors']);
  const version = r.text(root.version, 'version');
  const maxScore = r.number(root.maxScore, 'maxScore', 1, 100_000);
  const lookbackMonths = r.number(root.lookbackMonths, 'lookbackMonths', 1, 120);
  if (!Array.isArray(root.grades) || root.grades.length === 0) r.fail('grades', 'must be a list of at least 1');
  const grades = (root.grades as unknown[]).map((v, i) => {
    const band = r.object(v, `grades[${i}]`, ['grade', 'from']);
    return { grade: r.oneOf(RiskGradeLetter, band.grade, `grades[${i}].grade`), from: r.number(band.from, `grades[${i}].from`, 0, maxScore) };
  });
  grades.forEach((g, i) => {
    if (i > 0 && g.from >= grades[i - 1].from) r.fail(`grades[${i}].from`, `must be below ${grades[i - 1].from} (bands descend from the best grade)`);
    if (grades.findIndex((x) => x.grade === g.grade) !== i) r.fail(`grades[${i}].grade`, `${g.grade} is listed twice`);
  });
  if (grades[grades.length - 1].from !== 0) r.fail(`grades[${grades.length - 1}].from`, 'must be 0, so every score has a grade');
  return new RiskGradeRules(file, version, maxScore, lookbackMonths, grades, parseFactors(r, root.factors, maxScore));
}

/** Reads and checks the rule file; any problem stops the hub with the file and the place named. */
export function loadRiskGradeRules(file: string): RiskGradeRules {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RiskGradeRulesError(file, 'the file', `cannot be read: ${(error as Error).message}`);
  }
  return parseRiskGradeRules(json, file);
}
