import type { Pool } from 'pg';
import { CaseStatus, PlateColor, TransportCertificateStatus, TravelDirection } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord, CheckpointRecord, EnforcementCaseRecord, VehicleRecord, WeighingRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { ensureCapturePartitions, insertCaptures } from '../../src/ingest/insert-captures';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { ClueKind } from '../../src/domains/clue';
import { deriveClues, FIRST_CAPTURE_DAY } from '../../src/supervision/clue-derivation';
import { loadClueRules, type ClueRules } from '../../src/supervision/clue-rules';
import { freshDatabaseUrl } from '../support/test-database';
import { blocksRead } from '../support/blocks-read';

const rules: ClueRules = loadClueRules(loadConfig({}).clueRulesFile);
let serial = 1;

function vehicle(plateNumber: string, overrides: Partial<VehicleRecord> = {}): VehicleRecord {
  return {
    plateNumber,
    plateColor: PlateColor.YELLOW,
    vin: `LVIN${plateNumber.length}${serial++}`.padEnd(17, '0'),
    vehicleType: 'H11',
    ownerUscc: null,
    transportCertificateNumber: `320500${serial++}`,
    transportCertificateStatus: TransportCertificateStatus.VALID,
    transportCertificateValidTo: '2029-12-31',
    axleCount: 4,
    ratedTotalMassKg: 31000,
    registrationDivision: '320500',
    transportCertificateDivision: '320505',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

function weighing(plateNumber: string, axleCount: number, massKg: number, measuredAt: string, sourceId = `WT${serial++}`): WeighingRecord {
  return {
    sourceId,
    stationCode: 'ST01',
    stationName: '测试治超站',
    stationDivisionCode: '320506',
    plateNumber,
    plateColor: PlateColor.YELLOW,
    axleCount,
    measuredTotalMassKg: massKg,
    limitKg: 0,
    overloadKg: 0,
    overloadRatio: 0,
    measuredAt,
    updatedAt: measuredAt,
  };
}

function enforcementCase(plateNumber: string, occurredAt: string): EnforcementCaseRecord {
  return {
    caseNumber: `苏E交执〔2026〕9${String(serial++).padStart(4, '0')}号`,
    violationCode: 'T8001',
    violationType: '货运车辆违法超限运输',
    partyUscc: null,
    partyIdNumber: null,
    vehiclePlateNumber: plateNumber,
    vehiclePlateColor: PlateColor.YELLOW,
    occurredAt,
    divisionCode: '320506',
    status: CaseStatus.REGISTERED,
    penaltyAmountYuan: null,
    transferredToPolice: false,
    decidedAt: null,
    transferredAt: null,
    receivingPoliceUnit: null,
    summary: '超限',
    updatedAt: occurredAt,
  };
}

/** `n` captures of a plate, one a day from `firstDay` (YYYY-MM-DD), at 10:00 Beijing time. */
function captures(plateNumber: string, n: number, firstDay: string): CaptureRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.parse(`${firstDay}T10:00:00+08:00`) + i * 86_400_000);
    return {
      serial: 900_000 + serial++,
      checkpointCode: 'KK01',
      plateNumber,
      plateColor: PlateColor.YELLOW,
      capturedAt: at.toISOString(),
      direction: TravelDirection.EASTBOUND,
      lane: 1,
      speedKmh: 60,
      imageRef: `img/${serial}`,
    };
  });
}

function checkpoint(code: string, latitude: number, longitude: number, divisionCode: string, name = `${code}卡口`): CheckpointRecord {
  return { code, name, road: 'G2', direction: TravelDirection.EASTBOUND, latitude, longitude, divisionCode, updatedAt: '2026-01-01T00:00:00Z' };
}

/** Captures of a plate at checkpoints and Beijing times. */
function capturesAt(plateNumber: string, plateColor: string, at: Array<[string, string]>): CaptureRecord[] {
  return at.map(([checkpointCode, time]) => ({
    serial: 900_000 + serial++,
    checkpointCode,
    plateNumber,
    plateColor: plateColor as PlateColor,
    capturedAt: new Date(time).toISOString(),
    direction: TravelDirection.EASTBOUND,
    lane: 1,
    speedKmh: 60,
    imageRef: `img/${serial}`,
  }));
}

