import type { CaptureRecord, CheckpointRecord } from '../contract/canonical/records';
import { validateDivisionCode, validatePlate } from '../contract/identifiers';
import type { Mapped } from '../contract';
import { DIRECTION_CODES, isoFromWallTime, VENDOR_PLATE_COLOURS, wallTimeMs } from './exchange-format';

/** Own keys only: an inherited name ('toString', '__proto__') is an unknown code, not a direction. */
const directionOf = (code: string) => (Object.hasOwn(DIRECTION_CODES, code) ? DIRECTION_CODES[code] : undefined);

export interface CaptureRow {
  xh: string;
  kkbh: string;
  hphm: string;
  hpys: number;
  jgsj: string;
  fxbh: string;
  cdh: number;
  clsd: number;
  tpurl: string;
}

export interface CheckpointRow {
  kkbh: string;
  kkmc: string;
  dlmc: string;
  fxbh: string;
  jd: number;
  wd: number;
  xzqh: string;
  gxsj: string;
}

/** Plates seen recently and their verdicts: the same vehicles pass checkpoint after checkpoint. */
const plateVerdicts = new Map<string, ReturnType<typeof validatePlate>>();

function checkedPlate(text: string): ReturnType<typeof validatePlate> {
  let verdict = plateVerdicts.get(text);
  if (!verdict) {
    verdict = validatePlate(text);
    // Bounded: a fresh start now and then costs one validation per plate.
    if (plateVerdicts.size >= 100_000) plateVerdicts.clear();
    plateVerdicts.set(text, verdict);
  }
  return verdict;
}

/** The exchange's serial, as read (`xh::text`). */
const SERIAL = /^[1-9]\d{0,17}$/;

/** Captures older than this are not plausible new traffic (the exchange keeps about a year). */
const MAX_CAPTURE_AGE_MS = 400 * 86_400_000;
/** A camera clock may run a little ahead; a day ahead is a wrong clock. */
const MAX_CLOCK_AHEAD_MS = 86_400_000;

export function mapCaptureRow(row: CaptureRow, now = Date.now()): Mapped<CaptureRecord> {
  const reasons: string[] = [];
  const plate = checkedPlate(row.hphm ?? '');
  if (!plate.ok) reasons.push(`hphm: ${plate.reason}`);
  const plateColor = VENDOR_PLATE_COLOURS[row.hpys];
  if (!plateColor) reasons.push(`hpys: unknown vendor plate colour ${row.hpys}`);
  const direction = directionOf(row.fxbh);
  if (!direction) reasons.push(`fxbh: unknown direction "${row.fxbh}"`);
  // Only a wall time that exists: Date.parse rolls 02-30 and 24:00:00 over to the next day.
  const at = wallTimeMs(row.jgsj);
  const capturedAt = Number.isNaN(at) ? '' : isoFromWallTime(row.jgsj);
  if (Number.isNaN(at)) reasons.push(`jgsj: "${row.jgsj}" is not a time`);
  // A camera clock far off (a reset to its epoch, a wrong year) is a bad record, not a capture.
  else if (at < now - MAX_CAPTURE_AGE_MS || at > now + MAX_CLOCK_AHEAD_MS) reasons.push(`jgsj: "${row.jgsj}" is outside the plausible window`);
  if (typeof row.xh !== 'string' || !SERIAL.test(row.xh)) reasons.push(`xh: "${row.xh}" is not a serial`);
  if (!Number.isInteger(row.cdh) || row.cdh < 0) reasons.push(`cdh: ${String(row.cdh)} is not a lane`);
  if (!Number.isInteger(row.clsd) || row.clsd < 0) reasons.push(`clsd: ${String(row.clsd)} is not a speed`);
  if (reasons.length) return { quarantine: { sourceId: row.xh ?? null, raw: row, reasons } };
  return {
    record: {
      serial: Number(row.xh),
      checkpointCode: row.kkbh,
      plateNumber: plate.ok ? plate.value : row.hphm,
      plateColor,
      capturedAt,
      direction: direction!,
      lane: row.cdh,
      speedKmh: row.clsd,
      imageRef: row.tpurl,
    },
  };
}

export function mapCheckpointRow(row: CheckpointRow): Mapped<CheckpointRecord> {
  const reasons: string[] = [];
  const direction = directionOf(row.fxbh);
  if (!direction) reasons.push(`fxbh: unknown direction "${row.fxbh}"`);
  const division = validateDivisionCode(row.xzqh ?? '');
  if (!division.ok) reasons.push(`xzqh: ${division.reason}`);
  if (!(row.wd >= -90 && row.wd <= 90 && row.jd >= -180 && row.jd <= 180)) reasons.push('jd/wd: not a position');
  const updatedAt = Number.isNaN(wallTimeMs(row.gxsj)) ? '' : isoFromWallTime(row.gxsj);
  if (!updatedAt) reasons.push(`gxsj: "${row.gxsj}" is not a time`);
  if (reasons.length) return { quarantine: { sourceId: row.kkbh, raw: row, reasons } };
  return {
    record: {
      code: row.kkbh,
      name: row.kkmc,
      road: row.dlmc,
      direction: direction!,
      latitude: row.wd,
      longitude: row.jd,
      divisionCode: division.ok ? division.value : row.xzqh,
      updatedAt,
    },
  };
}
