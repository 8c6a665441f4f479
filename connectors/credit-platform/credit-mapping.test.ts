import {
  beijingIso,
  compactDate,
  isoDate,
  LIST_TYPE_CODE_OF,
  LIST_TYPE_CODES,
  toPlatformListEntry,
  toPlatformRating,
  type PlatformListEntry,
  type PlatformRating,
} from './credit-format';
import { mapPlatformListEntry, mapPlatformRating } from './credit-mapping';
import { CreditGrade, CreditListType } from '../contract/canonical/codes';
import type { CreditListEntryRecord, CreditRatingRecord } from '../contract/canonical/records';
import { USCC_ALPHABET, validateUscc } from '../contract/identifiers';
import { DAY_MS, expectedOf, NOW, quarantineOf, readFixture, recordOf, recordsOf, withCheck } from '../contract/testing/mapping';

/** What the credit simulator served, recorded (fixtures/*.json): some records intact, some malformed. */
const ratings = readFixture<PlatformRating>(__dirname, 'ratings');
const listEntries = readFixture<PlatformListEntry>(__dirname, 'listEntries');

/** A valid credit code built here from the GB 32100 algorithm, independent of the fixtures. */
const VALID_USCC = withCheck('91320505MA1MXK3L0');
/** The same code with a wrong (but well-formed) check character. */
const BAD_CHECK_USCC = `${VALID_USCC.slice(0, 17)}${USCC_ALPHABET[(USCC_ALPHABET.indexOf(VALID_USCC[17]) + 1) % 31]}`;

const rating = (overrides: Partial<Record<keyof PlatformRating, unknown>> = {}): PlatformRating =>
  ({
    pjbh: 'PJ-2025-000123',
    ztdm: VALID_USCC,
    pjdj: 'AA级',
    pjfs: 93.5,
    kfz: 0,
    pjnd: 2025,
    pjjg: '苏州市交通运输局',
    gxsjc: Date.parse('2026-03-15T10:20:30+08:00'),
    ...overrides,
  }) as PlatformRating;

const listEntry = (overrides: Partial<Record<keyof PlatformListEntry, unknown>> = {}): PlatformListEntry =>
  ({
    mdbh: 'MD-2025-000456',
    ztdm: VALID_USCC,
    mdlx: '01',
    lrly: '严重违法失信行为',
    lrjg: '江苏省交通运输厅',
    lrrq: '20250325',
    ycrq: '',
    gxsjc: Date.parse('2026-03-15T10:20:30+08:00'),
    ...overrides,
  }) as PlatformListEntry;

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the test vectors', () => {
  it('are what they claim: a valid code, and one that fails only its checksum', () => {
    expect(validateUscc(VALID_USCC)).toEqual({ ok: true, value: VALID_USCC, warnings: expect.any(Array) });
    expect(BAD_CHECK_USCC).not.toBe(VALID_USCC);
    expect(validateUscc(BAD_CHECK_USCC)).toEqual({ ok: false, reason: `check character should be ${VALID_USCC[17]}` });
  });

  it('include recorded records of several grades and list types, ratings with penalty points, and malformed records', () => {
    expect(new Set(recordsOf<CreditRatingRecord>(ratings).map((r) => r.grade)).size).toBeGreaterThanOrEqual(3);
    expect(recordsOf<CreditRatingRecord>(ratings).some((r) => (r.penaltyPoints ?? 0) > 0)).toBe(true);
    expect(new Set(recordsOf<CreditListEntryRecord>(listEntries).map((e) => e.listType)).size).toBeGreaterThanOrEqual(3);
    for (const fixture of [ratings, listEntries]) expect(fixture.cases.some(({ mapped }) => 'quarantine' in mapped)).toBe(true);
  });
});

describe('isoDate', () => {
  it.each([
    ['20250325', '2025-03-25'],
    ['20240229', '2024-02-29'],
    ['20000229', '2000-02-29'],
    ['20251231', '2025-12-31'],
    ['19991231', '1999-12-31'],
  ])('%s → %s', (compact, iso) => {
    expect(isoDate(compact)).toBe(iso);
  });

  it("'' (no date) → null", () => {
    expect(isoDate('')).toBeNull();
  });

  it.each([
    '20250231',
    '20260230',
    '20230229',
    '19000229',
    '20250431',
    '20251301',
    '20250001',
    '20250100',
    '20250132',
    '2025-03-25',
    '2025325',
    '202503251',
    '2025O325',
    ' 20250325',
    '２０２５０３２５',
    'yyyymmdd',
  ])('%p is not a date (undefined)', (compact) => {
    expect(isoDate(compact)).toBeUndefined();
  });
});

