import { DIRECTION_CODE_OF, DIRECTION_CODES, isoFromWallTime, VENDOR_CODE_OF, VENDOR_PLATE_COLOURS, wallTime, wallTimeMs } from './exchange-format';
import { mapCaptureRow, mapCheckpointRow, type CaptureRow, type CheckpointRow } from './exchange-mapping';
import { PLATE_COLOR_JTT_CODE, PlateColor, TravelDirection } from '../contract/canonical/codes';
import type { CaptureRecord, CheckpointRecord } from '../contract/canonical/records';
import { expectedOf, NOW, quarantineOf, readFixture, recordOf, recordsOf } from '../contract/testing/mapping';

/**
 * The exchange's rows as the connector reads them (`xh::text`, times as Beijing wall-clock text),
 * recorded from what the exchange simulator wrote (fixtures/*.json): the vendor's colour codes, the
 * direction codes, jd the longitude and wd the latitude; some captures written malformed.
 */
const captures = readFixture<CaptureRow>(__dirname, 'captures');
const checkpoints = readFixture<CheckpointRow>(__dirname, 'checkpoints');

const capture = (overrides: Partial<Record<keyof CaptureRow, unknown>> = {}): CaptureRow =>
  ({
    xh: '1048576',
    kkbh: '320505000101',
    hphm: '苏E12345',
    hpys: 1,
    jgsj: '2026-10-15 14:03:27',
    fxbh: '01',
    cdh: 2,
    clsd: 76,
    tpurl: 'img://checkpoint/320505000101/1048576.jpg',
    ...overrides,
  }) as CaptureRow;

const checkpoint = (overrides: Partial<Record<keyof CheckpointRow, unknown>> = {}): CheckpointRow =>
  ({
    kkbh: '320505000101',
    kkmc: '长江路与金山路交叉口',
    dlmc: '长江路',
    fxbh: '04',
    jd: 120.5412,
    wd: 31.3056,
    xzqh: '320505',
    gxsj: '2025-07-01 09:30:00',
    ...overrides,
  }) as CheckpointRow;

describe('VENDOR_PLATE_COLOURS', () => {
  it("is the checkpoint vendor's own numbering", () => {
    expect(VENDOR_PLATE_COLOURS).toEqual({
      0: PlateColor.WHITE,
      1: PlateColor.YELLOW,
      2: PlateColor.BLUE,
      3: PlateColor.BLACK,
      4: PlateColor.GREEN,
      5: PlateColor.YELLOW_GREEN,
      6: PlateColor.GRADIENT_GREEN,
      7: PlateColor.UNPLATED,
      8: PlateColor.AGRICULTURAL_YELLOW,
      9: PlateColor.OTHER,
      10: PlateColor.AGRICULTURAL_GREEN,
    });
  });

  it("is not the transport side's JT/T numbering (1 is yellow here, blue there)", () => {
    expect(VENDOR_PLATE_COLOURS[1]).toBe(PlateColor.YELLOW);
    expect(PLATE_COLOR_JTT_CODE[PlateColor.BLUE]).toBe(1);
  });

  it('covers every canonical colour, and VENDOR_CODE_OF is its inverse', () => {
    for (const colour of Object.values(PlateColor)) expect(VENDOR_PLATE_COLOURS[VENDOR_CODE_OF[colour]]).toBe(colour);
    expect(Object.keys(VENDOR_CODE_OF)).toHaveLength(Object.values(PlateColor).length);
  });
});

describe('DIRECTION_CODES', () => {
  it("maps the exchange's direction codes", () => {
    expect(DIRECTION_CODES).toEqual({
      '01': TravelDirection.EASTBOUND,
      '02': TravelDirection.WESTBOUND,
      '03': TravelDirection.SOUTHBOUND,
      '04': TravelDirection.NORTHBOUND,
    });
  });

  it('covers every direction, and DIRECTION_CODE_OF is its inverse', () => {
    for (const direction of Object.values(TravelDirection)) expect(DIRECTION_CODES[DIRECTION_CODE_OF[direction]]).toBe(direction);
  });
});

