import {
  CaseStatus,
  CreditGrade,
  CreditListType,
  EnterpriseStatus,
  LicenceScope,
  LicenceStatus,
  PlateColor,
  TransportCertificateStatus,
} from '../../connectors/contract/canonical/codes';
import type { PoolClient } from 'pg';
import type { EnforcementCaseRecord, VehicleRecord, WeighingRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { loadRiskGradeRules } from '../../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../../src/supervision/risk-grading';
import { freshDatabaseUrl } from '../support/test-database';

const rules = loadRiskGradeRules(loadConfig({}).riskGradeRulesFile);
const world = generateWorld({ seed: 31, size: 0.01 });
/** The instant every run below judges facts at: mid-December 2026, Beijing time. */
const AS_OF = new Date('2026-12-15T04:00:00Z');
const daysBefore = (days: number) => new Date(AS_OF.getTime() - days * 86_400_000).toISOString();
let db: Database;
let serial = 1;

interface GradeRow {
  uscc: string;
  division: string;
  score: number;
  grade: string;
  rule_version: string;
  deductions: Array<{ factor: string; points: number; evidenceCount: number }>;
  deleted_at: Date | null;
}

const grades = async (): Promise<GradeRow[]> =>
  (await db.pool.query<GradeRow>('select uscc, division, score, grade, rule_version, deductions, deleted_at from enterprise_risk_grade order by uscc')).rows;
const gradeOf = async (uscc: string): Promise<GradeRow | undefined> => (await grades()).find((g) => g.uscc === uscc);
const changesOf = async (uscc: string) =>
  (
    await db.pool.query<{ old_grade: string | null; new_grade: string | null; score: number | null }>(
      'select old_grade, new_grade, score from enterprise_risk_grade_change where uscc = $1 order by id',
      [uscc],
    )
  ).rows;
const upsert = async <K extends keyof typeof RECORD_TABLES>(table: K, records: unknown[], stampedAt = new Date()) =>
  upsertRecords(db.pool, RECORD_TABLES[table] as never, records as never[], stampedAt);

/** A clean operator: registered (synced at `stampedAt`), one licence in force, no vehicle. */
async function operator(division = '320506', stampedAt = new Date()): Promise<string> {
  const uscc = `91320506MA${String(serial++).padStart(7, '0')}X`;
  await upsert(
    'enterprise',
    [
      {
        uscc,
        name: `测试运输有限公司${serial}`,
        type: '有限责任公司',
        status: EnterpriseStatus.IN_BUSINESS,
        legalRepresentative: '张三',
        registeredCapitalYuan: 1_000_000,
        establishedOn: '2015-01-01',
        address: '苏州市',
        divisionCode: division,
        businessScope: '道路货物运输',
        updatedAt: '2026-01-01T00:00:00Z',
      },
    ],
    stampedAt,
  );
  await upsert('licence', [licence(uscc, `苏交运管许可苏字${serial++}号`)], stampedAt);
  return uscc;
}

const licence = (holderUscc: string, number: string, overrides: object = {}) => ({
  number,
  holderUscc,
  scopes: [LicenceScope.FREIGHT_GENERAL],
  issuingAuthority: '苏州市交通运输局',
  validFrom: '2024-01-01',
  validTo: '2028-12-31',
  status: LicenceStatus.VALID,
  updatedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});

const vehicle = (ownerUscc: string, overrides: Partial<VehicleRecord> = {}): VehicleRecord => ({
  plateNumber: `苏E${String(70000 + serial++)}`,
  plateColor: PlateColor.YELLOW,
  vin: `LVIN${serial++}`.padEnd(17, '0'),
  vehicleType: 'H11',
  ownerUscc,
  transportCertificateNumber: `320500${serial++}`,
  transportCertificateStatus: TransportCertificateStatus.VALID,
  transportCertificateValidTo: '2029-12-31',
  axleCount: 2,
  ratedTotalMassKg: 18000,
  registrationDivision: '320500',
  transportCertificateDivision: '320506',
  updatedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});

const weighing = (v: VehicleRecord, overloadRatio: number, measuredAt: string): WeighingRecord => ({
  sourceId: `WT-R${serial++}`,
  stationCode: 'ST01',
  stationName: '测试治超站',
  stationDivisionCode: '320506',
  plateNumber: v.plateNumber,
  plateColor: v.plateColor,
  axleCount: 2,
  measuredTotalMassKg: Math.round(18000 * (1 + overloadRatio)),
  limitKg: 18000,
  overloadKg: Math.round(18000 * overloadRatio),
  overloadRatio,
  measuredAt,
  updatedAt: measuredAt,
});

const enforcementCase = (partyUscc: string, occurredAt: string, overrides: Partial<EnforcementCaseRecord> = {}): EnforcementCaseRecord => ({
  caseNumber: `苏E交执〔2026〕8${String(serial++).padStart(4, '0')}号`,
  violationCode: 'T2001',
  violationType: '未按规定经营',
  partyUscc,
  partyIdNumber: null,
  vehiclePlateNumber: null,
  vehiclePlateColor: null,
  occurredAt,
  divisionCode: '320506',
  status: CaseStatus.PENALTY_DECIDED,
  penaltyAmountYuan: 10_000,
  transferredToPolice: false,
  decidedAt: null,
  transferredAt: null,
  receivingPoliceUnit: null,
  summary: '测试',
  updatedAt: occurredAt,
  ...overrides,
});

/** A clue as the derivation writes one (only the columns grading reads matter). */
async function clue(v: VehicleRecord, severity: string, status: string): Promise<string> {
  const id = `CL-RISK-${serial++}`;
  await db.pool.query(
    `insert into clue (id, kind, subject_type, subject_key, plate_number, plate_color, division, severity, severity_rank, status, rule_id, rule_version,
       window_start, first_seen, last_seen, evidence_count, provenance_system, provenance_record_id, provenance_source_updated_at,
       provenance_synced_at, provenance_content_hash)
     values ($1, 'OVERLOAD', 'VEHICLE', $2 || '/' || $3, $2, $3, '320506', $4, 2, $5, 'overload-gb1589', 't', '2026-12-01', now(), now(), 1,
       'HUB', $1, now(), now(), 'h')`,
    [id, v.plateNumber, v.plateColor, severity, status],
  );
  return id;
}

const incremental = () => gradeEnterprises(db.pool, rules, { asOf: AS_OF });
const deductionsOf = async (uscc: string) => Object.fromEntries(((await gradeOf(uscc))?.deductions ?? []).map((d) => [d.factor, [d.points, d.evidenceCount]]));

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('riskgrading'), LOG_LEVEL: 'error' }), entityModelOf(HUB_DOMAINS));
  await loadWorld(db.pool, world);
}, 60_000);

