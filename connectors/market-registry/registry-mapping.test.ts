import {
  fromRegistryTime,
  STATUS_WORD_OF,
  STATUS_WORDS,
  toRegistryAbnormal,
  toRegistryEnterprise,
  toRegistryTime,
  type RegistryAbnormal,
  type RegistryEnterprise,
} from './registry-format';
import { mapRegistryAbnormal, mapRegistryEnterprise } from './registry-mapping';
import { EnterpriseStatus } from '../contract/canonical/codes';
import type { AbnormalOperationRecord, EnterpriseRecord } from '../contract/canonical/records';
import { USCC_ALPHABET, validateUscc } from '../contract/identifiers';
import { expectedOf, quarantineOf, readFixture, recordOf, recordsOf, withCheck } from '../contract/testing/mapping';

/** What the registry simulator served, recorded (fixtures/*.json): some records intact, some malformed. */
const enterprises = readFixture<RegistryEnterprise>(__dirname, 'enterprises');
const abnormalOperations = readFixture<RegistryAbnormal>(__dirname, 'abnormalOperations');

/** A valid credit code built here from the GB 32100 algorithm (an Industrial Park company, division 320594). */
const VALID_USCC = withCheck('91320594MA1P2QK7X');
/** The same code with a wrong (but well-formed) check character. */
const BAD_CHECK_USCC = `${VALID_USCC.slice(0, 17)}${USCC_ALPHABET[(USCC_ALPHABET.indexOf(VALID_USCC[17]) + 5) % 31]}`;

const enterprise = (overrides: Partial<Record<keyof RegistryEnterprise, unknown>> = {}): RegistryEnterprise =>
  ({
    tyshxydm: VALID_USCC,
    qymc: '苏州园区顺达物流有限公司',
    qylx: '有限责任公司',
    djzt: '存续',
    fddbr: '王建国',
    zczb: '123.4567',
    clrq: '2016-02-29',
    zs: '江苏省苏州市苏州工业园区星湖街328号',
    xzqh: '320594',
    jyfw: '道路普通货物运输',
    gxsj: '2026-03-15 10:20:30',
    ...overrides,
  }) as RegistryEnterprise;

const abnormal = (overrides: Partial<Record<keyof RegistryAbnormal, unknown>> = {}): RegistryAbnormal =>
  ({
    id: 'JYYC-2025-000789',
    tyshxydm: VALID_USCC,
    lryy: '通过登记的住所或者经营场所无法联系',
    zcjg: '苏州工业园区市场监督管理局',
    lrrq: '2025-03-25',
    ycrq: null,
    gxsj: '2026-03-15 10:20:30',
    ...overrides,
  }) as RegistryAbnormal;

describe('the test vectors', () => {
  it('are what they claim: a valid code, and one that fails only its checksum', () => {
    expect(validateUscc(VALID_USCC)).toEqual({ ok: true, value: VALID_USCC, warnings: expect.any(Array) });
    expect(BAD_CHECK_USCC).not.toBe(VALID_USCC);
    expect(validateUscc(BAD_CHECK_USCC)).toEqual({ ok: false, reason: `check character should be ${VALID_USCC[17]}` });
  });

  it('include recorded enterprises of several statuses, listings still in force and removed, and malformed records', () => {
    expect(new Set(recordsOf<EnterpriseRecord>(enterprises).map((e) => e.status)).size).toBeGreaterThanOrEqual(2);
    expect(recordsOf<AbnormalOperationRecord>(abnormalOperations).some((a) => a.removedOn === null)).toBe(true);
    expect(recordsOf<AbnormalOperationRecord>(abnormalOperations).some((a) => a.removedOn !== null)).toBe(true);
    for (const fixture of [enterprises, abnormalOperations]) expect(fixture.cases.some(({ mapped }) => 'quarantine' in mapped)).toBe(true);
  });
});