/** Captures as a sync batch writes them: in a transaction of their own. */
async function insertInTransaction(pool: Pool, records: CaptureRecord[], syncedAt: Date): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await insertCaptures(client, records, syncedAt);
    await client.query('commit');
  } finally {
    client.release();
  }
}

interface ClueRow {
  id: string;
  kind: string;
  subject_key: string;
  division: string;
  severity: string;
  status: string;
  window_start: string;
  first_seen: Date;
  last_seen: Date;
  evidence_count: number;
  rule_id: string;
  rule_version: string;
  deleted_at: Date | null;
  evidence: string[];
}

async function clues(pool: Pool, live = true): Promise<ClueRow[]> {
  const { rows } = await pool.query<ClueRow>(
    `select c.id, c.kind, c.subject_key, c.division, c.severity, c.status, c.window_start::text, c.first_seen, c.last_seen, c.evidence_count,
       c.rule_id, c.rule_version, c.deleted_at,
       coalesce((select array_agg(e.kind || ':' || e.ref || ':' || coalesce(e.recorded_state, '') order by e.kind, e.ref) from clue_evidence e where e.clue_id = c.id), '{}') as evidence
     from clue c ${live ? 'where c.deleted_at is null' : ''} order by c.id`,
  );
  return rows;
}

describe('clue derivation', () => {
  let url: string;
  let db: Database;
  let at = Date.now();
  /** Each write is stamped later than the last, as successive sync batches are. */
  const write = async <R extends { updatedAt: string }>(table: keyof typeof RECORD_TABLES, records: R[]) => {
    at += 1000;
    await upsertRecords(db.pool, RECORD_TABLES[table] as never, records as never[], new Date(at));
  };
  const capture = async (records: CaptureRecord[]) => {
    at += 1000;
    await ensureCapturePartitions(db.pool, records);
    await insertInTransaction(db.pool, records, new Date(at));
  };
  const cluesOf = async (plate: string, kind: string) => (await clues(db.pool)).filter((c) => c.subject_key === `${plate}/YELLOW` && c.kind === kind);

  beforeAll(async () => {
    url = freshDatabaseUrl('cluederive');
    db = await openDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'error' }), entityModelOf(HUB_DOMAINS));
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(url);
  });

  describe('OVERLOAD', () => {
    it('raises a clue for a weighing over the limit beyond the tolerance, and none within it', async () => {
      await write('vehicle', [vehicle('苏E0V001'), vehicle('苏E0V002')]);
      // A rigid 4-axle truck: 31 t. 6% over is a clue, 4% over is within the 5% tolerance.
      await write('weighing', [weighing('苏E0V001', 4, 32_860, '2026-10-05T02:00:00Z'), weighing('苏E0V002', 4, 32_240, '2026-10-05T03:00:00Z')]);
      await deriveClues(db.pool, rules);
      const [clue] = await cluesOf('苏E0V001', 'OVERLOAD');
      expect(clue).toMatchObject({
        division: '320506',
        severity: 'LOW',
        status: 'OPEN',
        window_start: '2026-10-05',
        rule_id: 'overload-gb1589',
        rule_version: rules.version,
      });
      expect(clue.evidence).toEqual([expect.stringMatching(/^WEIGHING:WT\d+:limit 31000 kg$/)]);
      expect(await cluesOf('苏E0V002', 'OVERLOAD')).toEqual([]);
    });

    it('keeps a clue an officer took up in its division when new evidence comes from another district', async () => {
      await write('vehicle', [vehicle('苏E0V009')]);
      await write('weighing', [weighing('苏E0V009', 4, 33_000, '2026-10-12T02:00:00Z')]);
      await deriveClues(db.pool, rules);
      const [taken] = await cluesOf('苏E0V009', 'OVERLOAD');
      await db.pool.query(`update clue set status = 'ASSIGNED' where id = $1`, [taken.id]);
      // A heavier weighing the same day at another district's station.
      await write('weighing', [{ ...weighing('苏E0V009', 4, 45_000, '2026-10-12T05:00:00Z'), stationCode: 'ST02', stationDivisionCode: '320507' }]);
      await deriveClues(db.pool, rules);
      const [after] = await cluesOf('苏E0V009', 'OVERLOAD');
      expect(after).toMatchObject({ id: taken.id, status: 'ASSIGNED', division: '320506', severity: 'MEDIUM' });
    });

    it('grades severity by the overload ratio', async () => {
      await write('vehicle', [vehicle('苏E0V003')]);
      await write('weighing', [weighing('苏E0V003', 4, 48_000, '2026-10-06T02:00:00Z')]); // 55% over
      await deriveClues(db.pool, rules);
      expect((await cluesOf('苏E0V003', 'OVERLOAD'))[0].severity).toBe('HIGH');
    });

    it('raises none when the vehicle has a case that day; a case another day does not count', async () => {
      await write('vehicle', [vehicle('苏E0V004'), vehicle('苏E0V005')]);
      await write('enforcementCase', [enforcementCase('苏E0V004', '2026-10-07T15:30:00Z'), enforcementCase('苏E0V005', '2026-10-09T01:00:00Z')]);
      // 2026-10-07T15:30Z is 23:30 on the 7th in Beijing: the same day as this weighing.
      await write('weighing', [weighing('苏E0V004', 4, 40_000, '2026-10-07T01:00:00Z'), weighing('苏E0V005', 4, 40_000, '2026-10-07T01:00:00Z')]);
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0V004', 'OVERLOAD')).toEqual([]);
      expect(await cluesOf('苏E0V005', 'OVERLOAD')).toHaveLength(1);
    });

    it('judges a tractor weighed with its trailer, and a vehicle the hub does not know, by the combination limit', async () => {
      await write('vehicle', [vehicle('苏E0V006', { vehicleType: 'Q11', axleCount: 2 })]);
      // 4 axles, 34 t: over the rigid 31 t, within the combination's 36 t.
      await write('weighing', [weighing('苏E0V006', 4, 34_000, '2026-10-08T01:00:00Z'), weighing('苏E0V007', 4, 34_000, '2026-10-08T01:00:00Z')]);
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0V006', 'OVERLOAD')).toEqual([]);
      expect(await cluesOf('苏E0V007', 'OVERLOAD')).toEqual([]);
    });

    it('is idempotent, and new evidence extends the open clue of its window', async () => {
      const before = await clues(db.pool);
      const again = await deriveClues(db.pool, rules, { full: true });
      expect(again.every((run) => run.written === 0 && run.withdrawn === 0)).toBe(true);
      expect(await clues(db.pool)).toEqual(before);

      const [first] = await cluesOf('苏E0V001', 'OVERLOAD');
      await write('weighing', [weighing('苏E0V001', 4, 36_000, '2026-10-05T09:00:00Z')]);
      await deriveClues(db.pool, rules);
      const [extended] = await cluesOf('苏E0V001', 'OVERLOAD');
      expect(extended.id).toBe(first.id);
      expect(extended.evidence_count).toBe(2);
      expect(extended.first_seen).toEqual(first.first_seen);
      expect(extended.last_seen.getTime()).toBeGreaterThan(first.last_seen.getTime());
    });

    it('withdraws an open clue when a case for that vehicle and day arrives', async () => {
      await write('enforcementCase', [enforcementCase('苏E0V003', '2026-10-06T05:00:00Z')]);
      const [run] = await deriveClues(db.pool, rules);
      expect(run.withdrawn).toBe(1);
      expect(await cluesOf('苏E0V003', 'OVERLOAD')).toEqual([]);
    });
  });

  describe('CLONED_PLATE', () => {
    // A and B are about 57 km apart; C is half a kilometre from A.
    const checkpoints = [checkpoint('KKA', 31.3, 120.6, '320505'), checkpoint('KKB', 31.3, 121.2, '320583'), checkpoint('KKC', 31.305, 120.6, '320505')];

    it('raises a clue for one plate at two far checkpoints faster than the threshold, none for a drivable gap or a near pair', async () => {
      await write('checkpoint', checkpoints);
      await capture([
        ...capturesAt('苏E0C001', 'YELLOW', [
          ['KKA', '2026-10-20T10:00:00+08:00'],
          ['KKB', '2026-10-20T10:10:00+08:00'],
        ]),
        ...capturesAt('苏E0C002', 'YELLOW', [
          ['KKA', '2026-10-20T10:00:00+08:00'],
          ['KKB', '2026-10-20T11:00:00+08:00'],
        ]),
        ...capturesAt('苏E0C003', 'YELLOW', [
          ['KKA', '2026-10-20T10:00:00+08:00'],
          ['KKC', '2026-10-20T10:00:01+08:00'],
        ]),
      ]);
      await deriveClues(db.pool, rules);
      const [clue] = await cluesOf('苏E0C001', 'CLONED_PLATE');
      // 57 km in 10 minutes: about 343 km/h, routed to the later checkpoint's division.
      expect(clue).toMatchObject({ window_start: '2026-10-20', division: '320583', severity: 'HIGH', evidence_count: 2, rule_id: 'cloned-plate' });
      expect(clue.evidence.every((e) => /^CAPTURE:\d+:implied 34\d km\/h over 57\.\d km$/.test(e))).toBe(true);
      expect(await cluesOf('苏E0C002', 'CLONED_PLATE')).toEqual([]);
      expect(await cluesOf('苏E0C003', 'CLONED_PLATE')).toEqual([]);
    });

    it('judges a capture committed late between two others of its plate', async () => {
      await capture(
        capturesAt('苏E0C004', 'YELLOW', [
          ['KKA', '2026-10-21T10:00:00+08:00'],
          ['KKA', '2026-10-21T10:30:00+08:00'],
        ]),
      );
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0C004', 'CLONED_PLATE')).toEqual([]);
      await capture(capturesAt('苏E0C004', 'YELLOW', [['KKB', '2026-10-21T10:05:00+08:00']]));
      await deriveClues(db.pool, rules);
      const [clue] = await cluesOf('苏E0C004', 'CLONED_PLATE');
      // A→B in 5 minutes (about 690 km/h) is a clue; B→A in 25 (about 140 km/h) is not.
      expect(clue).toMatchObject({ severity: 'CRITICAL', evidence_count: 2 });
      // The rule's state: the late capture split the plate's pair in two.
      const { rows } = await db.pool.query(`select from_code, to_code from cloned_plate_pair where plate_number = '苏E0C004' order by to_at`);
      expect(rows).toEqual([
        { from_code: 'KKA', to_code: 'KKB' },
        { from_code: 'KKB', to_code: 'KKA' },
      ]);
      const last = await db.pool.query(`select checkpoint_code, captured_at from cloned_plate_last where plate_number = '苏E0C004'`);
      expect(last.rows).toEqual([{ checkpoint_code: 'KKA', captured_at: new Date('2026-10-21T10:30:00+08:00') }]);
    });

    it('keeps no pair of captures further apart than the reach, and judges none', async () => {
      // A then B two and a half hours later, then A again a minute after B: only B→A is a pair (and a clue).
      await capture(
        capturesAt('苏E0C006', 'YELLOW', [
          ['KKA', '2026-10-23T08:00:00+08:00'],
          ['KKB', '2026-10-23T10:30:00+08:00'],
        ]),
      );
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0C006', 'CLONED_PLATE')).toEqual([]);
      await capture(capturesAt('苏E0C006', 'YELLOW', [['KKA', '2026-10-23T10:31:00+08:00']]));
      await deriveClues(db.pool, rules);
      const { rows } = await db.pool.query(`select from_code, to_code from cloned_plate_pair where plate_number = '苏E0C006' order by to_at`);
      expect(rows).toEqual([{ from_code: 'KKB', to_code: 'KKA' }]);
      expect((await cluesOf('苏E0C006', 'CLONED_PLATE'))[0]).toMatchObject({ evidence_count: 2, severity: 'CRITICAL' });
    });

    it('derives from a capture whose transaction commits after a later one committed and a run went by', async () => {
      const early = capturesAt('苏E0C005', 'YELLOW', [['KKB', '2026-10-22T10:05:00+08:00']]);
      const later = capturesAt('苏E0C005', 'YELLOW', [['KKA', '2026-10-22T10:00:00+08:00']]);
      await ensureCapturePartitions(db.pool, [...early, ...later]);
      // A batch that stamped its captures long ago and stays open: its rows are not yet visible.
      const slow = await db.pool.connect();
      try {
        await slow.query('begin');
        await insertCaptures(slow, early, new Date(at - 3_600_000));
        await capture(later);
        await deriveClues(db.pool, rules);
        expect(await cluesOf('苏E0C005', 'CLONED_PLATE')).toEqual([]);
        await slow.query('commit');
      } finally {
        slow.release();
      }
      const runs = await deriveClues(db.pool, rules);
      expect(runs.find((r) => r.kind === ClueKind.CLONED_PLATE)).toMatchObject({ written: 1 });
      const [clue] = await cluesOf('苏E0C005', 'CLONED_PLATE');
      expect(clue).toMatchObject({ severity: 'CRITICAL', evidence_count: 2 });
      // Derived once: the next run finds nothing new, and a full run the same clue.
      expect((await deriveClues(db.pool, rules)).every((r) => r.keys === 0 || r.written === 0)).toBe(true);
      await deriveClues(db.pool, rules, { full: true });
      expect(await cluesOf('苏E0C005', 'CLONED_PLATE')).toEqual([clue]);
      expect((await clues(db.pool, false)).filter((c) => c.subject_key === '苏E0C005/YELLOW')).toHaveLength(1);
    });
  });

  describe('ILLEGAL_OPERATION', () => {
    const hub = checkpoint('KKH', 31.33, 120.61, '320508', '苏州火车站北广场卡口（由南向北）');
    const days = (n: number, perDay: number) =>
      Array.from({ length: n * perDay }, (_, i): [string, string] => [
        'KKH',
        `2026-10-${String(1 + Math.floor(i / perDay)).padStart(2, '0')}T${String(8 + (i % perDay)).padStart(2, '0')}:00:00+08:00`,
      ]);

    it('raises a clue for an uncertified passenger car working a station on many days, none below the thresholds or for a certified vehicle', async () => {
      await write('checkpoint', [hub]);
      await write('vehicle', [vehicle('苏E0I004', { plateColor: PlateColor.BLUE })]);
      await capture([
        ...capturesAt('苏E0I001', 'BLUE', days(8, 2)),
        ...capturesAt('苏E0I002', 'BLUE', days(7, 2)),
        ...capturesAt('苏E0I003', 'YELLOW', days(8, 2)),
        ...capturesAt('苏E0I004', 'BLUE', days(8, 2)),
      ]);
      await deriveClues(db.pool, rules);
      const [clue] = (await clues(db.pool)).filter((c) => c.subject_key === '苏E0I001/BLUE' && c.kind === 'ILLEGAL_OPERATION');
      expect(clue).toMatchObject({ window_start: '2026-10-01', division: '320508', severity: 'MEDIUM', evidence_count: 16 });
      const others = (await clues(db.pool)).filter((c) => c.kind === 'ILLEGAL_OPERATION' && c.subject_key !== '苏E0I001/BLUE');
      expect(others).toEqual([]);
    });
  });

  describe('UNTRANSFERRED_CRIMINAL', () => {
    const criminal = (caseNumber: string, changes: Partial<EnforcementCaseRecord>): EnforcementCaseRecord => ({
      ...enforcementCase('苏E0U001', '2026-10-02T02:00:00Z'),
      caseNumber,
      violationCode: 'T4002',
      partyUscc: '91320505MA1UUUUU01',
      divisionCode: '320507',
      ...changes,
    });

    it('raises a clue for a catalogued case not transferred in time; none when transferred, too recent, under the penalty threshold or not catalogued', async () => {
      const recent = new Date(Date.now() - 86_400_000).toISOString();
      await write('enforcementCase', [
        criminal('苏E交执〔2026〕U001号', {}),
        criminal('苏E交执〔2026〕U002号', { partyUscc: '91320505MA1UUUUU02', transferredToPolice: true }),
        criminal('苏E交执〔2026〕U003号', { partyUscc: '91320505MA1UUUUU03', occurredAt: recent }),
        criminal('苏E交执〔2026〕U004号', { partyUscc: '91320505MA1UUUUU04', violationCode: 'T2001', penaltyAmountYuan: 20_000 }),
        criminal('苏E交执〔2026〕U005号', { partyUscc: '91320505MA1UUUUU05', violationCode: 'T8001' }),
      ]);
      await deriveClues(db.pool, rules);
      const found = (await clues(db.pool)).filter((c) => c.kind === 'UNTRANSFERRED_CRIMINAL');
      expect(found).toHaveLength(1);
      // Two months overdue: past the 30-day band.
      expect(found[0]).toMatchObject({ subject_key: '91320505MA1UUUUU01', division: '320507', severity: 'CRITICAL', window_start: '2026-10-01' });
      expect(found[0].evidence).toEqual(['CASE:苏E交执〔2026〕U001号:T4002 not transferred 3 days after']);
    });

    it('withdraws the open clue when the case is transferred', async () => {
      await write('enforcementCase', [criminal('苏E交执〔2026〕U001号', { transferredToPolice: true, updatedAt: '2026-11-01T00:00:00Z' })]);
      await deriveClues(db.pool, rules);
      expect((await clues(db.pool)).filter((c) => c.kind === 'UNTRANSFERRED_CRIMINAL')).toEqual([]);
    });

    it("makes a person's case its own subject: no clue column or evidence carries the person's ID number", async () => {
      const idNumber = '320505198001011234';
      await write('enforcementCase', [
        criminal('苏E交执〔2026〕U006号', { partyUscc: null, partyIdNumber: idNumber, vehiclePlateNumber: null, vehiclePlateColor: null }),
      ]);
      await deriveClues(db.pool, rules);
      const [clue] = (await clues(db.pool)).filter((c) => c.kind === 'UNTRANSFERRED_CRIMINAL' && c.subject_key === '苏E交执〔2026〕U006号');
      expect(clue).toBeDefined();
      const { rows } = await db.pool.query<{ row: string }>(
        `select row_to_json(c)::text as row from clue c union all select row_to_json(e)::text from clue_evidence e`,
      );
      expect(rows.filter((r) => r.row.includes(idNumber))).toEqual([]);
    });
  });

  describe('EXPIRED_OR_REVOKED_BUT_ACTIVE', () => {
    const minCaptures = rules.enabled('EXPIRED_OR_REVOKED_BUT_ACTIVE' as never)!;

    it('raises a clue for a revoked vehicle captured minCaptures times in the month, and none for one fewer', async () => {
      const n = (minCaptures as { minCaptures: number }).minCaptures;
      await write('vehicle', [
        vehicle('苏E0R001', { transportCertificateStatus: TransportCertificateStatus.REVOKED }),
        vehicle('苏E0R002', { transportCertificateStatus: TransportCertificateStatus.REVOKED }),
      ]);
      await capture([...captures('苏E0R001', n, '2026-10-01'), ...captures('苏E0R002', n - 1, '2026-10-01')]);
      await deriveClues(db.pool, rules);
      const [clue] = await cluesOf('苏E0R001', 'EXPIRED_OR_REVOKED_BUT_ACTIVE');
      expect(clue).toMatchObject({ window_start: '2026-10-01', division: '320505', severity: 'MEDIUM', evidence_count: n + 1 });
      expect(clue.evidence.filter((e) => e.startsWith('CAPTURE:'))).toHaveLength(n);
      expect(clue.evidence).toContainEqual(expect.stringMatching(/^CERTIFICATE:\d+:REVOKED until 2029-12-31$/));
      expect(await cluesOf('苏E0R002', 'EXPIRED_OR_REVOKED_BUT_ACTIVE')).toEqual([]);
    });

    it('counts only captures after an expiry date, and none for a valid certificate', async () => {
      await write('vehicle', [
        vehicle('苏E0R003', { transportCertificateValidTo: '2026-10-20' }),
        vehicle('苏E0R004', { transportCertificateStatus: TransportCertificateStatus.EXPIRED, transportCertificateValidTo: '2026-10-10' }),
      ]);
      // Ten captures each: R003's from the 13th, its certificate valid to the 20th (2 after it: no clue); R004's from the 15th, expired on the 10th (all 10).
      await capture([...captures('苏E0R003', 10, '2026-10-13'), ...captures('苏E0R004', 10, '2026-10-15')]);
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0R003', 'EXPIRED_OR_REVOKED_BUT_ACTIVE')).toEqual([]);
      const [clue] = await cluesOf('苏E0R004', 'EXPIRED_OR_REVOKED_BUT_ACTIVE');
      expect(clue.evidence.filter((e) => e.startsWith('CAPTURE:'))).toHaveLength(10);
    });

    it('counts captures while the operator holds no licence in force', async () => {
      await write('licence', [
        {
          number: '苏交运管许可苏字320505999001号',
          holderUscc: '91320505MA1XXXXX01',
          scopes: ['FREIGHT_GENERAL'],
          issuingAuthority: '苏州市交通运输局',
          validFrom: '2020-01-01',
          validTo: '2030-12-31',
          status: 'SUSPENDED',
          updatedAt: '2026-09-01T00:00:00Z',
        } as never,
      ]);
      await write('vehicle', [vehicle('苏E0R005', { ownerUscc: '91320505MA1XXXXX01' })]);
      await capture(captures('苏E0R005', 6, '2026-11-02'));
      await deriveClues(db.pool, rules);
      const [clue] = await cluesOf('苏E0R005', 'EXPIRED_OR_REVOKED_BUT_ACTIVE');
      expect(clue.window_start).toBe('2026-11-01');
      expect(clue.evidence).toContainEqual('LICENCE:苏交运管许可苏字320505999001号:SUSPENDED until 2030-12-31');
    });

    it('derives a revocation whose batch committed after a later batch and a run, stamped long before', async () => {
      const n = (minCaptures as { minCaptures: number }).minCaptures;
      await write('vehicle', [vehicle('苏E0R006')]);
      await capture(captures('苏E0R006', n, '2026-09-01'));
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0R006', 'EXPIRED_OR_REVOKED_BUT_ACTIVE')).toEqual([]);
      const slow = await db.pool.connect();
      try {
        await slow.query('begin');
        // An update of a row the rules read: its writer is recorded by the trigger, not the default.
        await upsertRecords(
          slow,
          RECORD_TABLES.vehicle,
          [vehicle('苏E0R006', { transportCertificateStatus: TransportCertificateStatus.REVOKED, updatedAt: '2026-12-02T00:00:00Z' })],
          new Date(at - 3_600_000),
        );
        await write('weighing', [weighing('苏E0R007', 2, 10_000, '2026-09-03T02:00:00Z')]);
        await deriveClues(db.pool, rules);
        await slow.query('commit');
      } finally {
        slow.release();
      }
      await deriveClues(db.pool, rules);
      const [clue] = await cluesOf('苏E0R006', 'EXPIRED_OR_REVOKED_BUT_ACTIVE');
      expect(clue).toMatchObject({ window_start: '2026-09-01', evidence_count: n + 1 });
    });

    it('withdraws the open clue when the certificate is found valid again', async () => {
      await write('vehicle', [vehicle('苏E0R001', { updatedAt: '2026-12-01T00:00:00Z' })]);
      await deriveClues(db.pool, rules);
      expect(await cluesOf('苏E0R001', 'EXPIRED_OR_REVOKED_BUT_ACTIVE')).toEqual([]);
    });
  });
});