afterAll(async () => {
  await db?.close();
  if (db) await dropDatabase(db.url);
});

describe('enterprise risk grading', () => {
  it('grades every operator enterprise out of the maximum, the deductions adding up to what it lost and the grade its band', async () => {
    const run = await gradeEnterprises(db.pool, rules, { full: true, asOf: AS_OF });
    const operators = (
      await db.pool.query<{ uscc: string }>(
        `select distinct l.holder_uscc as uscc from operator_licence l join enterprise e on e.uscc = l.holder_uscc and e.deleted_at is null
         where l.deleted_at is null order by 1`,
      )
    ).rows.map((r) => r.uscc);
    const graded = await grades();
    expect(run.full).toBe(true);
    expect(graded.map((g) => g.uscc)).toEqual(operators);
    expect(operators.length).toBeGreaterThan(5);
    for (const g of graded) {
      expect(g.score).toBe(Math.max(0, rules.maxScore - g.deductions.reduce((n, d) => n + d.points, 0)));
      expect(g.grade).toBe(rules.gradeOf(g.score));
      expect(g.rule_version).toBe(rules.version);
    }
    // The world holds cases, credit entries and expired certificates: some operators lose points.
    expect(graded.some((g) => g.deductions.length > 0)).toBe(true);
    // Every first grade is a change from nothing, logged once.
    const logged = await db.pool.query<{ n: number }>('select count(*)::int as n from enterprise_risk_grade_change where old_grade is null');
    expect(logged.rows[0].n).toBe(graded.length);
    expect(run.changes).toBe(graded.length);
  });

  it('a clean operator keeps the full score and grade A, with no deductions', async () => {
    const clean = await operator();
    const run = await incremental();
    expect(run.full).toBe(false);
    // Only the new one is written (the run also reads again what the last minute's runs read: a late commit is not missed).
    expect(run.written).toBe(1);
    expect(await gradeOf(clean)).toMatchObject({ score: 1000, grade: 'A', deductions: [] });
    expect(await changesOf(clean)).toEqual([{ old_grade: null, new_grade: 'A', score: 1000 }]);
  });

  it('takes off each factor’s points for what counts, and nothing for what does not', async () => {
    const x = await operator();
    const fleet = [vehicle(x), vehicle(x), vehicle(x, { transportCertificateStatus: TransportCertificateStatus.EXPIRED }), vehicle(x)];
    // Valid in the records, but its date has passed: expired too.
    fleet.push(vehicle(x, { transportCertificateValidTo: '2026-12-01' }));
    await upsert('vehicle', fleet);
    await upsert('creditRating', [
      {
        sourceId: `CR-${serial++}`,
        subjectUscc: x,
        grade: CreditGrade.A,
        sourceGrade: 'A级',
        score: 90,
        penaltyPoints: null,
        year: 2024,
        ratingAuthority: 'x',
        updatedAt: '2026-01-01T00:00:00Z',
      },
      {
        sourceId: `CR-${serial++}`,
        subjectUscc: x,
        grade: CreditGrade.C,
        sourceGrade: 'C级',
        score: 50,
        penaltyPoints: 40,
        year: 2025,
        ratingAuthority: 'x',
        updatedAt: '2026-01-01T00:00:00Z',
      },
    ]);
    await upsert('creditListEntry', [
      {
        sourceId: `CL-${serial++}`,
        subjectUscc: x,
        listType: CreditListType.SERIOUS_DISHONESTY,
        reason: 'r',
        authority: 'a',
        listedOn: '2026-03-01',
        removedOn: null,
        updatedAt: '2026-03-01T00:00:00Z',
      },
      // Removed before the grading: no points.
      {
        sourceId: `CL-${serial++}`,
        subjectUscc: x,
        listType: CreditListType.JOINT_SANCTION,
        reason: 'r',
        authority: 'a',
        listedOn: '2025-03-01',
        removedOn: '2026-01-01',
        updatedAt: '2026-03-01T00:00:00Z',
      },
    ]);
    await upsert('enforcementCase', [
      enforcementCase(x, daysBefore(30), { penaltyAmountYuan: 10_000 }),
      enforcementCase(x, daysBefore(60), { penaltyAmountYuan: 500, transferredToPolice: true }),
      // Thirteen months ago: out of the look-back window.
      enforcementCase(x, daysBefore(400), { penaltyAmountYuan: 100_000 }),
    ]);
    await upsert('weighing', [
      weighing(fleet[0], 0.3, daysBefore(10)),
      weighing(fleet[1], 0.2, daysBefore(20)),
      // Within the measurement tolerance, and too long ago: neither counts.
      weighing(fleet[1], 0.03, daysBefore(5)),
      weighing(fleet[0], 0.5, daysBefore(380)),
    ]);
    await upsert('abnormalOperation', [
      {
        sourceId: `AB-${serial++}`,
        uscc: x,
        reason: '未按规定报送年度报告',
        authority: '苏州市市场监督管理局',
        listedOn: '2026-06-01',
        removedOn: null,
        updatedAt: '2026-06-01T00:00:00Z',
      },
    ]);
    await upsert('licence', [
      licence(x, `苏交运管许可苏字R${serial++}号`, { status: LicenceStatus.SUSPENDED }),
      // Expired, but renewed (the operator's first licence is in force): no points.
      licence(x, `苏交运管许可苏字R${serial++}号`, { status: LicenceStatus.EXPIRED, validFrom: '2018-01-01', validTo: '2023-12-31' }),
    ]);
    await clue(fleet[0], 'HIGH', 'OPEN');
    await clue(fleet[1], 'CRITICAL', 'DISMISSED');
    await incremental();
    expect(await deductionsOf(x)).toEqual({
      CREDIT_RATING: [80, 1],
      CREDIT_LIST: [200, 1],
      CASES: [20 + 80, 2],
      // 2 overloads over 5 vehicles: 100 × 2 / 5.
      OVERLOADS: [40, 2],
      ABNORMAL_OPERATION: [60, 1],
      EXPIRED_LICENCES: [100, 1],
      EXPIRED_CERTIFICATES: [20, 2],
      OPEN_CLUES: [20, 1],
    });
    const g = (await gradeOf(x))!;
    expect(g.score).toBe(1000 - 80 - 200 - 100 - 40 - 60 - 100 - 20 - 20);
    expect(g.grade).toBe('D');
    // Largest first.
    expect(g.deductions.map((d) => d.points)).toEqual([...g.deductions.map((d) => d.points)].sort((a, b) => b - a));
    expect(await changesOf(x)).toEqual([{ old_grade: null, new_grade: 'D', score: 380 }]);
  });

  it('caps each factor', async () => {
    const x = await operator();
    await upsert(
      'creditListEntry',
      [CreditListType.SERIOUS_DISHONESTY, CreditListType.JOINT_SANCTION].map((listType) => ({
        sourceId: `CL-${serial++}`,
        subjectUscc: x,
        listType,
        reason: 'r',
        authority: 'a',
        listedOn: '2026-03-01',
        removedOn: null,
        updatedAt: '2026-03-01T00:00:00Z',
      })),
    );
    await incremental();
    expect(await deductionsOf(x)).toEqual({ CREDIT_LIST: [rules.factors.CREDIT_LIST.cap, 2] });
  });

  it('grades both the old and the new party of a case that changed party, and logs each change of grade once', async () => {
    const [a, b] = [await operator(), await operator()];
    const cases = [0, 1, 2, 3, 4, 5].map(() => enforcementCase(a, daysBefore(20), { penaltyAmountYuan: 50_000 }));
    await upsert('enforcementCase', cases);
    await incremental();
    expect(await gradeOf(a)).toMatchObject({ score: 760, grade: 'B' });
    expect(await gradeOf(b)).toMatchObject({ score: 1000, grade: 'A' });
    await upsert(
      'enforcementCase',
      cases.map((c) => ({ ...c, partyUscc: b, updatedAt: new Date().toISOString() })),
    );
    const run = await incremental();
    expect(run.written).toBe(2);
    expect(await gradeOf(a)).toMatchObject({ score: 1000, grade: 'A', deductions: [] });
    expect(await gradeOf(b)).toMatchObject({ score: 760, grade: 'B' });
    expect(await changesOf(b)).toEqual([
      { old_grade: null, new_grade: 'A', score: 1000 },
      { old_grade: 'A', new_grade: 'B', score: 760 },
    ]);
    expect(await changesOf(a)).toEqual([
      { old_grade: null, new_grade: 'B', score: 760 },
      { old_grade: 'B', new_grade: 'A', score: 1000 },
    ]);
    // Nothing changed since: a run writes and logs nothing.
    expect(await incremental()).toMatchObject({ written: 0, changes: 0 });
  });

  it('grades a case committed late: a batch that stamped its rows long before it committed is still read', async () => {
    const x = await operator();
    await incremental();
    // As a sync transaction open for an hour would leave it: stamped an hour ago, committed now, after the last run.
    const late = enforcementCase(x, daysBefore(10), { penaltyAmountYuan: 50_000 });
    await upsertRecords(db.pool, RECORD_TABLES.enforcementCase, [late], new Date(Date.now() - 3_600_000));
    await incremental();
    expect(await deductionsOf(x)).toEqual({ CASES: [40, 1] });
  });

  it('a licence is in force through its term whatever a lagging status flag says (as the clue rules count it)', async () => {
    const x = await operator();
    const [only] = (await db.pool.query<{ number: string }>('select number from operator_licence where holder_uscc = $1', [x])).rows;
    await upsert('licence', [
      // Flagged EXPIRED before its term (to 2028) ends: still in force.
      licence(x, only.number, { status: LicenceStatus.EXPIRED, updatedAt: new Date().toISOString() }),
      // Its predecessor, run out: renewed by the one in force, so no points.
      licence(x, `苏交运管许可苏字R${serial++}号`, { status: LicenceStatus.EXPIRED, validFrom: '2018-01-01', validTo: '2023-12-31' }),
    ]);
    await incremental();
    expect(await deductionsOf(x)).toEqual({});
  });

  /**
   * Runs `write` in a transaction held open, stamped an hour ago as a slow sync batch would stamp
   * it, while a grading run goes by; commits it after.
   */
  async function committedLate(write: (client: PoolClient, stampedAt: Date) => Promise<unknown>, meanwhile: () => Promise<void>): Promise<void> {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await write(client, new Date(Date.now() - 3_600_000));
      await meanwhile();
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }

  it('grades a credit list entry committed after a grading run went by, stamped long before', async () => {
    // Synced long ago too: nothing else about it brings it back to the next run.
    const x = await operator('320506', new Date(Date.now() - 7_200_000));
    await incremental();
    const entry = {
      sourceId: `CL-${serial++}`,
      subjectUscc: x,
      listType: CreditListType.SERIOUS_DISHONESTY,
      reason: 'r',
      authority: 'a',
      listedOn: '2026-03-01',
      removedOn: null,
      updatedAt: '2026-03-01T00:00:00Z',
    };
    await committedLate(
      (client, stampedAt) => upsertRecords(client, RECORD_TABLES.creditListEntry, [entry], stampedAt),
      async () => {
        // The run cannot see the open batch: it grades without it, and must not move past it.
        await incremental();
        expect(await deductionsOf(x)).toEqual({});
      },
    );
    await incremental();
    expect(await deductionsOf(x)).toEqual({ CREDIT_LIST: [200, 1] });
  });

  it('grades an enterprise change committed after a grading run went by, stamped long before', async () => {
    const x = await operator('320506');
    await incremental();
    const [row] = (await db.pool.query('select * from enterprise where uscc = $1', [x])).rows;
    const moved = {
      uscc: x,
      name: row.name,
      type: row.type,
      status: row.status,
      legalRepresentative: row.legal_representative,
      registeredCapitalYuan: Number(row.registered_capital_yuan),
      establishedOn: '2015-01-01',
      address: row.address,
      divisionCode: '320507',
      businessScope: row.business_scope,
      updatedAt: new Date().toISOString(),
    };
    await committedLate(
      (client, stampedAt) => upsertRecords(client, RECORD_TABLES.enterprise, [moved], stampedAt),
      async () => {
        await incremental();
        expect(await gradeOf(x)).toMatchObject({ division: '320506' });
      },
    );
    await incremental();
    expect(await gradeOf(x)).toMatchObject({ division: '320507', score: 1000, grade: 'A' });
  });

  it('withdraws the grade of an enterprise whose licences moved to another holder, and grades that holder', async () => {
    const [a, b] = [await operator(), await operator()];
    await upsert('licence', [licence(a, `苏交运管许可苏字R${serial++}号`, { status: LicenceStatus.REVOKED })]);
    await incremental();
    expect(await gradeOf(a)).toMatchObject({ score: 900, deleted_at: null });
    const held = (await db.pool.query<{ number: string }>('select number from operator_licence where holder_uscc = $1', [a])).rows.map((r) => r.number);
    await upsert(
      'licence',
      (await db.pool.query('select * from operator_licence where holder_uscc = $1', [a])).rows.map((l) => ({
        ...licence(b, l.number, { status: l.status }),
        updatedAt: new Date().toISOString(),
      })),
    );
    expect(held).toHaveLength(2);
    await incremental();
    expect((await gradeOf(a))!.deleted_at).not.toBeNull();
    expect((await changesOf(a)).pop()).toEqual({ old_grade: 'A', new_grade: null, score: null });
    expect(await deductionsOf(b)).toEqual({ EXPIRED_LICENCES: [100, 1] });
  });

  it('follows the calendar without a full scan: a case leaving the window and a licence expiring re-grade their enterprise', async () => {
    const x = await operator();
    await upsert('enforcementCase', [enforcementCase(x, daysBefore(360), { penaltyAmountYuan: 50_000 })]);
    // Its only licence runs out in five days, with no renewal.
    const [only] = (await db.pool.query<{ number: string }>('select number from operator_licence where holder_uscc = $1', [x])).rows;
    await upsert('licence', [licence(x, only.number, { validTo: '2026-12-20', updatedAt: new Date().toISOString() })]);
    await incremental();
    expect(await deductionsOf(x)).toEqual({ CASES: [40, 1] });
    const later = new Date(AS_OF.getTime() + 10 * 86_400_000);
    const run = await gradeEnterprises(db.pool, rules, { asOf: later });
    expect(run.full).toBe(false);
    expect(await deductionsOf(x)).toEqual({ EXPIRED_LICENCES: [100, 1] });
    // The same instant, graded in full: nothing left to write.
    expect(await gradeEnterprises(db.pool, rules, { asOf: later, full: true })).toMatchObject({ written: 0, changes: 0, withdrawn: 0 });
  });

  it('keeps a snapshot per month: the first run of a month starts it for every graded enterprise', async () => {
    const january = new Date('2027-01-02T04:00:00Z');
    await gradeEnterprises(db.pool, rules, { asOf: january });
    const months = await db.pool.query<{ month: string; n: number }>(
      `select month::text, count(*)::int as n from enterprise_risk_grade_month group by month order by month`,
    );
    const live = (await grades()).filter((g) => g.deleted_at === null).length;
    expect(months.rows.map((r) => r.month)).toEqual(['2026-12-01', '2027-01-01']);
    expect(months.rows[1].n).toBe(live);
  });
});