describe('STATUS_WORDS', () => {
  it("maps the registry's status words onto the canonical statuses, 在业 and 存续 alike", () => {
    expect(STATUS_WORDS).toEqual({
      存续: EnterpriseStatus.IN_BUSINESS,
      在业: EnterpriseStatus.IN_BUSINESS,
      吊销: EnterpriseStatus.REVOKED,
      注销: EnterpriseStatus.CANCELLED,
      迁出: EnterpriseStatus.MOVED_OUT,
    });
  });

  it('has a word for every canonical status, and STATUS_WORD_OF reads back through it', () => {
    for (const status of Object.values(EnterpriseStatus)) expect(STATUS_WORDS[STATUS_WORD_OF[status]]).toBe(status);
  });
});

describe('toRegistryTime', () => {
  it.each([
    ['2024-06-20T09:58:33+08:00', '2024-06-20 09:58:33'],
    ['2024-06-20T00:30:00+08:00', '2024-06-20 00:30:00'],
    // Midnight UTC crossings: the registry keeps Beijing wall time, 8 hours ahead.
    ['2024-06-19T16:30:00Z', '2024-06-20 00:30:00'],
    ['2024-06-19T15:59:59Z', '2024-06-19 23:59:59'],
    ['2024-06-20T23:00:00Z', '2024-06-21 07:00:00'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01 00:00:00'],
    ['2024-02-28T16:00:00Z', '2024-02-29 00:00:00'],
  ])('%s → %s', (iso, registry) => {
    expect(toRegistryTime(iso)).toBe(registry);
  });
});

describe('fromRegistryTime', () => {
  it.each([
    ['2024-06-20 09:58:33', '2024-06-20T09:58:33+08:00', Date.UTC(2024, 5, 20, 1, 58, 33)],
    // Beijing early morning is the previous day in UTC.
    ['2024-06-20 00:30:00', '2024-06-20T00:30:00+08:00', Date.UTC(2024, 5, 19, 16, 30, 0)],
    ['2024-06-20 07:59:59', '2024-06-20T07:59:59+08:00', Date.UTC(2024, 5, 19, 23, 59, 59)],
    ['2024-06-20 08:00:00', '2024-06-20T08:00:00+08:00', Date.UTC(2024, 5, 20, 0, 0, 0)],
    ['2026-01-01 00:00:00', '2026-01-01T00:00:00+08:00', Date.UTC(2025, 11, 31, 16, 0, 0)],
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59+08:00', Date.UTC(2024, 1, 29, 15, 59, 59)],
  ])('%s (Beijing) → %s', (registry, iso, epochMs) => {
    expect(fromRegistryTime(registry)).toBe(iso);
    expect(Date.parse(fromRegistryTime(registry)!)).toBe(epochMs);
    expect(toRegistryTime(fromRegistryTime(registry)!)).toBe(registry);
  });

  it.each([
    '2026-02-30 10:00:00',
    '2025-02-29 10:00:00',
    '2025-04-31 10:00:00',
    '2025-13-01 00:00:00',
    '2025-00-10 00:00:00',
    '2024-06-20 24:00:00',
    '2024-06-20 23:60:00',
    '2024-06-20 23:59:60',
    '2024-06-20T09:58:33',
    '2024-06-20T09:58:33+08:00',
    '2024-06-20 09:58',
    '2024-06-20 09:58:33.000',
    '2024-06-20  09:58:33',
    ' 2024-06-20 09:58:33',
    '2024-06-20',
    '2024/06/20 09:58:33',
    '',
  ])('%p is not a registry time', (text) => {
    expect(fromRegistryTime(text)).toBeNull();
  });
});

describe('mapRegistryEnterprise', () => {
  it('maps every recorded enterprise back to exactly the canonical record it was served from, and quarantines the malformed', () => {
    expect(enterprises.cases.length).toBeGreaterThan(0);
    for (const recorded of enterprises.cases) expect(mapRegistryEnterprise(recorded.served)).toStrictEqual(expectedOf(recorded));
  });

  it("round-trips a recorded enterprise through the registry's own form", () => {
    for (const e of recordsOf<EnterpriseRecord>(enterprises)) expect(mapRegistryEnterprise(toRegistryEnterprise(e))).toStrictEqual({ record: e });
  });

  it('maps a hand-made enterprise field by field, capital from 万元 to yuan', () => {
    expect(mapRegistryEnterprise(enterprise())).toStrictEqual({
      record: {
        uscc: VALID_USCC,
        name: '苏州园区顺达物流有限公司',
        type: '有限责任公司',
        status: EnterpriseStatus.IN_BUSINESS,
        legalRepresentative: '王建国',
        registeredCapitalYuan: 1_234_567,
        establishedOn: '2016-02-29',
        address: '江苏省苏州市苏州工业园区星湖街328号',
        divisionCode: '320594',
        businessScope: '道路普通货物运输',
        updatedAt: '2026-03-15T10:20:30+08:00',
      },
    });
  });

  it.each([
    ['123.4567', 1_234_567],
    ['0.0001', 1],
    // Values whose product with 10,000 is not exact in binary floating point.
    ['0.0003', 3],
    ['100.0028', 1_000_028],
    ['100.0049', 1_000_049],
    ['50', 500_000],
    ['5000.5', 50_005_000],
    ['0', 0],
    ['100000', 1_000_000_000],
  ])('reads a registered capital of %s 万元 as %d yuan', (zczb, yuan) => {
    expect(recordOf(mapRegistryEnterprise(enterprise({ zczb }))).registeredCapitalYuan).toBe(yuan);
  });

  it.each(['-1', '-0.0001', 'abc', '12万', '1,000', 'Infinity', 'NaN', '', '   ', '0x10', '1e3'])(
    'quarantines a registered capital of %p, which is not an amount',
    (zczb) => {
      expect(quarantineOf(mapRegistryEnterprise(enterprise({ zczb }))).reasons).toEqual([`zczb: "${zczb}" is not an amount`]);
    },
  );

  it('quarantines a missing registered capital rather than reading it as 0', () => {
    expect(quarantineOf(mapRegistryEnterprise(enterprise({ zczb: null }))).reasons).toEqual(['zczb: "null" is not an amount']);
  });

  it.each([
    ['存续', EnterpriseStatus.IN_BUSINESS],
    ['在业', EnterpriseStatus.IN_BUSINESS],
    ['吊销', EnterpriseStatus.REVOKED],
    ['注销', EnterpriseStatus.CANCELLED],
    ['迁出', EnterpriseStatus.MOVED_OUT],
  ])('reads the status word %s as %s', (word, status) => {
    expect(recordOf(mapRegistryEnterprise(enterprise({ djzt: word }))).status).toBe(status);
  });

  it.each(['歇业', '停业', '撤销', '存续（在营、开业、在册）', 'IN_BUSINESS', '', 'toString', 'constructor', '__proto__'])(
    'quarantines the unknown status word %p',
    (word) => {
      expect(quarantineOf(mapRegistryEnterprise(enterprise({ djzt: word }))).reasons).toEqual([`djzt: unknown status "${word}"`]);
    },
  );

  it('normalises the credit code (full-width, lower case, spaces) to its canonical form', () => {
    const fullWidth = [...`　${VALID_USCC.toLowerCase()} `]
      .map((ch) => (/[0-9a-z]/.test(ch) ? String.fromCodePoint(ch.codePointAt(0)! + 0xfee0) : ch))
      .join('');
    expect(recordOf(mapRegistryEnterprise(enterprise({ tyshxydm: fullWidth }))).uscc).toBe(VALID_USCC);
  });

  it('accepts a well-formed code whose checksum fails (early pilot codes), unchanged', () => {
    expect(recordOf(mapRegistryEnterprise(enterprise({ tyshxydm: BAD_CHECK_USCC }))).uscc).toBe(BAD_CHECK_USCC);
  });

  it.each([
    ['too short', VALID_USCC.slice(1), 'tyshxydm: must be 18 characters (got 17)'],
    ['with an S', `S${VALID_USCC.slice(1)}`, "tyshxydm: character 1 is 'S': I, O, S, V and Z never appear in a credit code"],
    [
      'with a letter outside the alphabet',
      `${VALID_USCC.slice(0, 10)}ö${VALID_USCC.slice(11)}`,
      "tyshxydm: character 11 'Ö' is not a digit or an allowed upper-case letter",
    ],
    ['with a letter in the division', withCheck(`9132059A${VALID_USCC.slice(8, 17)}`), 'tyshxydm: characters 3–8 (the administrative division) must be digits'],
    ['not a string', 913205940, 'tyshxydm: missing'],
  ])('quarantines an enterprise whose credit code is %s, even with checksum failures allowed', (_label, tyshxydm, reason) => {
    const row = enterprise({ tyshxydm });
    expect(mapRegistryEnterprise(row)).toStrictEqual({ quarantine: { sourceId: String(tyshxydm), raw: row, reasons: [reason] } });
  });

  it('quarantines under the normalised credit code, the key its valid version lands under', () => {
    const row = enterprise({ tyshxydm: VALID_USCC.toLowerCase(), djzt: '歇业中' });
    expect(mapRegistryEnterprise(row)).toMatchObject({ quarantine: { sourceId: VALID_USCC } });
  });

  it('quarantines an enterprise without a credit code under a null source id', () => {
    const row = enterprise({ tyshxydm: undefined });
    expect(mapRegistryEnterprise(row)).toStrictEqual({ quarantine: { sourceId: null, raw: row, reasons: ['tyshxydm: missing'] } });
  });

  it.each(['2026-02-30', '2025-02-29', '2025-04-31', '2025-13-01', '2025-00-01', '2025-01-00', '20250301', '2025-3-1', '2025-03-01T00:00:00', ''])(
    'quarantines the establishment date %p',
    (clrq) => {
      expect(quarantineOf(mapRegistryEnterprise(enterprise({ clrq }))).reasons).toEqual([`clrq: "${clrq}" is not a date`]);
    },
  );

  it('accepts leap days', () => {
    expect(recordOf(mapRegistryEnterprise(enterprise({ clrq: '2000-02-29' }))).establishedOn).toBe('2000-02-29');
  });

  it.each([
    ['320505', '320505'],
    ['３２０５０５', '320505'],
    [' 320583 ', '320583'],
    // Retired codes (沧浪区) are kept: the warning does not quarantine.
    ['320502', '320502'],
  ])('keeps the division %p as %p', (xzqh, code) => {
    expect(recordOf(mapRegistryEnterprise(enterprise({ xzqh }))).divisionCode).toBe(code);
  });

  it.each([
    ['3205', 'must be 6 digits'],
    ['3205051', 'must be 6 digits'],
    ['', 'must be 6 digits'],
    ['660101', 'prefix 66 is not a province'],
  ])('quarantines the division %p', (xzqh, reason) => {
    expect(quarantineOf(mapRegistryEnterprise(enterprise({ xzqh }))).reasons).toEqual([`xzqh: ${reason}`]);
  });

  it('quarantines a missing division', () => {
    expect(quarantineOf(mapRegistryEnterprise(enterprise({ xzqh: undefined }))).reasons).toEqual(['xzqh: must be 6 digits']);
  });

  it('reads the change time as Beijing time, across midnight UTC', () => {
    const record = recordOf(mapRegistryEnterprise(enterprise({ gxsj: '2026-01-01 00:15:00' })));
    expect(record.updatedAt).toBe('2026-01-01T00:15:00+08:00');
    expect(Date.parse(record.updatedAt)).toBe(Date.UTC(2025, 11, 31, 16, 15, 0));
  });

  it.each(['2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-03-15T10:20:30+08:00', '2026-03-15', '2026-03-15 24:00:00', ''])(
    'quarantines the change time %p',
    (gxsj) => {
      expect(quarantineOf(mapRegistryEnterprise(enterprise({ gxsj }))).reasons).toEqual([`gxsj: "${gxsj}" is not a registry time`]);
    },
  );

  it('quarantines with every reason, not just the first, and the raw credit code as the source id', () => {
    const row = enterprise({
      tyshxydm: 'O1320594MA1P2QK7XX',
      djzt: '歇业',
      zczb: 'abc',
      clrq: '2026-02-30',
      xzqh: '660101',
      gxsj: '2026-13-01 00:00:00',
    });
    expect(mapRegistryEnterprise(row)).toStrictEqual({
      quarantine: {
        sourceId: 'O1320594MA1P2QK7XX',
        raw: row,
        reasons: [
          "tyshxydm: character 1 is 'O': I, O, S, V and Z never appear in a credit code",
          'djzt: unknown status "歇业"',
          'zczb: "abc" is not an amount',
          'clrq: "2026-02-30" is not a date',
          'xzqh: prefix 66 is not a province',
          'gxsj: "2026-13-01 00:00:00" is not a registry time',
        ],
      },
    });
    expect(quarantineOf(mapRegistryEnterprise(row)).raw).toBe(row);
  });
});

describe('mapRegistryAbnormal', () => {
  it('maps every recorded listing back to exactly the canonical record it was served from, and quarantines the malformed', () => {
    expect(abnormalOperations.cases.length).toBeGreaterThan(0);
    for (const recorded of abnormalOperations.cases) expect(mapRegistryAbnormal(recorded.served)).toStrictEqual(expectedOf(recorded));
  });

  it('round-trips a removed listing (with a removal date)', () => {
    const removed: AbnormalOperationRecord = { ...recordsOf<AbnormalOperationRecord>(abnormalOperations)[0], listedOn: '2024-02-29', removedOn: '2025-12-31' };
    expect(mapRegistryAbnormal(toRegistryAbnormal(removed))).toStrictEqual({ record: removed });
  });

  it('maps a hand-made listing field by field', () => {
    expect(mapRegistryAbnormal(abnormal({ ycrq: '2026-01-05', gxsj: '2026-01-05 07:30:00' }))).toStrictEqual({
      record: {
        sourceId: 'JYYC-2025-000789',
        uscc: VALID_USCC,
        reason: '通过登记的住所或者经营场所无法联系',
        authority: '苏州工业园区市场监督管理局',
        listedOn: '2025-03-25',
        removedOn: '2026-01-05',
        updatedAt: '2026-01-05T07:30:00+08:00',
      },
    });
  });

  it('accepts a code that fails only its checksum, and quarantines a malformed one', () => {
    expect(recordOf(mapRegistryAbnormal(abnormal({ tyshxydm: BAD_CHECK_USCC }))).uscc).toBe(BAD_CHECK_USCC);
    expect(quarantineOf(mapRegistryAbnormal(abnormal({ tyshxydm: `${VALID_USCC}1` }))).reasons).toEqual(['tyshxydm: must be 18 characters (got 19)']);
  });

  it.each(['2026-02-30', '2025-13-01', '20250325', '2025-02-29', ''])('quarantines the listing date %p', (lrrq) => {
    expect(quarantineOf(mapRegistryAbnormal(abnormal({ lrrq }))).reasons).toEqual([`lrrq: "${lrrq}" is not a date`]);
  });

  it('quarantines a missing listing date', () => {
    expect(quarantineOf(mapRegistryAbnormal(abnormal({ lrrq: null }))).reasons).toEqual(['lrrq: "null" is not a date']);
  });

  it.each(['2026-02-30', '2025-13-01', '20260105', ''])('quarantines the removal date %p', (ycrq) => {
    expect(quarantineOf(mapRegistryAbnormal(abnormal({ ycrq }))).reasons).toEqual([`ycrq: "${ycrq}" is not a date`]);
  });

  it('quarantines with every reason, not just the first, and the listing id as the source id', () => {
    const row = abnormal({ tyshxydm: '', lrrq: '2026-02-30', ycrq: '2025-13-01', gxsj: '2026-03-15 10:20' });
    expect(mapRegistryAbnormal(row)).toStrictEqual({
      quarantine: {
        sourceId: 'JYYC-2025-000789',
        raw: row,
        reasons: [
          'tyshxydm: must be 18 characters (got 0)',
          'lrrq: "2026-02-30" is not a date',
          'ycrq: "2025-13-01" is not a date',
          'gxsj: "2026-03-15 10:20" is not a registry time',
        ],
      },
    });
  });

  it('quarantines a listing without an id under a null source id', () => {
    expect(quarantineOf(mapRegistryAbnormal(abnormal({ id: undefined, lrrq: '' }))).sourceId).toBeNull();
  });
});