describe('compactDate', () => {
  it.each([
    ['2025-03-25', '20250325'],
    ['2024-02-29', '20240229'],
    [null, ''],
  ])('%p → %p', (iso, compact) => {
    expect(compactDate(iso)).toBe(compact);
  });

  it('is undone by isoDate', () => {
    for (const date of ['2025-03-25', '2024-02-29', '1999-12-31']) expect(isoDate(compactDate(date))).toBe(date);
    expect(isoDate(compactDate(null))).toBeNull();
  });
});

describe('beijingIso', () => {
  it.each([
    ['the epoch', 0, '1970-01-01T08:00:00+08:00'],
    ['a morning', Date.UTC(2026, 2, 15, 2, 20, 30), '2026-03-15T10:20:30+08:00'],
    ['16:00 UTC, which is midnight the next day in Beijing', Date.UTC(2026, 2, 15, 16, 0, 0), '2026-03-16T00:00:00+08:00'],
    ['a second before midnight in Beijing', Date.UTC(2026, 2, 15, 15, 59, 59), '2026-03-15T23:59:59+08:00'],
    ['just after midnight UTC', Date.UTC(2026, 2, 15, 0, 0, 1), '2026-03-15T08:00:01+08:00'],
    ['late evening UTC, across a month end', Date.UTC(2026, 3, 30, 20, 45, 0), '2026-05-01T04:45:00+08:00'],
    ['across a year end', Date.UTC(2025, 11, 31, 16, 0, 0), '2026-01-01T00:00:00+08:00'],
    ['onto a leap day', Date.UTC(2024, 1, 28, 16, 30, 0), '2024-02-29T00:30:00+08:00'],
  ])('%s', (_label, epochMs, iso) => {
    expect(beijingIso(epochMs)).toBe(iso);
    expect(Date.parse(beijingIso(epochMs))).toBe(epochMs);
  });

  it('keeps milliseconds when there are any', () => {
    expect(beijingIso(Date.UTC(2025, 11, 31, 15, 59, 59, 999))).toBe('2025-12-31T23:59:59.999+08:00');
    expect(beijingIso(Date.UTC(2026, 2, 15, 16, 0, 0, 7))).toBe('2026-03-16T00:00:00.007+08:00');
  });
});

describe('LIST_TYPE_CODES', () => {
  it("maps the platform's two-digit codes onto the canonical list types", () => {
    expect(LIST_TYPE_CODES).toEqual({
      '01': CreditListType.SERIOUS_DISHONESTY,
      '02': CreditListType.DISHONEST_JUDGMENT_DEBTOR,
      '03': CreditListType.ABNORMAL_OPERATION,
      '04': CreditListType.JOINT_SANCTION,
    });
  });

  it('covers every canonical list type, and LIST_TYPE_CODE_OF is its inverse', () => {
    for (const type of Object.values(CreditListType)) expect(LIST_TYPE_CODES[LIST_TYPE_CODE_OF[type]]).toBe(type);
    expect(Object.keys(LIST_TYPE_CODE_OF)).toHaveLength(Object.values(CreditListType).length);
  });

  it('has no entry for unknown codes', () => {
    for (const code of ['09', '00', '05', '1', '001', '']) expect(LIST_TYPE_CODES[code]).toBeUndefined();
  });
});