describe('incremental grading agrees with a full grading', () => {
  it('after changes all over a world', async () => {
    const asOf = new Date('2027-01-03T04:00:00Z');
    await gradeEnterprises(db.pool, rules, { asOf });
    const now = new Date().toISOString();
    const cases = world.enforcementCases.filter((c) => c.partyUscc).slice(0, 15);
    const holders = [...new Set(world.licences.map((l) => l.holderUscc))];
    // Parties moved, penalties raised, a licence revoked, vehicles sold and deleted, a listing removed, a rating added.
    await upsert(
      'enforcementCase',
      cases.map((c, i) => ({
        ...c,
        partyUscc: holders[(i * 7) % holders.length],
        penaltyAmountYuan: 40_000,
        occurredAt: '2026-12-20T02:00:00Z',
        updatedAt: now,
      })),
    );
    await upsert(
      'licence',
      world.licences.slice(0, 5).map((l) => ({ ...l, status: LicenceStatus.REVOKED, updatedAt: now })),
    );
    await upsert(
      'vehicle',
      world.vehicles
        .filter((v) => v.ownerUscc)
        .slice(0, 10)
        .map((v, i) => ({ ...v, ownerUscc: holders[(i * 3) % holders.length], updatedAt: now })),
    );
    await db.pool.query(
      `update vehicle set deleted_at = now() where (plate_number, plate_color) in (select plate_number, plate_color from vehicle where owner_uscc is not null and deleted_at is null order by plate_number desc limit 5)`,
    );
    await upsert(
      'creditRating',
      holders.slice(0, 8).map((h, i) => ({
        sourceId: `CR-W${i}`,
        subjectUscc: h,
        grade: CreditGrade.D,
        sourceGrade: 'D级',
        score: 10,
        penaltyPoints: 80,
        year: 2026,
        ratingAuthority: 'x',
        updatedAt: now,
      })),
    );
    const incrementalRun = await gradeEnterprises(db.pool, rules, { asOf });
    expect(incrementalRun.full).toBe(false);
    expect(incrementalRun.written).toBeGreaterThan(10);
    const afterIncremental = await grades();
    const changes = (await db.pool.query('select count(*)::int as n from enterprise_risk_grade_change')).rows[0].n;
    const fullRun = await gradeEnterprises(db.pool, rules, { asOf, full: true });
    expect(fullRun).toMatchObject({ full: true, written: 0, changes: 0, withdrawn: 0 });
    expect(await grades()).toEqual(afterIncremental);
    expect((await db.pool.query('select count(*)::int as n from enterprise_risk_grade_change')).rows[0].n).toBe(changes);
  });

  it('a new rule version grades every operator again', async () => {
    const changed = { ...rules, version: 'test-next' } as typeof rules;
    Object.setPrototypeOf(changed, Object.getPrototypeOf(rules));
    const run = await gradeEnterprises(db.pool, changed, { asOf: new Date('2027-01-03T04:00:00Z') });
    expect(run.full).toBe(true);
    expect(new Set((await grades()).filter((g) => !g.deleted_at).map((g) => g.rule_version))).toEqual(new Set(['test-next']));
  });
});