async function clonedPlateState(pool: Pool): Promise<{ last: unknown[]; pairs: unknown[] }> {
  const last = await pool.query('select * from cloned_plate_last order by plate_number, plate_color');
  const pairs = await pool.query('select * from cloned_plate_pair order by plate_number, plate_color, to_at, to_serial');
  return { last: last.rows, pairs: pairs.rows };
}

/** A database of its own for the describe block it is called in: opened before its tests, dropped after them. */
function ownDatabase(label: string): () => Database {
  let url: string;
  let db: Database;
  beforeAll(async () => {
    url = freshDatabaseUrl(label);
    db = await openDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'error' }), entityModelOf(HUB_DOMAINS));
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(url);
  });
  return () => db;
}

describe("the first capture's day (expired or revoked licences)", () => {
  const database = ownDatabase('cluefirst');

  it("finds the first capture's day in a few blocks of the rollup, not a read of every capture", async () => {
    await loadWorld(database().pool, generateWorld({ seed: 11, size: 0.02 }));
    const { rows } = await database().pool.query<{ fast: string; slow: string }>(
      `select ${FIRST_CAPTURE_DAY}::text as fast, (select min(captured_at at time zone 'Asia/Shanghai')::date from checkpoint_capture)::text as slow`,
    );
    expect(rows[0].fast).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(rows[0].fast).toBe(rows[0].slow);
    expect(await blocksRead(database().pool, `select ${FIRST_CAPTURE_DAY}`)).toBeLessThanOrEqual(8);
  });
});