describe('mapPlatformRating', () => {
  it('maps every recorded rating back to exactly the canonical record it was served from, and quarantines the malformed', () => {
    expect(ratings.cases.length).toBeGreaterThan(0);
    for (const recorded of ratings.cases) expect(mapPlatformRating(recorded.served)).toStrictEqual(expectedOf(recorded));
  });

  it("round-trips a recorded rating through the platform's own form", () => {
    for (const r of recordsOf<CreditRatingRecord>(ratings)) expect(mapPlatformRating(toPlatformRating(r))).toStrictEqual({ record: r });
  });

  it('maps a hand-made rating field by field', () => {
    const row = rating();
    expect(mapPlatformRating(row)).toStrictEqual({
      record: {
        sourceId: 'PJ-2025-000123',
        subjectUscc: VALID_USCC,
        grade: CreditGrade.AA,
        sourceGrade: 'AA级',
        score: 93.5,
        penaltyPoints: 0,
        year: 2025,
        ratingAuthority: '苏州市交通运输局',
        updatedAt: '2026-03-15T10:20:30+08:00',
      },
    });
  });

  it.each([
    ['AA级', CreditGrade.AA],
    ['A级', CreditGrade.A],
    ['B级', CreditGrade.B],
    ['C级', CreditGrade.C],
    ['D级', CreditGrade.D],
  ])('reads the grade word %s as %s and keeps the word as the source grade', (word, grade) => {
    const record = recordOf(mapPlatformRating(rating({ pjdj: word })));
    expect(record.grade).toBe(grade);
    expect(record.sourceGrade).toBe(word);
  });

  it('keeps a null penalty-point count', () => {
    expect(recordOf(mapPlatformRating(rating({ kfz: null }))).penaltyPoints).toBeNull();
  });

  it('accepts the ends of the score and year ranges', () => {
    expect(recordOf(mapPlatformRating(rating({ pjfs: 0, pjnd: 2000 }))).score).toBe(0);
    expect(recordOf(mapPlatformRating(rating({ pjfs: 100, pjnd: 2100 }))).year).toBe(2100);
  });

  it('normalises the credit code (full-width, lower case, spaces) to its canonical form', () => {
    const fullWidth = [...` ${VALID_USCC.toLowerCase()}　`]
      .map((ch) => (/[0-9a-z]/.test(ch) ? String.fromCodePoint(ch.codePointAt(0)! + 0xfee0) : ch))
      .join('');
    expect(recordOf(mapPlatformRating(rating({ ztdm: fullWidth }))).subjectUscc).toBe(VALID_USCC);
  });

  it('accepts a well-formed code whose checksum fails (early pilot codes), unchanged', () => {
    expect(recordOf(mapPlatformRating(rating({ ztdm: BAD_CHECK_USCC }))).subjectUscc).toBe(BAD_CHECK_USCC);
  });

  it.each([
    ['too short', VALID_USCC.slice(0, 17), 'ztdm: must be 18 characters (got 17)'],
    ['too long', `${VALID_USCC}0`, 'ztdm: must be 18 characters (got 19)'],
    ['empty', '', 'ztdm: must be 18 characters (got 0)'],
    ['with an O', `${VALID_USCC.slice(0, 9)}O${VALID_USCC.slice(10)}`, "ztdm: character 10 is 'O': I, O, S, V and Z never appear in a credit code"],
    ['with a punctuation mark', `${VALID_USCC.slice(0, 9)}*${VALID_USCC.slice(10)}`, "ztdm: character 10 '*' is not a digit or an allowed upper-case letter"],
    ['with a letter in the division', withCheck(`91A2050${VALID_USCC.slice(7, 17)}`), 'ztdm: characters 3–8 (the administrative division) must be digits'],
    ['not a string', 91320505, 'ztdm: missing'],
    ['missing', undefined, 'ztdm: missing'],
  ])('quarantines a rating whose credit code is %s, even with checksum failures allowed', (_label, ztdm, reason) => {
    const row = rating({ ztdm });
    expect(mapPlatformRating(row)).toStrictEqual({ quarantine: { sourceId: 'PJ-2025-000123', raw: row, reasons: [reason] } });
  });

  it.each(['E级', 'AAA级', 'aa级', 'A+级', '', '级', 'AA 级'])('quarantines the grade word %p, which is not on the Jiangsu scale', (word) => {
    const row = rating({ pjdj: word });
    expect(quarantineOf(mapPlatformRating(row)).reasons).toEqual([`pjdj: "${word}" is not on the Jiangsu scale`]);
  });

  it.each([-1, 100.5, 101, '90'])('quarantines the score %p', (score) => {
    expect(quarantineOf(mapPlatformRating(rating({ pjfs: score }))).reasons).toEqual([`pjfs: ${String(score)} is not a score`]);
  });

  it.each([1999, 2101, 2025.5, '2025', null])('quarantines the year %p', (year) => {
    expect(quarantineOf(mapPlatformRating(rating({ pjnd: year }))).reasons).toEqual([`pjnd: ${String(year)} is not a year`]);
  });

  it.each([
    ['zero', 0],
    ['negative', -1_000],
    ['not an integer', NOW - 0.5],
    ['NaN', Number.NaN],
    ['a string', '1773541230000'],
    ['missing', undefined],
    ['more than a day ahead of the clock', NOW + DAY_MS + 1],
    ['years ahead', Date.parse('2036-01-01T00:00:00+08:00')],
    ['beyond safe integers', 2 ** 53],
  ])('quarantines a change time that is %s', (_label, gxsjc) => {
    expect(quarantineOf(mapPlatformRating(rating({ gxsjc }))).reasons).toEqual([`gxsjc: ${String(gxsjc)} is not a plausible change time`]);
  });

  it('accepts a change time up to a day ahead of the clock (skew), and one at 1 ms after the epoch', () => {
    expect(recordOf(mapPlatformRating(rating({ gxsjc: NOW + DAY_MS }))).updatedAt).toBe('2026-11-02T00:00:00+08:00');
    expect(recordOf(mapPlatformRating(rating({ gxsjc: 1 }))).updatedAt).toBe('1970-01-01T08:00:00.001+08:00');
  });

  it('judges "future" by the clock of the moment it runs', () => {
    const gxsjc = NOW + 2 * DAY_MS;
    expect('quarantine' in mapPlatformRating(rating({ gxsjc }))).toBe(true);
    jest.spyOn(Date, 'now').mockReturnValue(NOW + 3 * DAY_MS);
    expect(recordOf(mapPlatformRating(rating({ gxsjc }))).updatedAt).toBe('2026-11-03T00:00:00+08:00');
  });

  it('converts the change time to Beijing time across midnight UTC', () => {
    expect(recordOf(mapPlatformRating(rating({ gxsjc: Date.UTC(2026, 0, 31, 16, 5, 0) }))).updatedAt).toBe('2026-02-01T00:05:00+08:00');
    expect(recordOf(mapPlatformRating(rating({ gxsjc: Date.UTC(2026, 0, 31, 23, 59, 59) }))).updatedAt).toBe('2026-02-01T07:59:59+08:00');
  });

  it('quarantines with every reason, not just the first, and the rating number as the source id', () => {
    const row = rating({ ztdm: VALID_USCC.slice(0, 17), pjdj: 'E级', pjfs: 101, pjnd: 1999, gxsjc: 0 });
    expect(mapPlatformRating(row)).toStrictEqual({
      quarantine: {
        sourceId: 'PJ-2025-000123',
        raw: row,
        reasons: [
          'ztdm: must be 18 characters (got 17)',
          'pjdj: "E级" is not on the Jiangsu scale',
          'pjfs: 101 is not a score',
          'pjnd: 1999 is not a year',
          'gxsjc: 0 is not a plausible change time',
        ],
      },
    });
    expect(quarantineOf(mapPlatformRating(row)).raw).toBe(row);
  });

  it('quarantines a rating without a number under a null source id', () => {
    const row = rating({ pjbh: undefined, pjdj: 'E级' });
    expect(quarantineOf(mapPlatformRating(row)).sourceId).toBeNull();
  });
});