describe('wallTime and isoFromWallTime', () => {
  it.each([
    ['2026-10-02T00:00:06+08:00', '2026-10-02 00:00:06'],
    ['2026-10-02T14:03:27+08:00', '2026-10-02 14:03:27'],
    // Midnight UTC crossings: the exchange keeps Beijing wall time, 8 hours ahead.
    ['2026-10-01T16:00:06Z', '2026-10-02 00:00:06'],
    ['2026-10-01T15:59:59Z', '2026-10-01 23:59:59'],
    ['2026-10-31T23:30:00Z', '2026-11-01 07:30:00'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01 00:00:00'],
  ])('wallTime(%s) → %s', (iso, wall) => {
    expect(wallTime(iso)).toBe(wall);
  });

  it.each([
    ['2026-10-02 00:00:06', '2026-10-02T00:00:06+08:00', Date.UTC(2026, 9, 1, 16, 0, 6)],
    ['2026-10-02 07:59:59', '2026-10-02T07:59:59+08:00', Date.UTC(2026, 9, 1, 23, 59, 59)],
    ['2026-10-02 08:00:00', '2026-10-02T08:00:00+08:00', Date.UTC(2026, 9, 2, 0, 0, 0)],
    ['2026-01-01 00:00:00', '2026-01-01T00:00:00+08:00', Date.UTC(2025, 11, 31, 16, 0, 0)],
  ])('isoFromWallTime(%s) → %s', (wall, iso, epochMs) => {
    expect(isoFromWallTime(wall)).toBe(iso);
    expect(Date.parse(isoFromWallTime(wall))).toBe(epochMs);
    expect(wallTime(isoFromWallTime(wall))).toBe(wall);
  });
});

describe('wallTimeMs', () => {
  it('reads every second of a leap day and a year end as Date.parse does', () => {
    for (let ms = Date.UTC(2024, 1, 28, 15); ms < Date.UTC(2024, 2, 1, 17); ms += 7_919_000) {
      const text = wallTime(new Date(ms).toISOString());
      expect(wallTimeMs(text)).toBe(Date.parse(isoFromWallTime(text)));
    }
    expect(wallTimeMs('2025-12-31 23:59:59')).toBe(Date.parse('2025-12-31T23:59:59+08:00'));
  });

  it.each([
    '2026-02-29 10:00:00',
    '2026-02-30 10:00:00',
    '2026-13-01 00:00:00',
    '2026-00-10 00:00:00',
    '2026-01-00 00:00:00',
    '2026-01-01 24:00:00',
    '2026-01-01 10:60:00',
    '2026-01-01 10:00:60',
    '2026-01-01T10:00:00',
    '2026-01-01 10:00',
    '２026-01-01 10:00:00',
    '2026-01-01 1a:00:00',
    '',
  ])('refuses %p', (text) => {
    expect(wallTimeMs(text)).toBeNaN();
  });

  it('refuses what is not text', () => {
    expect(wallTimeMs(null)).toBeNaN();
    expect(wallTimeMs(20260101)).toBeNaN();
  });
});

describe('mapCaptureRow', () => {
  it('maps every recorded capture back to exactly the canonical record it was written from, and quarantines the malformed', () => {
    expect(new Set(recordsOf<CaptureRecord>(captures).map((c) => c.plateColor)).size).toBeGreaterThanOrEqual(3);
    // One of each of the four ways the police system writes a bad capture.
    expect(captures.cases.filter(({ mapped }) => 'quarantine' in mapped)).toHaveLength(4);
    for (const recorded of captures.cases) expect(mapCaptureRow(recorded.served, NOW)).toStrictEqual(expectedOf(recorded));
  });

  it('maps a hand-made capture field by field', () => {
    expect(mapCaptureRow(capture(), NOW)).toStrictEqual({
      record: {
        serial: 1_048_576,
        checkpointCode: '320505000101',
        plateNumber: '苏E12345',
        plateColor: PlateColor.YELLOW,
        capturedAt: '2026-10-15T14:03:27+08:00',
        direction: TravelDirection.EASTBOUND,
        lane: 2,
        speedKmh: 76,
        imageRef: 'img://checkpoint/320505000101/1048576.jpg',
      },
    });
  });

  it('reads a serial beyond 32 bits', () => {
    expect(recordOf(mapCaptureRow(capture({ xh: '8589934593' }), NOW)).serial).toBe(8_589_934_593);
  });

  it.each([
    ['苏E·12345', '苏E12345'],
    ['苏e 12345', '苏E12345'],
    ['苏E-1234挂', '苏E1234挂'],
    ['苏ＥＤ１２３４５', '苏ED12345'],
    ['苏E12345D', '苏E12345D'],
  ])('normalises the plate %p to %p', (hphm, plate) => {
    expect(recordOf(mapCaptureRow(capture({ hphm }), NOW)).plateNumber).toBe(plate);
  });

  it.each([
    ['', 'hphm: is empty'],
    ['AE12345', "hphm: first character 'A' is not a province abbreviation"],
    ['苏E1234O', 'hphm: letters I and O never appear on plates'],
    ['苏E1234', 'hphm: must be 7 characters, or 8 for new-energy plates (got 6)'],
    ['苏E*2345', "hphm: character 3 '*' is not a letter or digit"],
  ])('quarantines the plate %p', (hphm, reason) => {
    expect(quarantineOf(mapCaptureRow(capture({ hphm }), NOW)).reasons).toEqual([reason]);
  });

  it('quarantines a missing plate', () => {
    expect(quarantineOf(mapCaptureRow(capture({ hphm: null }), NOW)).reasons).toEqual(['hphm: is empty']);
  });

  it.each([
    [0, PlateColor.WHITE],
    [1, PlateColor.YELLOW],
    [2, PlateColor.BLUE],
    [3, PlateColor.BLACK],
    [4, PlateColor.GREEN],
    [5, PlateColor.YELLOW_GREEN],
    [6, PlateColor.GRADIENT_GREEN],
    [7, PlateColor.UNPLATED],
    [8, PlateColor.AGRICULTURAL_YELLOW],
    [9, PlateColor.OTHER],
    [10, PlateColor.AGRICULTURAL_GREEN],
  ])('reads vendor plate colour %d as %s', (hpys, colour) => {
    expect(recordOf(mapCaptureRow(capture({ hpys }), NOW)).plateColor).toBe(colour);
  });

  it.each([11, 91, 93, -1, 1.5, 99, Number.NaN])('quarantines the unknown vendor plate colour %p', (hpys) => {
    expect(quarantineOf(mapCaptureRow(capture({ hpys }), NOW)).reasons).toEqual([`hpys: unknown vendor plate colour ${hpys}`]);
  });

  it.each([
    ['01', TravelDirection.EASTBOUND],
    ['02', TravelDirection.WESTBOUND],
    ['03', TravelDirection.SOUTHBOUND],
    ['04', TravelDirection.NORTHBOUND],
  ])('reads direction code %s as %s', (fxbh, direction) => {
    expect(recordOf(mapCaptureRow(capture({ fxbh }), NOW)).direction).toBe(direction);
  });

  it.each(['05', '00', '1', '001', '', 'EASTBOUND', 'toString', 'constructor', '__proto__'])('quarantines the unknown direction code %p', (fxbh) => {
    expect(quarantineOf(mapCaptureRow(capture({ fxbh }), NOW)).reasons).toEqual([`fxbh: unknown direction "${fxbh}"`]);
  });

  it('reads the capture time as Beijing wall time, across midnight UTC', () => {
    const record = recordOf(mapCaptureRow(capture({ jgsj: '2026-10-16 00:00:06' }), NOW));
    expect(record.capturedAt).toBe('2026-10-16T00:00:06+08:00');
    expect(Date.parse(record.capturedAt)).toBe(Date.UTC(2026, 9, 15, 16, 0, 6));
  });

  it.each([
    '2026-02-30 10:00:00',
    '2025-02-29 10:00:00',
    '2026-04-31 10:00:00',
    '2025-13-01 00:00:00',
    '2026-10-15 24:00:00',
    '2026-10-15 14:60:00',
    '2026-10-15 14:03',
    '2026-10-15 14:03:27.5',
    '2026-10-15T14:03:27',
    '2026-10-15',
    '2026/10/15 14:03:27',
    'not a time',
    '',
  ])('quarantines the capture time %p, which is not a time', (jgsj) => {
    const now = Date.parse('2026-05-01T00:00:00+08:00');
    expect(quarantineOf(mapCaptureRow(capture({ jgsj }), now)).reasons).toEqual([`jgsj: "${jgsj}" is not a time`]);
  });

  describe('the plausible window, against the given clock', () => {
    // NOW is 2026-11-01 00:00:00 Beijing; 400 days earlier is 2025-09-27 00:00:00.
    it.each([
      ['exactly 400 days old', '2025-09-27 00:00:00'],
      ['a day old', '2026-10-31 00:00:00'],
      ['now', '2026-11-01 00:00:00'],
      ['exactly a day ahead (a camera clock running fast)', '2026-11-02 00:00:00'],
    ])('accepts a capture %s', (_label, jgsj) => {
      expect(recordOf(mapCaptureRow(capture({ jgsj }), NOW)).capturedAt).toBe(`${jgsj.replace(' ', 'T')}+08:00`);
    });

    it.each([
      ['a second over 400 days old', '2025-09-26 23:59:59'],
      ['a second more than a day ahead', '2026-11-02 00:00:01'],
      ['from a camera reset to the epoch', '1970-01-01 08:00:00'],
      ['a year ahead', '2027-11-01 00:00:00'],
      ['years old', '2020-06-01 12:00:00'],
    ])('quarantines a capture %s', (_label, jgsj) => {
      expect(quarantineOf(mapCaptureRow(capture({ jgsj }), NOW)).reasons).toEqual([`jgsj: "${jgsj}" is outside the plausible window`]);
    });

    it('moves with the clock it is given', () => {
      const row = capture({ jgsj: '2026-10-15 14:03:27' });
      expect('record' in mapCaptureRow(row, Date.parse('2026-10-20T00:00:00+08:00'))).toBe(true);
      expect(quarantineOf(mapCaptureRow(row, Date.parse('2027-12-01T00:00:00+08:00'))).reasons).toEqual([
        'jgsj: "2026-10-15 14:03:27" is outside the plausible window',
      ]);
      expect(quarantineOf(mapCaptureRow(row, Date.parse('2026-10-14T00:00:00+08:00'))).reasons).toEqual([
        'jgsj: "2026-10-15 14:03:27" is outside the plausible window',
      ]);
    });

    it('judges the window in Beijing time, not by the wall clock read as UTC', () => {
      // The clock is 2026-10-15 00:00 UTC; a day ahead of it is 2026-10-16 08:00:00 in Beijing.
      const now = Date.UTC(2026, 9, 15, 0, 0, 0);
      expect('record' in mapCaptureRow(capture({ jgsj: '2026-10-16 07:59:59' }), now)).toBe(true);
      expect(quarantineOf(mapCaptureRow(capture({ jgsj: '2026-10-16 08:00:01' }), now)).reasons).toEqual([
        'jgsj: "2026-10-16 08:00:01" is outside the plausible window',
      ]);
    });
  });

  it('quarantines with every reason, not just the first, and the serial as the source id', () => {
    const row = capture({ hphm: 'XE12345', hpys: 11, fxbh: '05', jgsj: '2026-02-30 10:00:00' });
    expect(mapCaptureRow(row, NOW)).toStrictEqual({
      quarantine: {
        sourceId: '1048576',
        raw: row,
        reasons: [
          "hphm: first character 'X' is not a province abbreviation",
          'hpys: unknown vendor plate colour 11',
          'fxbh: unknown direction "05"',
          'jgsj: "2026-02-30 10:00:00" is not a time',
        ],
      },
    });
    expect(quarantineOf(mapCaptureRow(row, NOW)).raw).toBe(row);
  });

  it('gives every reason with a time outside the window too', () => {
    expect(quarantineOf(mapCaptureRow(capture({ hpys: 12, jgsj: '1970-01-01 08:00:00' }), NOW)).reasons).toEqual([
      'hpys: unknown vendor plate colour 12',
      'jgsj: "1970-01-01 08:00:00" is outside the plausible window',
    ]);
  });
});

describe('mapCheckpointRow', () => {
  it('maps every recorded checkpoint back to exactly the canonical record it was written from', () => {
    expect(new Set(recordsOf<CheckpointRecord>(checkpoints).map((c) => c.direction)).size).toBeGreaterThanOrEqual(2);
    for (const recorded of checkpoints.cases) expect(mapCheckpointRow(recorded.served)).toStrictEqual(expectedOf(recorded));
  });

  it('maps a hand-made checkpoint field by field: jd is the longitude, wd the latitude', () => {
    expect(mapCheckpointRow(checkpoint())).toStrictEqual({
      record: {
        code: '320505000101',
        name: '长江路与金山路交叉口',
        road: '长江路',
        direction: TravelDirection.NORTHBOUND,
        latitude: 31.3056,
        longitude: 120.5412,
        divisionCode: '320505',
        updatedAt: '2025-07-01T09:30:00+08:00',
      },
    });
  });

  it('reads the change time as Beijing wall time', () => {
    const record = recordOf(mapCheckpointRow(checkpoint({ gxsj: '2025-07-01 00:30:00' })));
    expect(record.updatedAt).toBe('2025-07-01T00:30:00+08:00');
    expect(Date.parse(record.updatedAt)).toBe(Date.UTC(2025, 5, 30, 16, 30, 0));
  });

  it.each([
    ['３２０５９４', '320594'],
    ['320571', '320571'],
    ['310115', '310115'],
  ])('keeps the division %p as %p', (xzqh, code) => {
    expect(recordOf(mapCheckpointRow(checkpoint({ xzqh }))).divisionCode).toBe(code);
  });

  it.each(['05', '', '4', 'toString'])('quarantines the unknown direction code %p', (fxbh) => {
    expect(mapCheckpointRow(checkpoint({ fxbh }))).toStrictEqual({
      quarantine: { sourceId: '320505000101', raw: checkpoint({ fxbh }), reasons: [`fxbh: unknown direction "${fxbh}"`] },
    });
  });

  it.each([
    ['3205', 'must be 6 digits'],
    ['', 'must be 6 digits'],
    ['720000', 'prefix 72 is not a province'],
  ])('quarantines the division %p', (xzqh, reason) => {
    expect(quarantineOf(mapCheckpointRow(checkpoint({ xzqh }))).reasons).toEqual([`xzqh: ${reason}`]);
  });

  it.each([
    ['latitude above 90', { wd: 90.0001 }],
    ['latitude below -90', { wd: -91 }],
    ['longitude above 180', { jd: 180.5 }],
    ['longitude below -180', { jd: -181 }],
    ['NaN latitude', { wd: Number.NaN }],
    ['missing longitude', { jd: undefined }],
    ['text', { jd: 'abc' }],
  ])('quarantines a position with %s', (_label, overrides) => {
    expect(quarantineOf(mapCheckpointRow(checkpoint(overrides))).reasons).toEqual(['jd/wd: not a position']);
  });

  it('accepts the ends of the coordinate ranges', () => {
    expect(recordOf(mapCheckpointRow(checkpoint({ wd: -90, jd: 180 })))).toMatchObject({ latitude: -90, longitude: 180 });
    expect(recordOf(mapCheckpointRow(checkpoint({ wd: 90, jd: -180 })))).toMatchObject({ latitude: 90, longitude: -180 });
  });

  it('quarantines with every reason, not just the first, and the checkpoint code as the source id', () => {
    const row = checkpoint({ fxbh: '09', xzqh: '66010', wd: 120.5, jd: 200 });
    expect(mapCheckpointRow(row)).toStrictEqual({
      quarantine: {
        sourceId: '320505000101',
        raw: row,
        reasons: ['fxbh: unknown direction "09"', 'xzqh: must be 6 digits', 'jd/wd: not a position'],
      },
    });
  });
});

describe('rows the police system wrote incompletely', () => {
  it('quarantines a capture without a time, a serial or a lane instead of failing the batch', () => {
    expect(quarantineOf(mapCaptureRow(capture({ jgsj: null }), NOW)).reasons).toEqual(['jgsj: "null" is not a time']);
    expect(quarantineOf(mapCaptureRow(capture({ xh: 'x12' }), NOW)).reasons).toEqual(['xh: "x12" is not a serial']);
    expect(quarantineOf(mapCaptureRow(capture({ cdh: -1, clsd: 1.5 }), NOW)).reasons).toEqual(['cdh: -1 is not a lane', 'clsd: 1.5 is not a speed']);
  });

  it('quarantines a checkpoint whose change time is not a wall time', () => {
    expect(quarantineOf(mapCheckpointRow(checkpoint({ gxsj: '2026-02-30 10:00:00' }))).reasons).toEqual(['gxsj: "2026-02-30 10:00:00" is not a time']);
    expect(quarantineOf(mapCheckpointRow(checkpoint({ gxsj: null }))).reasons).toEqual(['gxsj: "null" is not a time']);
  });
});
