import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, projectRoot } from '../../src/config';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { GRADING_QUEUE } from '../../src/supervision/grading-job';
import { queueBackend } from '../../src/sync/queue-backend';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Who sees a risk grade and its deductions is the agreements file's: the committed agreements for
 * the bureau's officers (all of it) and the market regulator (the grade, not the deductions), and
 * for the bureau's analysts a variant written here that withholds the credit records and masks
 * the deductions' evidence counts.
 */

const OFFICER: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['32'], purpose: 'random-inspection' };
const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const MARKET_REGULATOR: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection' };
const SHANGHAI: TestCaller = { agency: 'shanghai-transport', roles: ['officer'], purpose: 'cross-region-enforcement' };

/** The committed agreements, with the analysts' agreement granting no credit records, cases' penalties only masked, and masking evidence counts. */
function variantAgreementsFile(): string {
  const committed = JSON.parse(fs.readFileSync(path.join(projectRoot, 'schema/policy/agreements.json'), 'utf8'));
  for (const agreement of committed.agreements) {
    if (agreement.allowedOperations) agreement.allowedOperations = agreement.allowedOperations.map((f: string) => path.join(projectRoot, 'schema/policy', f));
    if (agreement.id === 'SZJT-2026-02') {
      agreement.fields.Enterprise = { ...agreement.fields.Enterprise, creditRatings: 'none', creditListEntries: 'none' };
      agreement.fields.RiskDeduction = { '*': 'full', evidenceCount: 'masked' };
      agreement.fields.EnforcementCase = { ...agreement.fields.EnforcementCase, penaltyAmountYuan: 'masked' };
    }
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agreements-')), 'agreements.json');
  fs.writeFileSync(file, JSON.stringify(committed));
  return file;
}

interface Deduction {
  factor: string;
  points: number;
  evidenceCount: number;
}

let t: TestHub;
const QUEUE_PREFIX = `xt_riskapi_${process.pid}`;
/** An enterprise in division 32… whose grade has credit and other deductions. */
let graded: { uscc: string; score: number; grade: string; deductions: Deduction[] };

const GRADE_QUERY = `query Grade($uscc: String!) {
  enterprise(uscc: $uscc) { uscc riskGrade { score grade ruleVersion computedAt deductions { factor points evidenceCount } } riskHistory(months: 3) { month grade score } }
}`;

beforeAll(async () => {
  t = await startTestHub('riskgrade', { size: 0.03, env: { AGREEMENTS_FILE: variantAgreementsFile(), QUEUE_PREFIX } });
  await gradeEnterprises(t.hub.db.pool, loadRiskGradeRules(loadConfig({}).riskGradeRulesFile), { full: true });
  const { rows } = await t.hub.db.pool.query<typeof graded>(
    `select uscc, score, grade, deductions from enterprise_risk_grade
     where deleted_at is null and division like '32%' and deductions @> '[{"factor": "CREDIT_RATING"}, {"factor": "CASES"}]' and jsonb_array_length(deductions) >= 2
     order by jsonb_array_length(deductions) desc, uscc limit 1`,
  );
  graded = rows[0];
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const gradeAs = async (caller: TestCaller, query = GRADE_QUERY, variables: object = { uscc: graded.uscc }) =>
  execute<{ enterprise: { riskGrade: { score: number; grade: string; deductions: Deduction[] } | null; riskHistory: unknown[] } }, object>(
    t.hub.graphqlUrl,
    query,
    variables,
    await t.headersAs(caller),
  );

describe('Enterprise.riskGrade', () => {
  it('an officer of the enterprise’s district reads its grade, the deductions of facts it sees whole, and its history', async () => {
    expect(graded).toBeDefined();
    const { data, errors } = await gradeAs(OFFICER);
    expect(errors).toBeUndefined();
    // A district officer sees only their district's cases, weighings, vehicles and clues: counts of
    // the enterprise's all (another district's, cases handed to the police) are not theirs to learn.
    const districtScoped = ['CASES', 'OVERLOADS', 'EXPIRED_CERTIFICATES', 'OPEN_CLUES'];
    expect(data!.enterprise.riskGrade).toMatchObject({
      score: graded.score,
      grade: graded.grade,
      deductions: graded.deductions.filter((d) => !districtScoped.includes(d.factor)),
    });
    expect(data!.enterprise.riskHistory).toEqual([{ month: expect.stringMatching(/^\d{4}-\d{2}-01$/), grade: graded.grade, score: graded.score }]);
  });

  it('shows a deduction only where the agreement grants its facts in full, masked as the agreement says', async () => {
    const { data, errors } = await gradeAs(ANALYST);
    expect(errors).toBeUndefined();
    const shown = data!.enterprise.riskGrade!.deductions;
    // The score is the whole grade's; the credit deductions behind it are withheld, and the cases' (penalties granted only masked).
    const withheld = ['CREDIT_RATING', 'CREDIT_LIST', 'CASES'];
    expect(data!.enterprise.riskGrade!.score).toBe(graded.score);
    expect(shown.map((d) => d.factor)).toEqual(graded.deductions.map((d) => d.factor).filter((f) => !withheld.includes(f)));
    expect(shown.every((d) => d.evidenceCount === 0)).toBe(true);
    expect(shown.map((d) => d.points)).toEqual(graded.deductions.filter((d) => !withheld.includes(d.factor)).map((d) => d.points));
  });

  it('the market regulator reads the grade but is refused the deductions before anything runs', async () => {
    const grade = await gradeAs(
      MARKET_REGULATOR,
      `query G($uscc: String!) { enterprise(uscc: $uscc) { riskGrade { score grade ruleVersion } riskHistory { month grade } } }`,
    );
    expect(grade.errors).toBeUndefined();
    expect(grade.data!.enterprise.riskGrade).toMatchObject({ score: graded.score, grade: graded.grade });
    const refused = await gradeAs(MARKET_REGULATOR);
    expect(refused.status).toBe(403);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['enterprise.riskGrade.deductions'] });
  });

  it('a peer bureau is refused the grade altogether', async () => {
    const refused = await gradeAs(SHANGHAI, `query G($uscc: String!) { enterprise(uscc: $uscc) { riskGrade { grade } } }`);
    expect(refused.status).toBe(403);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('an officer of another district sees no grade of an enterprise outside it', async () => {
    const { data, errors } = await gradeAs({ ...OFFICER, divisions: ['31'] });
    expect(errors).toBeUndefined();
    expect(data!.enterprise).toBeNull();
  });

  it('refuses a history longer than the limit with a typed error', async () => {
    const { errors } = await gradeAs(OFFICER, `query G($uscc: String!) { enterprise(uscc: $uscc) { riskHistory(months: 61) { month } } }`);
    expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'months' });
  });

  it('audits the read, crediting the deductions’ records to the agencies that provide them', async () => {
    await gradeAs(OFFICER, GRADE_QUERY.replace('query Grade', 'query AuditedGrade'));
    const owner = ownerPool(t.hub.db.url);
    try {
      const { rows } = await owner.query<{ sources: Record<string, number> }>(
        `select content->'sources' as sources from audit_event where content->>'operationName' = 'AuditedGrade' order by seq desc limit 1`,
      );
      const credit = graded.deductions.filter((d) => d.factor.startsWith('CREDIT')).reduce((n, d) => n + d.evidenceCount, 0);
      expect(rows[0].sources['jiangsu-credit']).toBe(credit);
    } finally {
      await owner.end();
    }
  });

  it('a clue an officer dismisses asks for a grading run, which takes the clue off its enterprise’s deductions', async () => {
    const rules = loadRiskGradeRules(loadConfig({}).riskGradeRulesFile);
    await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile));
    await gradeEnterprises(t.hub.db.pool, rules);
    const { rows } = await t.hub.db.pool.query<{ id: string; division: string; owner: string }>(
      `select c.id, c.division, v.owner_uscc as owner from clue c join vehicle v on v.plate_number = c.plate_number and v.plate_color = c.plate_color
       join enterprise_risk_grade g on g.uscc = v.owner_uscc
       where c.status = 'OPEN' and c.deleted_at is null and g.deductions @> '[{"factor": "OPEN_CLUES"}]' order by c.id limit 1`,
    );
    const [open] = rows;
    expect(open).toBeDefined();
    const clues = async () =>
      (
        await t.hub.db.pool.query<{ deductions: Deduction[] }>('select deductions from enterprise_risk_grade where uscc = $1', [open.owner])
      ).rows[0].deductions.find((d) => d.factor === 'OPEN_CLUES')?.evidenceCount ?? 0;
    const before = await clues();
    const queue = queueBackend(loadConfig({ QUEUE_PREFIX }), t.hub.db.url).createQueue(GRADING_QUEUE);
    try {
      await queue.obliterate({ force: true });
      const dismissed = await execute(
        t.hub.graphqlUrl,
        'mutation D($id: String!) { dismissClue(id: $id, reason: LAWFUL_EXCEPTION, note: "test") { status } }',
        { id: open.id },
        await t.headersAs({ ...OFFICER, divisions: [open.division], purpose: 'case-investigation' }),
      );
      expect(dismissed.errors).toBeUndefined();
      // The hub runs no grading worker (the sync workers do): the run it asked for waits in the queue.
      // (Asked once the change committed, without holding up the answer.)
      let queued = 0;
      for (let i = 0; i < 50 && queued === 0; i++) {
        const counts = await queue.getJobCounts('waiting', 'delayed');
        queued = counts.waiting + counts.delayed;
        if (!queued) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(queued).toBe(1);
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    // That run (any incremental one) finds the clue event and grades its enterprise again.
    await gradeEnterprises(t.hub.db.pool, rules);
    expect(await clues()).toBe(before - 1);
  });
});