describe('mapPlatformListEntry', () => {
  it('maps every recorded list entry back to exactly the canonical record it was served from, and quarantines the malformed', () => {
    expect(listEntries.cases.length).toBeGreaterThan(0);
    for (const recorded of listEntries.cases) expect(mapPlatformListEntry(recorded.served)).toStrictEqual(expectedOf(recorded));
  });

  it('round-trips a removed entry of every list type (the recorded ones are in force)', () => {
    for (const listType of Object.values(CreditListType)) {
      const removed: CreditListEntryRecord = { ...recordsOf<CreditListEntryRecord>(listEntries)[0], listType, listedOn: '2024-02-29', removedOn: '2025-12-31' };
      expect(mapPlatformListEntry(toPlatformListEntry(removed))).toStrictEqual({ record: removed });
    }
  });

  it('maps a hand-made entry field by field, with no removal date as null', () => {
    expect(mapPlatformListEntry(listEntry())).toStrictEqual({
      record: {
        sourceId: 'MD-2025-000456',
        subjectUscc: VALID_USCC,
        listType: CreditListType.SERIOUS_DISHONESTY,
        reason: '严重违法失信行为',
        authority: '江苏省交通运输厅',
        listedOn: '2025-03-25',
        removedOn: null,
        updatedAt: '2026-03-15T10:20:30+08:00',
      },
    });
  });

  it('maps a removal date', () => {
    expect(recordOf(mapPlatformListEntry(listEntry({ ycrq: '20240229', lrrq: '20230101' })))).toMatchObject({
      listedOn: '2023-01-01',
      removedOn: '2024-02-29',
    });
  });

  it.each([
    ['01', CreditListType.SERIOUS_DISHONESTY],
    ['02', CreditListType.DISHONEST_JUDGMENT_DEBTOR],
    ['03', CreditListType.ABNORMAL_OPERATION],
    ['04', CreditListType.JOINT_SANCTION],
  ])('reads list type code %s as %s', (code, type) => {
    expect(recordOf(mapPlatformListEntry(listEntry({ mdlx: code }))).listType).toBe(type);
  });

  it.each(['09', '00', '05', '1', '001', '', 'SERIOUS_DISHONESTY', 'toString', 'constructor', '__proto__'])(
    'quarantines the unknown list type code %p',
    (code) => {
      expect(quarantineOf(mapPlatformListEntry(listEntry({ mdlx: code }))).reasons).toEqual([`mdlx: unknown list type code "${code}"`]);
    },
  );

  it.each(['20250231', '20260230', '20230229', '20251301', '2025-03-25', '2025032', ''])('quarantines the listing date %p', (lrrq) => {
    expect(quarantineOf(mapPlatformListEntry(listEntry({ lrrq }))).reasons).toEqual([`lrrq: "${lrrq}" is not a date`]);
  });

  it.each(['20250231', '20251301', '2025-03-25', '0'])('quarantines the removal date %p', (ycrq) => {
    expect(quarantineOf(mapPlatformListEntry(listEntry({ ycrq }))).reasons).toEqual([`ycrq: "${ycrq}" is not a date`]);
  });

  it('accepts a code that fails only its checksum, and quarantines a malformed one', () => {
    expect(recordOf(mapPlatformListEntry(listEntry({ ztdm: BAD_CHECK_USCC }))).subjectUscc).toBe(BAD_CHECK_USCC);
    const malformed = `${VALID_USCC.slice(0, 4)}I${VALID_USCC.slice(5)}`;
    expect(quarantineOf(mapPlatformListEntry(listEntry({ ztdm: malformed }))).reasons).toEqual([
      "ztdm: character 5 is 'I': I, O, S, V and Z never appear in a credit code",
    ]);
  });

  it.each([
    ['zero', 0],
    ['not an integer', 1_773_541_230_000.5],
    ['more than a day ahead of the clock', NOW + DAY_MS + 1_000],
  ])('quarantines a change time that is %s', (_label, gxsjc) => {
    expect(quarantineOf(mapPlatformListEntry(listEntry({ gxsjc }))).reasons).toEqual([`gxsjc: ${gxsjc} is not a plausible change time`]);
  });

  it('converts the change time to Beijing time across midnight UTC', () => {
    expect(recordOf(mapPlatformListEntry(listEntry({ gxsjc: Date.UTC(2026, 5, 30, 16, 0, 0) }))).updatedAt).toBe('2026-07-01T00:00:00+08:00');
  });

  it('quarantines with every reason, not just the first, and the list entry number as the source id', () => {
    const row = listEntry({ ztdm: 'not-a-credit-code', mdlx: '09', lrrq: '20250231', ycrq: '2025-13-01', gxsjc: NOW + 30 * DAY_MS });
    expect(mapPlatformListEntry(row)).toStrictEqual({
      quarantine: {
        sourceId: 'MD-2025-000456',
        raw: row,
        reasons: [
          'ztdm: must be 18 characters (got 17)',
          'mdlx: unknown list type code "09"',
          'lrrq: "20250231" is not a date',
          'ycrq: "2025-13-01" is not a date',
          `gxsjc: ${NOW + 30 * DAY_MS} is not a plausible change time`,
        ],
      },
    });
  });

  it('quarantines an entry without a number under a null source id', () => {
    expect(quarantineOf(mapPlatformListEntry(listEntry({ mdbh: undefined, mdlx: '09' }))).sourceId).toBeNull();
  });
});