describe('incremental and full derivation agree on a generated world', () => {
  const database = ownDatabase('cluefull');

  it('gives the same clues whether derived batch by batch or all at once', async () => {
    const world = generateWorld({ seed: 11, size: 0.02 });
    // The world's records and half of its days of captures, then the rest day by day with a run after each few.
    const days = [...world.captures()];
    const half = Math.floor(days.length / 2);
    const firstHalf = new Set(
      days
        .slice(0, half)
        .flat()
        .map((c) => c.serial),
    );
    await loadWorld(database().pool, world, { captureFilter: (c) => firstHalf.has(c.serial) });
    await deriveClues(database().pool, rules);
    let at = Date.now();
    // Every seventh capture comes late, after the days that follow it: out of order for its plate.
    const late: CaptureRecord[] = [];
    for (let d = half; d < days.length; d += 5) {
      const batch = days.slice(d, d + 5).flat();
      late.push(...batch.filter((_, i) => i % 7 === 3));
      const onTime = batch.filter((_, i) => i % 7 !== 3);
      at += 1000;
      await ensureCapturePartitions(database().pool, onTime);
      await insertInTransaction(database().pool, onTime, new Date(at));
      await deriveClues(database().pool, rules);
    }
    await ensureCapturePartitions(database().pool, late);
    await insertInTransaction(database().pool, late, new Date((at += 1000)));
    await deriveClues(database().pool, rules);
    // Later changes: certificates revoked, a case for an overloaded vehicle's day.
    const revoked = world.vehicles.filter((v) => v.transportCertificateStatus === TransportCertificateStatus.VALID).slice(0, 40);
    await upsertRecords(
      database().pool,
      RECORD_TABLES.vehicle,
      revoked.map((v) => ({ ...v, transportCertificateStatus: TransportCertificateStatus.REVOKED, updatedAt: '2027-01-01T00:00:00Z' })),
      new Date((at += 1000)),
    );
    const overloaded = (await clues(database().pool)).find((c) => c.kind === 'OVERLOAD')!;
    await upsertRecords(
      database().pool,
      RECORD_TABLES.enforcementCase,
      [enforcementCase(overloaded.subject_key.split('/')[0], overloaded.first_seen.toISOString())].map((c) => ({
        ...c,
        vehiclePlateColor: overloaded.subject_key.split('/')[1] as PlateColor,
      })),
      new Date((at += 1000)),
    );
    await deriveClues(database().pool, rules);
    const incremental = await clues(database().pool);
    const incrementalState = await clonedPlateState(database().pool);

    await database().pool.query('delete from clue_evidence; delete from clue; delete from clue_derivation_cursor');
    await deriveClues(database().pool, rules, { full: true });
    const full = await clues(database().pool);
    // The CLONED_PLATE rule's state, kept in tables run after run, is what a full run builds from the captures.
    const fullState = await clonedPlateState(database().pool);
    expect(fullState.pairs.length).toBeGreaterThan(100);
    expect(incrementalState).toEqual(fullState);

    const kinds = new Set(full.map((c) => c.kind));
    // The generated world plants every pattern: clues of every kind.
    expect(kinds).toEqual(new Set(Object.values(ClueKind)));
    expect(full.length).toBeGreaterThan(20);
    expect(full.some((c) => c.id === overloaded.id)).toBe(false);
    expect(incremental).toEqual(full);
  });
});
