import type { CaptureRecord, CheckpointRecord } from '../../src/canonical/records';
import { validateDivisionCode, validatePlate } from '../../src/identifiers';
import type { QuarantineEntry } from '../contract';
import { DIRECTION_CODES, isoFromWallTime, VENDOR_PLATE_COLOURS } from './exchange-format';

type Mapped<R> = { record: R } | { quarantine: QuarantineEntry };

export interface CaptureRow {
  xh: string; kkbh: string; hphm: string; hpys: number; jgsj: string; fxbh: string; cdh: number; clsd: number; tpurl: string;
}

export interface CheckpointRow {
  kkbh: string; kkmc: string; dlmc: string; fxbh: string; jd: number; wd: number; xzqh: string; gxsj: string;
}

export function mapCaptureRow(row: CaptureRow): Mapped<CaptureRecord> {
  const reasons: string[] = [];
  const plate = validatePlate(row.hphm ?? '');
  if (!plate.ok) reasons.push(`hphm: ${plate.reason}`);
  const plateColor = VENDOR_PLATE_COLOURS[row.hpys];
  if (!plateColor) reasons.push(`hpys: unknown vendor plate colour ${row.hpys}`);
  const direction = DIRECTION_CODES[row.fxbh];
  if (!direction) reasons.push(`fxbh: unknown direction "${row.fxbh}"`);
  const capturedAt = isoFromWallTime(row.jgsj);
  if (Number.isNaN(Date.parse(capturedAt))) reasons.push(`jgsj: "${row.jgsj}" is not a time`);
  if (reasons.length) return { quarantine: { sourceId: row.xh, raw: row, reasons } };
  return {
    record: {
      serial: Number(row.xh), checkpointCode: row.kkbh, plateNumber: plate.ok ? plate.value : row.hphm, plateColor,
      capturedAt, direction, lane: row.cdh, speedKmh: row.clsd, imageRef: row.tpurl,
    },
  };
}

export function mapCheckpointRow(row: CheckpointRow): Mapped<CheckpointRecord> {
  const reasons: string[] = [];
  const direction = DIRECTION_CODES[row.fxbh];
  if (!direction) reasons.push(`fxbh: unknown direction "${row.fxbh}"`);
  const division = validateDivisionCode(row.xzqh ?? '');
  if (!division.ok) reasons.push(`xzqh: ${division.reason}`);
  if (!(row.wd >= -90 && row.wd <= 90 && row.jd >= -180 && row.jd <= 180)) reasons.push('jd/wd: not a position');
  if (reasons.length) return { quarantine: { sourceId: row.kkbh, raw: row, reasons } };
  return {
    record: {
      code: row.kkbh, name: row.kkmc, road: row.dlmc, direction, latitude: row.wd, longitude: row.jd,
      divisionCode: division.ok ? division.value : row.xzqh, updatedAt: isoFromWallTime(row.gxsj),
    },
  };
}