describe('values the platform fills in wrongly', () => {
  it('quarantines negative or non-numeric penalty points, and a NaN score', () => {
    expect(quarantineOf(mapPlatformRating(rating({ kfz: -2 }))).reasons).toEqual(['kfz: -2 is not a number of penalty points']);
    expect(quarantineOf(mapPlatformRating(rating({ kfz: '3' }))).reasons).toEqual(['kfz: 3 is not a number of penalty points']);
    expect(quarantineOf(mapPlatformRating(rating({ pjfs: Number.NaN }))).reasons).toEqual(['pjfs: NaN is not a score']);
    expect(recordOf(mapPlatformRating(rating({ kfz: null }))).penaltyPoints).toBeNull();
  });

  it('quarantines a listing removed before it was listed, and a placeholder year', () => {
    expect(quarantineOf(mapPlatformListEntry(listEntry({ lrrq: '20250310', ycrq: '20250309' }))).reasons).toEqual([
      'ycrq: removed on 2025-03-09, before it was listed on 2025-03-10',
    ]);
    expect(recordOf(mapPlatformListEntry(listEntry({ lrrq: '20250310', ycrq: '20250310' }))).removedOn).toBe('2025-03-10');
    expect(quarantineOf(mapPlatformListEntry(listEntry({ lrrq: '00000101' }))).reasons).toEqual(['lrrq: "00000101" is not a date']);
  });
});
