import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import type { Pool } from 'pg';
import { CaseStatus } from '../../connectors/contract/canonical/codes';
import type { EnforcementCaseRecord } from '../../connectors/contract/canonical/records';
import { loadConfig, projectRoot } from '../../src/config';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';
import type { NodeProcess } from '../support/node-process';
import { startOtherHub, subscribeLive } from '../support/live-subscriber';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Risk grade changes, live: the grading logs a change (here after enforcement cases against an
 * operator are synced) and a subscriber on another hub process (the compiled hub) hears of it
 * within 2 s, on each bus, read as the grade read path shows it: an officer of the enterprise's
 * division with the deductions, the market regulator with the grade and score but refused the
 * deductions, an officer of another division nothing; an agency not granted grades is refused when
 * it subscribes. Every delivery is audited.
 */

const config = loadConfig({});
const rules = loadRiskGradeRules(config.riskGradeRulesFile);
// PostgreSQL always; Redis when REDIS_URL is set (global setup says so when it is not).
const redisUrl = loadConfig().redisUrl;
const buses = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);

const GRADES = `subscription Grades($division: String!) {
  riskGradeChanged(division: $division) { uscc division oldGrade newGrade score ruleVersion changedAt
    enterprise { uscc name riskGrade { grade deductions { factor points evidenceCount } } } } }`;
const GRADES_NO_DEDUCTIONS = `subscription GradesOnly($division: String!) {
  riskGradeChanged(division: $division) { uscc oldGrade newGrade score ruleVersion enterprise { uscc name riskGrade { grade } } } }`;

const agreementsFile = JSON.parse(fs.readFileSync(path.join(projectRoot, 'schema/policy/agreements.json'), 'utf8')) as unknown;
type Agreement = { id: string; fields: Record<string, Record<string, string>>; rowScopes?: Record<string, unknown> };
const agreements = (agreementsFile as unknown as { agreements: Agreement[] }).agreements;

describe('risk grade changes are granted and row-scoped as risk grades are', () => {
  it('in every agreement: RiskGradeChange as RiskGrade, and the subscription only with the grade', () => {
    const jurisdictions = (agreementsFile as unknown as { jurisdictions: Record<string, unknown> }).jurisdictions;
    expect(jurisdictions.RiskGradeChange).toEqual(jurisdictions.RiskGrade);
    for (const a of agreements) {
      expect([a.id, a.fields.RiskGradeChange?.['*'] ?? null]).toEqual([a.id, a.fields.RiskGrade?.['*'] ?? null]);
      expect([a.id, a.rowScopes?.RiskGradeChange ?? null]).toEqual([a.id, a.rowScopes?.RiskGrade ?? null]);
      if (a.fields.Subscription?.riskGradeChanged) expect([a.id, a.fields.RiskGrade?.['*']]).toEqual([a.id, 'full']);
    }
  });
});

