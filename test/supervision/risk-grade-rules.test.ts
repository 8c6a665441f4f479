import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { RiskFactor, RiskGradeLetter } from '../../src/domains/risk-grade';
import { loadRiskGradeRules, parseRiskGradeRules } from '../../src/supervision/risk-grade-rules';

const FILE = loadConfig({}).riskGradeRulesFile;
type RuleFile = any;
const committed = (): RuleFile => JSON.parse(fs.readFileSync(FILE, 'utf8'));

describe('risk grade rules', () => {
  it('the committed file is valid: a thousand points, four grades from A down, every factor capped within them', () => {
    const rules = loadRiskGradeRules(FILE);
    expect(rules.maxScore).toBe(1000);
    expect(rules.grades.map((g) => g.grade)).toEqual([RiskGradeLetter.A, RiskGradeLetter.B, RiskGradeLetter.C, RiskGradeLetter.D]);
    expect(Object.keys(rules.factors).sort()).toEqual(Object.values(RiskFactor).sort());
    expect(rules.factors.OVERLOADS.tolerance).toBe(0.05);
  });

  it('grades a score by the first band it reaches', () => {
    const rules = loadRiskGradeRules(FILE);
    expect([1000, 900, 899, 750, 749, 600, 599, 0].map((s) => rules.gradeOf(s))).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']);
  });

  it.each([
    ['a band out of order', (f: RuleFile) => (f.grades[2].from = 800), /grades\[2\]\.from must be below 750 \(bands descend from the best grade\)/],
    ['no band down to 0', (f: RuleFile) => (f.grades[3].from = 100), /grades\[3\]\.from must be 0, so every score has a grade/],
    ['a grade twice', (f: RuleFile) => (f.grades[3].grade = 'A'), /grades\[3\]\.grade A is listed twice/],
    ['an unknown grade', (f: RuleFile) => (f.grades[0].grade = 'AAA'), /grades\[0\]\.grade must be one of A, B, C, D/],
    ['a factor missing', (f: RuleFile) => delete f.factors.OPEN_CLUES, /factors must declare every factor: OPEN_CLUES missing/],
    ['an unknown factor', (f: RuleFile) => (f.factors.SPEEDING = { cap: 1 }), /factors has unknown SPEEDING/],
    ['a cap over the maximum', (f: RuleFile) => (f.factors.CASES.cap = 2000), /factors\.CASES\.cap must be a whole number from 0 to 1000, got 2000/],
    [
      'a credit grade without points',
      (f: RuleFile) => delete f.factors.CREDIT_RATING.pointsByGrade.D,
      /pointsByGrade must give points for every code: D missing/,
    ],
    ['an unknown clue status', (f: RuleFile) => (f.factors.OPEN_CLUES.statuses = ['OPEN', 'SNOOZED']), /statuses\[1\] must be one of OPEN/],
    ['penalty bands not from 0', (f: RuleFile) => (f.factors.CASES.pointsByPenaltyYuan[0].from = 10), /pointsByPenaltyYuan\[0\]\.from must be 0/],
    ['a tolerance out of range', (f: RuleFile) => (f.factors.OVERLOADS.tolerance = 2), /factors\.OVERLOADS\.tolerance must be a number from 0 to 0\.5, got 2/],
    ['an unknown setting', (f: RuleFile) => (f.factors.OVERLOADS.perAxle = 1), /factors\.OVERLOADS has unknown perAxle/],
    ['no version', (f: RuleFile) => delete f.version, /version must be a non-empty string/],
  ])('refuses %s, naming the place', (_name, change, message) => {
    const file = committed();
    change(file);
    expect(() => parseRiskGradeRules(file, 'rules.json')).toThrow(message);
    expect(() => parseRiskGradeRules(file, 'rules.json')).toThrow(/^Invalid risk grade rules: rules\.json: /);
  });

  it('refuses a file it cannot read', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'risk-grade-rules.json');
    fs.writeFileSync(file, '{ not json');
    expect(() => loadRiskGradeRules(file)).toThrow(new RegExp(`^Invalid risk grade rules: ${file.replace(/[.\\/]/g, '\\$&')}: the file cannot be read`));
  });
});