for (const bus of buses) {
  describe(`risk grade changes over ${bus}`, () => {
    let t: TestHub;
    let owner: Pool;
    let other: NodeProcess;
    let otherUrl: string;
    let serial = 0;
    const env: Record<string, string> = bus === 'redis' ? { REDIS_URL: redisUrl!, QUEUE_PREFIX: `live_grade_test_${process.pid}` } : {};
    const clients: Client[] = [];

    beforeAll(async () => {
      t = await startTestHub(`grade_live_${bus}`, { size: 0.005, env: { ...env, HUB_EVENT_POLL_MS: '1000' } });
      owner = ownerPool(t.hub.db.url);
      // Every operator graded once before anyone listens: the first grades are no news to the tests.
      await gradeEnterprises(t.hub.db.pool, rules, { full: true });
      ({ process: other, graphqlUrl: otherUrl } = await startOtherHub(t.hub.db.url, env));
    }, 180_000);
    afterAll(async () => {
      for (const client of clients) await client.dispose();
      await other?.stop();
      await owner?.end();
      await t?.close();
    });

    /** A graphql-ws client on the other process, as `caller`. */
    const subscribe = async (caller: TestCaller, query: string, variables: Record<string, unknown>) =>
      subscribeLive(clients, otherUrl, (await t.headersAs(caller)).authorization, caller.purpose, query, variables);

    const transferredCase = (partyUscc: string, divisionCode: string): EnforcementCaseRecord => {
      const occurredAt = new Date(Date.now() - 86_400_000).toISOString();
      return {
        caseNumber: `苏E交执〔2026〕9${process.pid % 1000}${bus === 'redis' ? 1 : 0}${String(++serial).padStart(3, '0')}号`,
        violationCode: 'T2001',
        violationType: '未按规定经营',
        partyUscc,
        partyIdNumber: null,
        vehiclePlateNumber: null,
        vehiclePlateColor: null,
        occurredAt,
        divisionCode,
        status: CaseStatus.PENALTY_DECIDED,
        penaltyAmountYuan: 50_000,
        transferredToPolice: true,
        decidedAt: null,
        transferredAt: null,
        receivingPoliceUnit: null,
        summary: '测试',
        updatedAt: occurredAt,
      };
    };

    const audited = async (operationName: string) =>
      Number((await owner.query<{ n: string }>(`select count(*) as n from audit_event where content->>'operationName' = $1`, [operationName])).rows[0].n);

    it('tells the division’s officer (with the deductions its row scope allows) and the market regulator (grade and score) of a grade moved by new cases within 2 s, nothing to another division, each delivery audited', async () => {
      const { rows } = await owner.query<{ uscc: string; division: string; grade: string; name: string }>(
        `select g.uscc, g.division, g.grade, e.name from enterprise_risk_grade g join enterprise e on e.uscc = g.uscc
         where g.deleted_at is null and g.grade = 'A' and g.division like '3205%' order by g.score desc, g.uscc limit 1`,
      );
      expect(rows).toHaveLength(1);
      const [graded] = rows;
      const officer: TestCaller = {
        agency: 'suzhou-transport',
        roles: ['officer'],
        subject: 'sun.li',
        divisions: [graded.division],
        purpose: 'random-inspection',
      };
      const regulator: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], subject: 'zhou.min', purpose: 'joint-inspection' };
      const elsewhereDivision = graded.division.startsWith('320505') ? '320506' : '320505';
      const mine = await subscribe(officer, GRADES, { division: graded.division.slice(0, 4) });
      const market = await subscribe(regulator, GRADES_NO_DEDUCTIONS, { division: '3205' });
      const elsewhere = await subscribe({ ...officer, subject: 'qian.feng', divisions: [elsewhereDivision] }, GRADES, { division: '32' });
      // Its token names no division: the event reaches its subscription, and the row scope of the read hides the change.
      const unplaced = await subscribe({ ...officer, subject: 'wu.hao', divisions: [] }, GRADES.replace('Grades(', 'GradesUnplaced('), { division: '3205' });
      expect([mine.errors, market.errors, elsewhere.errors, unplaced.errors]).toEqual([[], [], [], []]);
      const before = { officer: await audited('Grades'), market: await audited('GradesOnly'), unplaced: await audited('GradesUnplaced') };
      const lastChange = Number((await owner.query<{ n: string }>('select coalesce(max(id), 0) as n from enterprise_risk_grade_change')).rows[0].n);

      // A change of input: two cases transferred to the police, synced; then the grading runs.
      await upsertRecords(
        t.hub.db.pool,
        RECORD_TABLES.enforcementCase,
        [transferredCase(graded.uscc, graded.division), transferredCase(graded.uscc, graded.division)],
        new Date(),
      );
      const run = await gradeEnterprises(t.hub.db.pool, rules);
      const committedAt = Date.now();
      expect(run.changes).toBeGreaterThanOrEqual(1);
      const changes = await owner.query<{ new_grade: string; score: number; rule_version: string }>(
        'select new_grade, score, rule_version from enterprise_risk_grade_change where id > $1 and uscc = $2',
        [lastChange, graded.uscc],
      );
      expect(changes.rows).toHaveLength(1);
      const [change] = changes.rows;
      expect(change.new_grade).not.toBe('A');

      const deadline = Date.now() + 5000;
      while ((mine.received.length === 0 || market.received.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const ofTheEnterprise = (s: typeof mine) => s.received.filter((m) => (m.data?.riskGradeChanged as { uscc?: string } | null)?.uscc === graded.uscc);
      expect(ofTheEnterprise(mine)).toHaveLength(1);
      const [told] = ofTheEnterprise(mine);
      expect(told.at - committedAt).toBeLessThanOrEqual(2000);
      const delivered = told.data!.riskGradeChanged as Record<string, unknown> & { enterprise: { riskGrade: { deductions: Array<{ factor: string }> } } };
      expect(delivered).toMatchObject({
        uscc: graded.uscc,
        division: graded.division,
        oldGrade: 'A',
        newGrade: change.new_grade,
        score: change.score,
        ruleVersion: change.rule_version,
        enterprise: { uscc: graded.uscc, name: graded.name, riskGrade: { grade: change.new_grade } },
      });
      expect(typeof delivered.changedAt).toBe('string');
      // The grade fell for cases, but a district officer is not shown the cases deduction: it counts
      // the enterprise's cases in every district (the read path's rule, applied to live deliveries too).
      expect(Array.isArray(delivered.enterprise.riskGrade.deductions)).toBe(true);
      expect(delivered.enterprise.riskGrade.deductions.map((d) => d.factor)).not.toContain('CASES');

      // The market regulator: the grade and its score, as its agreement grants them on Enterprise.riskGrade.
      expect(ofTheEnterprise(market)).toHaveLength(1);
      expect(ofTheEnterprise(market)[0].at - committedAt).toBeLessThanOrEqual(2000);
      expect(ofTheEnterprise(market)[0].data).toEqual({
        riskGradeChanged: {
          uscc: graded.uscc,
          oldGrade: 'A',
          newGrade: change.new_grade,
          score: change.score,
          ruleVersion: change.rule_version,
          enterprise: { uscc: graded.uscc, name: graded.name, riskGrade: { grade: change.new_grade } },
        },
      });

      await new Promise((r) => setTimeout(r, 500));
      expect(ofTheEnterprise(elsewhere)).toHaveLength(0);
      expect(unplaced.received).toHaveLength(0);
      expect((await audited('GradesUnplaced')) - before.unplaced).toBeGreaterThanOrEqual(1);
      // One audit event per delivery: each subscriber's audited deliveries are the messages it was sent.
      expect((await audited('Grades')) - before.officer).toBe(mine.received.length + elsewhere.received.length);
      expect((await audited('GradesOnly')) - before.market).toBe(market.received.length);
    });

    it('refuses, when subscribing, a caller not granted risk grades, the deductions to the market regulator, and a bad division, with typed errors', async () => {
      const police: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'wang.fang', purpose: 'case-investigation' };
      const refused = await subscribe(police, GRADES_NO_DEDUCTIONS, { division: '3205' });
      expect(refused.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      const regulator: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], subject: 'zhou.min', purpose: 'joint-inspection' };
      const deductions = await subscribe(regulator, GRADES, { division: '3205' });
      expect(deductions.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      const analyst: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
      const bad = await subscribe(analyst, GRADES, { division: 'x' });
      expect(bad.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      for (const s of [refused, deductions, bad]) expect(JSON.stringify(s.errors)).not.toMatch(/select |insert |stack/i);
    });
  });
}
